-- Queries of the window's large runs (datatools/app/large_runs.py).

-- Whether column {c} names every row (`recipe.key_column`'s rule): filled, unique, no white
-- space, each value holding a digit or an @. White space is Python's `\s` (str.isspace: the
-- no-break and other Unicode spaces, \v, \x1c-\x1f, \x85), not RE2's ASCII `\s`.
-- name: key_column
SELECT count(*) = count(DISTINCT {c})
   AND coalesce(bool_and({c} <> '' AND NOT regexp_matches({c}, '[\s\p{{Z}}\x{{0b}}\x{{1c}}-\x{{1f}}\x{{85}}]') AND regexp_matches({c}, '[0-9@]')), true)
FROM wc
