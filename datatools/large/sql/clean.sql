-- Queries of the large clean (datatools/large/clean.py).

-- The rows `clean --plan` looks at: every $step-th row from the first, at most $rows.
-- name: plan_rows
SELECT * FROM wc WHERE rownum % $step = 0 ORDER BY rownum LIMIT $rows
