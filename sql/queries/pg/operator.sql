-- PostgreSQL's spelling of the month of a timestamptz, in UTC (see ../operator.sql).

-- name: stats_by_month :many -> LicenseCount
SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS "key", count(*) AS licenses,
       sum(CASE WHEN test THEN 1 ELSE 0 END) AS test
FROM licenses GROUP BY 1 ORDER BY 1;
