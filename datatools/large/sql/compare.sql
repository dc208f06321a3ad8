-- Queries of the large compare (datatools/large/compare.py). `wc` is the old version, `wc2`
-- the new one (its Parquet file registered as `wc2_file`); both have `rownum`.

-- name: second_view
CREATE OR REPLACE TEMP VIEW wc2 AS SELECT * EXCLUDE (file_row_number), file_row_number AS rownum FROM wc2_file

-- The first key value that repeats, in file order, with its count. {view}: wc or wc2; {key}:
-- the key's working-copy columns.
-- name: repeated_key
SELECT {key}, count(*), min(rownum) AS first FROM (SELECT rownum, {visible} FROM {view})
GROUP BY {key} HAVING count(*) > 1 ORDER BY first LIMIT 1

-- A cell as the eye reads it, as `visible_form` in datatools/tools/invisible.py: odd spaces
-- (U+00A0, U+2007, U+202F, U+2009, U+3000) made plain, zero-width characters (U+200B-U+200D,
-- U+2060, U+FEFF, U+00AD) removed, and the ends stripped of what Python's str.strip strips.
-- (Braces doubled: queries.sql fills {slots}.)
-- A cell of printable ASCII alone (space to tilde) with no space at either end is its own
-- visible form: the three replacements run only on the other cells.
-- name: visible_macro
CREATE OR REPLACE TEMP MACRO visible(x) AS CASE
WHEN NOT regexp_matches(x, '[^ -~]') AND NOT starts_with(x, ' ') AND NOT ends_with(x, ' ') THEN x
ELSE regexp_replace(regexp_replace(regexp_replace(x,
'[\x{{a0}}\x{{2007}}\x{{202f}}\x{{2009}}\x{{3000}}]', ' ', 'g'), '[\x{{200b}}-\x{{200d}}\x{{2060}}\x{{feff}}\x{{ad}}]', '', 'g'),
'^[\s\p{{Z}}\x{{0b}}\x{{1c}}-\x{{1f}}\x{{85}}]+|[\s\p{{Z}}\x{{0b}}\x{{1c}}-\x{{1f}}\x{{85}}]+$', '', 'g') END

-- One key column in its visible form, under its own name (repeated_key's {visible}).
-- name: visible_column
visible({c}) AS {c}

-- name: cell_equal
o.{c} = n.{c}

-- Pairs of rows with the same key and every cell equal: unchanged. {on}, {equal}: cell_equal
-- for the key's columns and for every column, joined with AND.
-- name: unchanged_pairs
CREATE OR REPLACE TEMP TABLE same AS
SELECT o.rownum AS old_row, n.rownum AS new_row FROM wc o JOIN wc2 n ON {on} WHERE {equal}

-- The same table from the streamed merge of two versions sorted by a running key
-- (datatools/large/merge.py): made empty, then each part registered as `merged_same` added.
-- name: same_empty
CREATE OR REPLACE TEMP TABLE same (old_row BIGINT, new_row BIGINT)

-- name: same_add
INSERT INTO same SELECT old_row, new_row FROM merged_same

-- name: count_unchanged
SELECT count(*) FROM same

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
SELECT count(*) FILTER (WHERE visible({c}) <> ''), count(DISTINCT visible({c})) FROM {view}

-- Versions no column identifies: the n-th old row and the n-th new row with the same {content}
-- (its columns in their visible form, row counters left out) pair, as in memory; the pairs
-- whose cells are all equal as written ({equal}) are unchanged.
-- name: unchanged_by_content
CREATE OR REPLACE TEMP TABLE same AS
WITH o AS (SELECT rownum, row_number() OVER (PARTITION BY {content} ORDER BY rownum) AS copy, {content}
           FROM (SELECT rownum, {visible} FROM wc)),
     n AS (SELECT rownum, row_number() OVER (PARTITION BY {content} ORDER BY rownum) AS copy, {content}
           FROM (SELECT rownum, {visible} FROM wc2)),
     paired AS (SELECT o.rownum AS old_row, n.rownum AS new_row FROM o JOIN n USING (copy, {content}))
SELECT p.old_row, p.new_row FROM paired p JOIN wc o ON o.rownum = p.old_row
JOIN wc2 n ON n.rownum = p.new_row WHERE {equal}

-- The rows of each version outside `same`, with `h`, a hash of the key's visible form ({key}:
-- visible_of each key column, joined by commas): they are compared in memory a batch at a time,
-- the rows whose h falls in one part.
-- name: differing_old
SELECT *, hash({key}) AS h FROM wc WHERE rownum NOT IN (SELECT old_row FROM same) ORDER BY rownum

-- name: differing_new
SELECT *, hash({key}) AS h FROM wc2 WHERE rownum NOT IN (SELECT new_row FROM same) ORDER BY rownum

-- name: visible_of
visible({c})
