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
-- (U+00A0, U+2007, U+202F, U+2009; not the visible full-width U+3000) made plain, zero-width characters (U+200B-U+200D,
-- U+2060, U+FEFF, U+00AD) removed, and the ends stripped of what Python's str.strip strips.
-- (Braces doubled: queries.sql fills {slots}.)
-- A cell of printable ASCII alone (space to tilde) with no space at either end is its own
-- visible form: the three replacements run only on the other cells.
-- name: visible_macro
CREATE OR REPLACE TEMP MACRO visible(x) AS CASE
WHEN NOT regexp_matches(x, '[^ -~]') AND NOT starts_with(x, ' ') AND NOT ends_with(x, ' ') THEN x
ELSE regexp_replace(regexp_replace(regexp_replace(x,
'[\x{{a0}}\x{{2007}}\x{{202f}}\x{{2009}}]', ' ', 'g'), '[\x{{200b}}-\x{{200d}}\x{{2060}}\x{{feff}}\x{{ad}}]', '', 'g'),
'^[\s\p{{Z}}\x{{0b}}\x{{1c}}-\x{{1f}}\x{{85}}]+|[\s\p{{Z}}\x{{0b}}\x{{1c}}-\x{{1f}}\x{{85}}]+$', '', 'g') END

-- One key column in its visible form, under its own name (repeated_key's {visible}).
-- name: visible_column
visible({c}) AS {c}

-- name: cell_equal
o.{c} = n.{c}

-- Rows paired by the key as written ({key}: its columns; {on}: cell_equal for each, joined
-- with AND), `same` when the rows' hashes ({every}: all columns) agree: a narrow join, three
-- columns a side. Rows in no such pair differ; the pairs left `same` are checked cell by cell
-- (datatools/large/verify.py, far_unequal) before they count as unchanged (DECISIONS 270).
-- name: hashed_pairs
CREATE OR REPLACE TEMP TABLE pairs AS
SELECT o.rownum AS old_row, n.rownum AS new_row, coalesce(o.h = n.h, false) AS same
FROM (SELECT {key}, rownum, hash({every}) AS h FROM wc) o
FULL JOIN (SELECT {key}, rownum, hash({every}) AS h FROM wc2) n ON {on}

-- name: hashed_same
SELECT new_row, old_row FROM pairs WHERE same ORDER BY new_row

-- The pairs whose cells the walk found unequal (`unequal_rows`: new_row), and those it left
-- (`far_pairs`: old_row, new_row) found unequal here ({equal}: cell_equal for every column).
-- name: mark_unequal
UPDATE pairs SET same = false WHERE new_row IN (SELECT new_row FROM unequal_rows)

-- name: far_unequal
UPDATE pairs SET same = false WHERE new_row IN (
SELECT f.new_row FROM far_pairs f JOIN wc o ON o.rownum = f.old_row JOIN wc2 n ON n.rownum = f.new_row
WHERE ({equal}) IS NOT TRUE)

-- name: same_of_pairs
CREATE OR REPLACE TEMP VIEW same AS SELECT old_row, new_row FROM pairs WHERE same

-- The rows of each version in no unchanged pair, as the views `differ_old` and `differ_new`
-- (rownum): from `pairs` (a keyed join), or from `same` (the merge, or rows paired by content).
-- name: differ_old_of_pairs
CREATE OR REPLACE TEMP VIEW differ_old AS SELECT old_row AS rownum FROM pairs WHERE NOT same AND old_row IS NOT NULL

-- name: differ_new_of_pairs
CREATE OR REPLACE TEMP VIEW differ_new AS SELECT new_row AS rownum FROM pairs WHERE NOT same AND new_row IS NOT NULL

-- name: differ_old_of_same
CREATE OR REPLACE TEMP VIEW differ_old AS SELECT rownum FROM wc WHERE rownum NOT IN (SELECT old_row FROM same)

-- name: differ_new_of_same
CREATE OR REPLACE TEMP VIEW differ_new AS SELECT rownum FROM wc2 WHERE rownum NOT IN (SELECT new_row FROM same)

-- The same table from the streamed merge of two versions sorted by a running key
-- (datatools/large/merge.py): made empty, then each part registered as `merged_same` added.
-- name: same_empty
CREATE OR REPLACE TEMP TABLE same (old_row BIGINT, new_row BIGINT)

-- name: same_add
INSERT INTO same SELECT old_row, new_row FROM merged_same

-- name: count_differing_new
SELECT count(*) FROM differ_new

-- The unchanged pairs among new rows $low to $high (0-based).
-- name: unchanged_in_range
SELECT new_row, old_row FROM same WHERE new_row BETWEEN $low AND $high

-- name: has_second_view
SELECT 1 FROM duckdb_views() WHERE view_name = 'wc2'

-- The first $rows rows of the old version (the key is inferred on them).
-- name: first_rows
SELECT * FROM wc WHERE rownum < $rows ORDER BY rownum

-- The rows with every key cell filled, and the key's distinct values ({key}: one or two
-- columns' visible text), in {view} (wc or wc2).
-- name: key_confirmed
SELECT count(*) FILTER (WHERE NOT list_contains([{key}], '')), count(DISTINCT row({key})) FROM {view}

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

-- The rows that differ, compared in memory a batch at a time (DECISIONS 270): the new
-- version's in batches of $rows in file order; each old one in the batch of the new row whose
-- key reads the same to the eye ({on}: visible_equal for each key column, joined with AND),
-- or, paired with none (removed), in batches after them ($after on), in file order. Both
-- tables are stored in batch order, so that reading one batch skips the others' row groups.
-- name: batched_new
CREATE OR REPLACE TEMP TABLE batched_new AS
SELECT *, (row_number() OVER (ORDER BY rownum) - 1) // $rows AS batch
FROM wc2 WHERE rownum IN (SELECT rownum FROM differ_new) ORDER BY rownum

-- name: batched_old
CREATE OR REPLACE TEMP TABLE batched_old AS
WITH o AS (SELECT * FROM wc WHERE rownum IN (SELECT rownum FROM differ_old)),
     p AS (SELECT o.*, n.batch AS paired FROM o LEFT JOIN batched_new n ON {on})
SELECT * EXCLUDE (paired),
       coalesce(paired, $after + (row_number() OVER (PARTITION BY paired IS NULL ORDER BY rownum) - 1) // $rows) AS batch
FROM p ORDER BY batch, rownum

-- Rows paired by content: every row that differs in one batch (that pairing looks at them all).
-- name: batched_old_together
CREATE OR REPLACE TEMP TABLE batched_old AS
SELECT *, 0 AS batch FROM wc WHERE rownum IN (SELECT rownum FROM differ_old) ORDER BY rownum

-- name: visible_equal
visible(o.{c}) = visible(n.{c})

-- name: batch_count
SELECT coalesce(greatest((SELECT max(batch) FROM batched_new), (SELECT max(batch) FROM batched_old)) + 1, 0)

-- A batch's rows of each version, in file order.
-- name: batch_rows_old
SELECT * EXCLUDE (batch) FROM batched_old WHERE batch = $batch ORDER BY rownum

-- name: batch_rows_new
SELECT * EXCLUDE (batch) FROM batched_new WHERE batch = $batch ORDER BY rownum

-- name: visible_of
visible({c})
