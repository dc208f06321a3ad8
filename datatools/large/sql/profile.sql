-- Queries of the large profile (datatools/large/profile.py). `wc` is the working copy's view,
-- `rownum` its row number (0-based, file order).


-- Per column, for every column in one scan: the filled cells and an estimate of the distinct
-- values (HyperLogLog), which decides between counting exactly and estimating.
-- name: column_estimates
count(*) FILTER (WHERE {c} <> '') AS {c}_filled,
approx_count_distinct({c}) FILTER (WHERE {c} <> '') AS {c}_approx_distinct

-- The per-column estimates above for every column, in one scan of the working copy.
-- name: all_column_estimates
SELECT {estimates} FROM wc

-- A column's distinct filled values with their counts and first row, for the queries below.
-- name: group_values
CREATE OR REPLACE TEMP TABLE grouped AS
SELECT {c} AS value, count(*) AS n, min(rownum) AS first FROM wc WHERE {c} <> '' GROUP BY {c}

-- name: drop_grouped
DROP TABLE IF EXISTS grouped

-- Everything about a column that its distinct values tell, each weighted by its count, as the
-- in-memory profile checks them: a suspicious kind's example is the first distinct value in
-- order of appearance.
-- name: grouped_sums
SELECT sum(n) AS filled, count(*) AS distinct_values,
min(length(value)) AS min_length, max(length(value)) AS max_length,
sum(n * length(value)) AS length_sum, min(value) AS min, max(value) AS max,
sum(n) FILTER (WHERE starts_with(value, ' ') OR ends_with(value, ' ')) AS edge_spaces,
arg_min(value, first) FILTER (WHERE starts_with(value, ' ') OR ends_with(value, ' ')) AS edge_spaces_example,
sum(n) FILTER (WHERE regexp_matches(value, $control)) AS control_characters,
arg_min(value, first) FILTER (WHERE regexp_matches(value, $control)) AS control_characters_example,
sum(n) FILTER (WHERE regexp_matches(value, $debris)) AS encoding_debris,
arg_min(value, first) FILTER (WHERE regexp_matches(value, $debris)) AS encoding_debris_example,
sum(n) FILTER (WHERE contains(value, $replacement)) AS replacement_characters,
arg_min(value, first) FILTER (WHERE contains(value, $replacement)) AS replacement_characters_example,
sum(n) FILTER (WHERE regexp_matches(value, $invisible)) AS invisible_characters,
arg_min(value, first) FILTER (WHERE regexp_matches(value, $invisible)) AS invisible_characters_example
FROM grouped

-- name: grouped_top
SELECT value, n FROM grouped ORDER BY n DESC, first LIMIT $top

-- Every distinct filled value, in order of first appearance (for date and decimal extremes).
-- name: grouped_in_order
SELECT value FROM grouped ORDER BY first

-- The same sums over rows, for a column with too many distinct values to group (one scan).
-- name: column_sums
SELECT count(*) FILTER (WHERE {c} <> '') AS filled,
min(length({c})) FILTER (WHERE {c} <> '') AS min_length,
max(length({c})) FILTER (WHERE {c} <> '') AS max_length,
sum(length({c})) FILTER (WHERE {c} <> '') AS length_sum,
min({c}) FILTER (WHERE {c} <> '') AS min,
max({c}) FILTER (WHERE {c} <> '') AS max,
count(*) FILTER (WHERE starts_with({c}, ' ') OR ends_with({c}, ' ')) AS edge_spaces,
arg_min({c}, rownum) FILTER (WHERE starts_with({c}, ' ') OR ends_with({c}, ' ')) AS edge_spaces_example,
count(*) FILTER (WHERE regexp_matches({c}, $control)) AS control_characters,
arg_min({c}, rownum) FILTER (WHERE regexp_matches({c}, $control)) AS control_characters_example,
count(*) FILTER (WHERE regexp_matches({c}, $debris)) AS encoding_debris,
arg_min({c}, rownum) FILTER (WHERE regexp_matches({c}, $debris)) AS encoding_debris_example,
count(*) FILTER (WHERE contains({c}, $replacement)) AS replacement_characters,
arg_min({c}, rownum) FILTER (WHERE contains({c}, $replacement)) AS replacement_characters_example,
count(*) FILTER (WHERE regexp_matches({c}, $invisible)) AS invisible_characters,
arg_min({c}, rownum) FILTER (WHERE regexp_matches({c}, $invisible)) AS invisible_characters_example
FROM wc

-- name: integer_extremes
SELECT min(CAST(trim({c}) AS BIGINT)), max(CAST(trim({c}) AS BIGINT)) FROM wc WHERE {c} <> ''

-- The exact count of a few values (the approximate top values' counts).
-- name: value_count
SELECT count(*) AS n, min(rownum) AS first FROM wc WHERE {c} = $value

-- Candidates for the top values of a column with too many distinct values to count exactly.
-- name: approx_top
SELECT approx_top_k({c}, 20) FROM wc WHERE {c} <> ''

-- name: grouped_integer_extremes
SELECT min(CAST(trim(value) AS BIGINT)), max(CAST(trim(value) AS BIGINT)) FROM grouped
