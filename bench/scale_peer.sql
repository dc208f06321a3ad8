-- The bare DuckDB peer of bench/scale.py: the same aggregation straight from the CSV, every
-- column text. `{…}` slots are filled by bench/scale.py with its own column names and paths.

-- name: read
read_csv({path}, all_varchar=true, header=true)

-- name: profile
SELECT count(*), {sums} FROM {first}

-- name: profile_column
count(*) FILTER (WHERE coalesce({c}, '') <> ''), count(DISTINCT {c}), min(length({c})), max(length({c}))

-- name: clean
COPY (SELECT {cells} FROM {first}) TO {out} (HEADER)

-- name: clean_column
trim(regexp_replace(coalesce({c}, ''), '\s+', ' ', 'g')) AS {c}

-- name: compare
COPY (SELECT coalesce(n.id, o.id) AS id,
      CASE WHEN o.id IS NULL THEN 'added' WHEN n.id IS NULL THEN 'removed' ELSE 'changed' END AS status,
      n.*
      FROM {first} o FULL JOIN {second} n USING (id)
      WHERE o.id IS NULL OR n.id IS NULL OR {differs}) TO {out} (HEADER)

-- name: compare_column
o.{c} IS DISTINCT FROM n.{c}
