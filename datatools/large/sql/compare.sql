-- Queries of the large compare (datatools/large/compare.py). `wc` is the old version, `wc2`
-- the new one (its Parquet file registered as `wc2_file`); both have `rownum`.

-- name: second_view
CREATE OR REPLACE TEMP VIEW wc2 AS SELECT * EXCLUDE (file_row_number), file_row_number AS rownum FROM wc2_file

-- The first key value that repeats, in file order, with its count. {view}: wc or wc2; {key}:
-- the key's working-copy columns.
-- name: repeated_key
SELECT {key}, count(*), min(rownum) AS first FROM {view} GROUP BY {key} HAVING count(*) > 1 ORDER BY first LIMIT 1

-- name: cell_equal
o.{c} = n.{c}

-- Pairs of rows with the same key and every cell equal: unchanged. {on}, {equal}: cell_equal
-- for the key's columns and for every column, joined with AND.
-- name: unchanged_pairs
CREATE OR REPLACE TEMP TABLE same AS
SELECT o.rownum AS old_row, n.rownum AS new_row FROM wc o JOIN wc2 n ON {on} WHERE {equal}

-- name: count_unchanged
SELECT count(*) FROM same

-- name: differing_old
SELECT * FROM wc WHERE rownum NOT IN (SELECT old_row FROM same) ORDER BY rownum

-- name: differing_new
SELECT * FROM wc2 WHERE rownum NOT IN (SELECT new_row FROM same) ORDER BY rownum

-- The unchanged pairs among new rows $low to $high (0-based).
-- name: unchanged_in_range
SELECT new_row, old_row FROM same WHERE new_row BETWEEN $low AND $high

-- name: has_second_view
SELECT 1 FROM duckdb_views() WHERE view_name = 'wc2'

-- The first $rows rows of the old version (the key is inferred on them).
-- name: first_rows
SELECT * FROM wc WHERE rownum < $rows ORDER BY rownum

-- A key column's filled cells and distinct values in {view} (wc or wc2).
-- name: key_confirmed
SELECT count(*) FILTER (WHERE {c} <> ''), count(DISTINCT {c}) FROM {view}
