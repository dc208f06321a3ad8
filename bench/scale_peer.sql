-- The bare DuckDB peer of bench/scale.py: the same aggregation straight from the CSV, every
-- column text. `{…}` slots are filled by bench/scale.py with its own column names and paths.

-- name: read
read_csv({path}, all_varchar=true, header=true)

-- name: profile
SELECT count(*), {sums} FROM {first}

-- name: profile_column
count(*) FILTER (WHERE coalesce({c}, '') <> ''), count(DISTINCT {c}), min(length({c})), max(length({c}))

-- The clean peer does what `datatools clean` does to every cell by default, in the same order:
-- odd spaces made spaces and invisible characters removed, NFC, ends trimmed and runs of
-- spaces and tabs made one, placeholders (N/A, null, …; clean_tidy.EMPTY_MARKERS) emptied; an
-- empty cell written empty (NULL), not as "". On the bench's table its file is ours byte for
-- byte. Rows keep their order (preserve_insertion_order, as a user's output must).
-- name: clean
COPY (SELECT {cells} FROM (SELECT {tidied} FROM {first})) TO {out} (HEADER)

-- name: clean_tidy
trim(regexp_replace(nfc_normalize(regexp_replace(regexp_replace(coalesce({c}, ''),
  '[' || chr(160) || chr(8199) || chr(8239) || chr(8201) || chr(12288) || ']', ' ', 'g'),
  '[' || chr(8203) || chr(8204) || chr(8205) || chr(8288) || chr(65279) || chr(173) || ']', '', 'g')),
  '[ \t]{{2,}}', ' ', 'g')) AS {c}

-- name: clean_column
CASE WHEN {c} = '' OR list_contains(['n/a', '#n/a', '-', '--', '?', '(blank)'], lower({c}))
  OR list_contains(['NULL', 'null', 'NaN', 'nan'], {c}) THEN NULL ELSE {c} END AS {c}

-- name: compare
COPY (SELECT coalesce(n.id, o.id) AS id,
      CASE WHEN o.id IS NULL THEN 'added' WHEN n.id IS NULL THEN 'removed' ELSE 'changed' END AS status,
      n.*
      FROM {first} o FULL JOIN {second} n USING (id)
      WHERE o.id IS NULL OR n.id IS NULL OR {differs}) TO {out} (HEADER)

-- name: compare_column
o.{c} IS DISTINCT FROM n.{c}

-- A hand-written SQL dedupe (bench/scale_dedupe.py): rows blocked on surname and on date of
-- birth, pairs kept whose whole rows reach a Jaro-Winkler similarity of 0.9; their count.
-- name: dedupe
WITH t AS (SELECT row_number() OVER () AS r, * FROM read_csv({path}, all_varchar = true, header = true)),
p AS (SELECT x.r AS a, y.r AS b FROM t x JOIN t y ON x.last_name = y.last_name AND x.r < y.r
      UNION SELECT x.r, y.r FROM t x JOIN t y ON x.date_of_birth = y.date_of_birth AND x.r < y.r)
SELECT count(*) FROM p JOIN t x ON x.r = p.a JOIN t y ON y.r = p.b
WHERE jaro_winkler_similarity(concat_ws(' ', x.first_name, x.last_name, x.street, x.city, x.postcode, x.date_of_birth),
                              concat_ws(' ', y.first_name, y.last_name, y.street, y.city, y.postcode, y.date_of_birth)) >= 0.9
