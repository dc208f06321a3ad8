-- Queries of the large match (datatools/large/match.py).

-- The right rows one output part shows, in output order: `wanted` (registered by the caller)
-- holds each output row's place `pos` and its right row `r` (−1 for none: its cells are NULL,
-- written empty). The right working copy is read once per part.
-- name: right_rows
SELECT wc.* EXCLUDE (rownum) FROM wanted LEFT JOIN wc ON wc.rownum = wanted.r ORDER BY wanted.pos
