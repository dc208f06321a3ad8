-- Queries of the window's large runs (datatools/app/large_runs.py).

-- Whether column {c} names every row (`recipe.key_column`'s rule): filled, unique, no white
-- space, each value holding a digit or an @.
-- name: key_column
SELECT count(*) = count(DISTINCT {c})
   AND coalesce(bool_and({c} <> '' AND NOT regexp_matches({c}, '\s') AND regexp_matches({c}, '[0-9@]')), true)
FROM wc
