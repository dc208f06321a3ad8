-- Queries of the large profile (datatools/large/profile.py). `wc` is the working copy's view,
-- `rownum` its row number (0-based, file order).


-- Per column: everything one scan can sum. Suspicious cells are counted over rows, which is
-- the in-memory count over distinct values weighted by their counts; the example is the first
-- row's value, which is the first distinct value in order of appearance.
-- name: column_sums
count(*) FILTER (WHERE {c} <> '') AS {c}_filled,
min(length({c})) FILTER (WHERE {c} <> '') AS {c}_min_length,
max(length({c})) FILTER (WHERE {c} <> '') AS {c}_max_length,
sum(length({c})) FILTER (WHERE {c} <> '') AS {c}_length_sum,
min({c}) FILTER (WHERE {c} <> '') AS {c}_min,
max({c}) FILTER (WHERE {c} <> '') AS {c}_max,
approx_count_distinct({c}) FILTER (WHERE {c} <> '') AS {c}_approx_distinct,
count(*) FILTER (WHERE starts_with({c}, ' ') OR ends_with({c}, ' ')) AS {c}_edge_spaces,
arg_min({c}, rownum) FILTER (WHERE starts_with({c}, ' ') OR ends_with({c}, ' ')) AS {c}_edge_spaces_example,
count(*) FILTER (WHERE regexp_matches({c}, $control)) AS {c}_control_characters,
arg_min({c}, rownum) FILTER (WHERE regexp_matches({c}, $control)) AS {c}_control_characters_example,
count(*) FILTER (WHERE regexp_matches({c}, $debris)) AS {c}_encoding_debris,
arg_min({c}, rownum) FILTER (WHERE regexp_matches({c}, $debris)) AS {c}_encoding_debris_example,
count(*) FILTER (WHERE contains({c}, $replacement)) AS {c}_replacement_characters,
arg_min({c}, rownum) FILTER (WHERE contains({c}, $replacement)) AS {c}_replacement_characters_example,
count(*) FILTER (WHERE regexp_matches({c}, $invisible)) AS {c}_invisible_characters,
arg_min({c}, rownum) FILTER (WHERE regexp_matches({c}, $invisible)) AS {c}_invisible_characters_example

-- The most common values, ties in order of first appearance (as the in-memory profile), and
-- how many distinct values there are.
-- name: top_values
SELECT {c} AS value, count(*) AS n, min(rownum) AS first, count(*) OVER () AS distinct_values
FROM wc WHERE {c} <> '' GROUP BY {c} ORDER BY n DESC, first LIMIT $top

-- Every distinct filled value, in order of first appearance (for date and decimal extremes).
-- name: distinct_values
SELECT {c} AS value FROM wc WHERE {c} <> '' GROUP BY {c} ORDER BY min(rownum)

-- name: integer_extremes
SELECT min(CAST(trim({c}) AS BIGINT)), max(CAST(trim({c}) AS BIGINT)) FROM wc WHERE {c} <> ''

-- The exact count of a few values (the approximate top values' counts).
-- name: value_count
SELECT count(*) AS n, min(rownum) AS first FROM wc WHERE {c} = $value

-- Candidates for the top values of a column with too many distinct values to count exactly.
-- name: approx_top
SELECT approx_top_k({c}, 20) FROM wc WHERE {c} <> ''
