-- Queries of the large dedupe's candidate pairs (datatools/large/pairs.py): the sorted
-- neighbourhood of datatools/tools/candidates.py in SQL, so the pairs of every pass spill to
-- disk instead of sitting in memory. `fr` holds each row's normalised-value rank per compared
-- column (c0, c1, …; 0 = empty), `br` the same for the values spelled backwards, both with
-- `rownum`. A row's place in an order ties on rownum, as numpy's stable lexsort does. A pair
-- (a, b), a < b, is held as one key k = a × $rows + b, as candidates.py holds it: sorting keys
-- sorts pairs, and DuckDB makes the keys distinct within a small memory limit.

-- The pair tables live in a database file in the job's folder (removed with it): DuckDB's
-- temporary tables of an in-memory database ran out of a 64 MB limit where these did not.
-- name: attach_scratch
ATTACH $path AS scratch

-- name: use_scratch
USE scratch

-- name: pairs_table
CREATE OR REPLACE TABLE pairs (k BIGINT)

-- A whole-record order of `fr` (or `br`): {order} lists the rank columns, first key first.
-- name: forward_order
CREATE OR REPLACE TABLE ord AS
SELECT rownum, row_number() OVER (ORDER BY {order}, rownum) AS pos FROM fr

-- name: backward_order
CREATE OR REPLACE TABLE ord AS
SELECT rownum, row_number() OVER (ORDER BY {order}, rownum) AS pos FROM br

-- The forward order kept: the blocking passes order each block by it.
-- name: keep_forward
CREATE OR REPLACE TABLE fpos AS SELECT rownum, pos FROM ord

-- Every row paired with the next $window rows of the order. With $split above 0 (a match: the
-- left table's rows first, then the right's) only pairs of a left and a right row are kept.
-- name: neighbour_pairs
INSERT INTO pairs
SELECT least(x.rownum, y.rownum)::BIGINT * $rows + greatest(x.rownum, y.rownum)
FROM ord x CROSS JOIN range(1, $window + 1) s(step) JOIN ord y ON y.pos = x.pos + s.step
WHERE $split = 0 OR (least(x.rownum, y.rownum) < $split AND greatest(x.rownum, y.rownum) >= $split)

-- One blocking pass: the rows holding a value in column {c}, by value, then in forward order;
-- each row is paired with the next $window rows of that order that share its value (up to its
-- block's `last` position; an empty cell blocks with nothing). Joining on the position alone,
-- not on the value, keeps a common value from making a join of all its rows with each other.
-- name: block_order
CREATE OR REPLACE TABLE ord AS
SELECT rownum, pos, max(pos) OVER (PARTITION BY block) AS last FROM (
  SELECT f.rownum, f.{c} AS block, row_number() OVER (ORDER BY f.{c}, p.pos) AS pos
  FROM fr f JOIN fpos p ON p.rownum = f.rownum WHERE f.{c} > 0)

-- name: block_pairs
INSERT INTO pairs
SELECT least(x.rownum, y.rownum)::BIGINT * $rows + greatest(x.rownum, y.rownum)
FROM ord x CROSS JOIN range(1, $window + 1) s(step) JOIN ord y ON y.pos = x.pos + s.step
WHERE x.pos + s.step <= x.last
  AND ($split = 0 OR (least(x.rownum, y.rownum) < $split AND greatest(x.rownum, y.rownum) >= $split))

-- The distinct keys, made one part (k % $parts) at a time: one DISTINCT over every pass's keys
-- runs out of a small memory limit (DuckDB 1.x and 2.0 do not always spill its hash table).
-- Up to pairs.SCAN_PARTS parts each part scans the keys; beyond, the keys are written once into
-- a Parquet file per part (folder $path/p=<part>) and each part made distinct from its files.
-- name: candidates_table
CREATE OR REPLACE TABLE cand (k BIGINT)

-- name: distinct_scan
INSERT INTO cand SELECT DISTINCT k FROM pairs WHERE k % $parts = $part

-- name: split_pairs
COPY (SELECT k, k % $parts AS p FROM pairs) TO $path (FORMAT parquet, PARTITION_BY (p))

-- name: distinct_part
INSERT INTO cand SELECT DISTINCT k FROM read_parquet($files, hive_partitioning = false)

-- name: count_pairs
SELECT count(*) FROM pairs

-- name: drop_passes
DROP TABLE IF EXISTS pairs; DROP TABLE IF EXISTS ord; DROP TABLE IF EXISTS fpos

-- name: count_candidates
SELECT count(*) FROM cand

-- Each pair's weight of exactly agreeing columns (made in numpy a part of `cand` at a time,
-- pairs.py: the join of every pair with both rows' ranks was a third of the pairs' cost), then
-- the $budget pairs agreeing on the most weight, ties in pair order: every pair above the
-- weight $cut the budget falls on, and the first $rest pairs of that weight (the weights are
-- counted in pairs.py: no sort of every pair).
-- name: agreement_table
CREATE OR REPLACE TABLE agree (k BIGINT, weight FLOAT)

-- name: candidate_keys
SELECT k FROM scratch.cand

-- name: add_agreement
INSERT INTO agree SELECT k, weight FROM agreement_part

-- name: within_budget
CREATE OR REPLACE TABLE cand AS
SELECT k FROM agree WHERE weight > $cut::FLOAT
UNION ALL
(SELECT k FROM agree WHERE weight = $cut::FLOAT ORDER BY k LIMIT $rest)

-- name: drop_codes
DROP TABLE IF EXISTS agree

-- Pairs of rows sharing a rare code (`coded`, made in Python) join after the budget's cut.
-- name: add_coded
CREATE OR REPLACE TABLE cand AS SELECT k FROM cand UNION SELECT k FROM coded

-- The pairs numbered into batches of $batch in pair order, read one batch at a time (the table
-- is written in that order, so DuckDB's row-group statistics skip the other batches).
-- name: number_candidates
CREATE OR REPLACE TABLE cand AS
SELECT k, (row_number() OVER (ORDER BY k) - 1) // $batch AS batch FROM cand ORDER BY k

-- name: candidate_batch
SELECT k FROM cand WHERE batch = $batch ORDER BY k

-- The pairs that reached the threshold, stored as the batches are scored.
-- name: matched_table
CREATE OR REPLACE TABLE matched (a INTEGER, b INTEGER, strength FLOAT)

-- name: add_matched
INSERT INTO matched SELECT a, b, strength FROM scored_batch

-- name: ordered_matched
SELECT a, b, strength FROM matched ORDER BY a, b

-- The match_reason texts of a large dedupe (datatools/large/reasons.py), sorted by row at the end.
-- name: reasons_table
CREATE OR REPLACE TABLE reasons ("row" INTEGER, "text" VARCHAR)

-- name: add_reasons
INSERT INTO reasons SELECT "row", "text" FROM reason_batch

-- name: ordered_reasons
SELECT "row", "text" FROM reasons ORDER BY "row"

-- name: drop_reasons
DROP TABLE reasons
