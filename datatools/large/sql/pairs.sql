-- Queries of the large dedupe's candidate pairs (datatools/large/pairs.py): the sorted
-- neighbourhood of datatools/tools/candidates.py in SQL, so the pairs of every pass spill to
-- disk instead of sitting in memory. `fr` holds each row's normalised-value rank per compared
-- column (c0, c1, …; 0 = empty), `br` the same for the values spelled backwards, both with
-- `rownum`. A row's place in an order ties on rownum, as numpy's stable lexsort does.

-- name: pairs_table
CREATE OR REPLACE TEMP TABLE pairs (a INTEGER, b INTEGER)

-- A whole-record order of `fr` (or `br`): {order} lists the rank columns, first key first.
-- name: forward_order
CREATE OR REPLACE TEMP TABLE ord AS
SELECT rownum, row_number() OVER (ORDER BY {order}, rownum) AS pos FROM fr

-- name: backward_order
CREATE OR REPLACE TEMP TABLE ord AS
SELECT rownum, row_number() OVER (ORDER BY {order}, rownum) AS pos FROM br

-- The forward order kept: the blocking passes order each block by it.
-- name: keep_forward
CREATE OR REPLACE TEMP TABLE fpos AS SELECT rownum, pos FROM ord

-- Every row paired with the next $window rows of the order.
-- name: neighbour_pairs
INSERT INTO pairs
SELECT least(x.rownum, y.rownum), greatest(x.rownum, y.rownum)
FROM ord x CROSS JOIN range(1, $window + 1) s(step) JOIN ord y ON y.pos = x.pos + s.step

-- One blocking pass: the rows holding a value in column {c}, by value, then in forward order;
-- each row is paired with the next $window rows of its block (an empty cell blocks with nothing).
-- name: block_order
CREATE OR REPLACE TEMP TABLE ord AS
SELECT f.rownum, f.{c} AS block, row_number() OVER (PARTITION BY f.{c} ORDER BY p.pos) AS pos
FROM fr f JOIN fpos p ON p.rownum = f.rownum WHERE f.{c} > 0

-- name: block_pairs
INSERT INTO pairs
SELECT least(x.rownum, y.rownum), greatest(x.rownum, y.rownum)
FROM ord x CROSS JOIN range(1, $window + 1) s(step)
JOIN ord y ON y.block = x.block AND y.pos = x.pos + s.step

-- name: distinct_pairs
CREATE OR REPLACE TEMP TABLE cand AS SELECT DISTINCT a, b FROM pairs

-- name: drop_passes
DROP TABLE IF EXISTS pairs; DROP TABLE IF EXISTS ord; DROP TABLE IF EXISTS fpos

-- name: count_candidates
SELECT count(*) FROM cand

-- One column's bit of a pair's agreement code: set when both rows hold the same value.
-- name: agreement_bit
(CAST(x.{c} = y.{c} AND x.{c} > 0 AS INTEGER) << CAST(substr('{c}', 2) AS INTEGER))

-- The $budget pairs agreeing exactly on the most weight (`agreement` maps each code to its
-- weight, summed as candidates.py sums it); ties in pair order. {bits}: agreement_bit per column.
-- name: within_budget
CREATE OR REPLACE TEMP TABLE cand AS
SELECT a, b FROM (
  SELECT c.a, c.b, v.weight FROM cand c JOIN fr x ON x.rownum = c.a JOIN fr y ON y.rownum = c.b
  JOIN agreement v ON v.code = list_sum([{bits}]))
ORDER BY weight DESC, a, b LIMIT $budget

-- Pairs of rows sharing a rare code (`coded`, made in Python) join after the budget's cut.
-- name: add_coded
CREATE OR REPLACE TEMP TABLE cand AS SELECT a, b FROM cand UNION SELECT a, b FROM coded

-- name: ordered_candidates
SELECT a, b FROM cand ORDER BY a, b

-- The pairs that reached the threshold, stored as the batches are scored.
-- name: matched_table
CREATE OR REPLACE TEMP TABLE matched (a INTEGER, b INTEGER, strength FLOAT)

-- name: add_matched
INSERT INTO matched SELECT a, b, strength FROM scored_batch

-- name: ordered_matched
SELECT a, b, strength FROM matched ORDER BY a, b
