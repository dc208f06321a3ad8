-- Queries of the large profile (datatools/large/profile.py). `wc` is the working copy's view,
-- `rownum` its row number (0-based, file order).


-- Per column, for every column in one scan: the filled cells and an estimate of the distinct
-- values (HyperLogLog), which decides between counting exactly and estimating.
-- name: column_estimates
count(*) FILTER (WHERE {c} <> '') AS {c}_filled,
approx_count_distinct({c}) FILTER (WHERE {c} <> '') AS {c}_approx_distinct

-- The filled cells alone, for a table with too few rows for any column to need an estimate.
-- name: column_filled
count(*) FILTER (WHERE {c} <> '') AS {c}_filled

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
-- order of appearance. The suspicious kinds are sought only among the values with a space at an
-- end or a character outside printable ASCII ($odd), which each of their patterns needs.
-- name: grouped_sums
SELECT * FROM (SELECT sum(n) AS filled, count(*) AS distinct_values,
min(length(value)) AS min_length, max(length(value)) AS max_length,
sum(n * length(value)) AS length_sum, min(value) AS min, max(value) AS max FROM grouped)
CROSS JOIN (SELECT sum(n) FILTER (WHERE edge) AS edge_spaces,
arg_min(value, first) FILTER (WHERE edge) AS edge_spaces_example,
sum(n) FILTER (WHERE control) AS control_characters,
arg_min(value, first) FILTER (WHERE control) AS control_characters_example,
sum(n) FILTER (WHERE debris) AS encoding_debris,
arg_min(value, first) FILTER (WHERE debris) AS encoding_debris_example,
sum(n) FILTER (WHERE replacement) AS replacement_characters,
arg_min(value, first) FILTER (WHERE replacement) AS replacement_characters_example,
sum(n) FILTER (WHERE invisible) AS invisible_characters,
arg_min(value, first) FILTER (WHERE invisible) AS invisible_characters_example
FROM (SELECT value, n, first, starts_with(value, ' ') OR ends_with(value, ' ') AS edge,
             odd AND regexp_matches(value, $control) AS control,
             odd AND regexp_matches(value, $debris) AS debris,
             odd AND contains(value, $replacement) AS replacement,
             odd AND regexp_matches(value, $invisible) AS invisible
      FROM (SELECT *, regexp_matches(value, $odd) AS odd FROM grouped) WHERE odd OR starts_with(value, ' ')
      OR ends_with(value, ' ')))

-- name: grouped_top
SELECT value, n FROM grouped ORDER BY n DESC, first LIMIT $top

-- Every distinct filled value, in order of first appearance (for date and decimal extremes).
-- name: grouped_in_order
SELECT value FROM grouped ORDER BY first

-- The same sums over rows, for a column with too many distinct values to group (one scan).
-- name: column_sums
SELECT * FROM (SELECT count(*) AS filled, min(length({c})) AS min_length,
max(length({c})) AS max_length, sum(length({c})) AS length_sum, min({c}) AS min, max({c}) AS max
FROM wc WHERE {c} <> '')
CROSS JOIN (SELECT count(*) FILTER (WHERE edge) AS edge_spaces,
arg_min(value, rownum) FILTER (WHERE edge) AS edge_spaces_example,
count(*) FILTER (WHERE control) AS control_characters,
arg_min(value, rownum) FILTER (WHERE control) AS control_characters_example,
count(*) FILTER (WHERE debris) AS encoding_debris,
arg_min(value, rownum) FILTER (WHERE debris) AS encoding_debris_example,
count(*) FILTER (WHERE replacement) AS replacement_characters,
arg_min(value, rownum) FILTER (WHERE replacement) AS replacement_characters_example,
count(*) FILTER (WHERE invisible) AS invisible_characters,
arg_min(value, rownum) FILTER (WHERE invisible) AS invisible_characters_example
FROM (SELECT value, rownum, starts_with(value, ' ') OR ends_with(value, ' ') AS edge,
             odd AND regexp_matches(value, $control) AS control,
             odd AND regexp_matches(value, $debris) AS debris,
             odd AND contains(value, $replacement) AS replacement,
             odd AND regexp_matches(value, $invisible) AS invisible
      FROM (SELECT {c} AS value, rownum, regexp_matches({c}, $odd) AS odd FROM wc)
      WHERE odd OR starts_with(value, ' ') OR ends_with(value, ' ')))

-- name: integer_extremes
SELECT min(CAST(trim({c}) AS BIGINT)), max(CAST(trim({c}) AS BIGINT)) FROM wc WHERE {c} <> ''

-- The exact count and first row of a few values $values (the approximate top values), in one scan.
-- name: values_count
SELECT {c} AS value, count(*) AS n, min(rownum) AS first FROM wc WHERE list_contains($values, {c}) GROUP BY {c}

-- Candidates for the top values of a column with too many distinct values to count exactly.
-- name: approx_top
SELECT approx_top_k({c}, 20) FROM wc WHERE {c} <> ''

-- name: grouped_integer_extremes
SELECT min(CAST(trim(value) AS BIGINT)), max(CAST(trim(value) AS BIGINT)) FROM grouped
