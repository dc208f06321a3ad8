-- Queries every large job runs (datatools/large/job.py).

-- The working copy as the view `wc`: its columns c0, c1, … and `rownum`, the row's place in
-- the file (0-based). `wc_file` is the Parquet file, registered by the caller.
-- name: working_view
CREATE OR REPLACE TEMP VIEW wc AS SELECT * EXCLUDE (file_row_number), file_row_number AS rownum FROM wc_file

-- name: count_rows
SELECT count(*) FROM wc_file
