"""Match in the window on the duckdb engine: the matched table written once into the kept
working copy's folder (Parquet), the review's pages read from there, Save streaming it out.

`large/match.py` finds the matches on both files' working copies; its `matched_parts` gives
the output in the saved file's order. Here that output (with the possible matches' partners,
as the in-memory window asks for them) goes to `matches.parquet`, and with a learned model each
row's weights as numbers to `weights.parquet` beside it, row for row (`Waterfalls.to_table`:
the window draws them as bars, and shows the reason without them in words, as in memory).
The review keeps only each row's score and certainty (`LargeMatchReview`), reads the rows of
a page from the files, and looks for a filter's text in one pass over the matches. Save reads
`matches.parquet` only. Both working copies go as soon as the files are written; the folder
with them stays while the result is open (closed: removed), as for a large dedupe or compare.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from datatools import notices
from datatools.app.match_review import CONTEXT, MatchReview, row_texts
from datatools.progress import Progress

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

    from datatools.app.inputs import InputSpec
    from datatools.tools.waterfall import Waterfalls
    from datatools.app.results.large_matches import LargeMatches

MATCH_FILE = "matches.parquet"
WEIGHTS_FILE = "weights.parquet"


def run_match_large(specs: list["InputSpec"], options: dict[str, Any], progress: Progress,
                    memory_limit: int | None, synonyms) -> "LargeMatches":
    """The match of two large files for the review: both working copies made (the column names
    checked on the files' first rows before), `match_tables_large` with the possible matches'
    partners, its output written to `matches.parquet`, the copies removed. Cancel or an error
    removes the folder. Raises what `match_tables_large` and `large_job` raise."""
    import pandas as pd

    from datatools.app.inputs import jsonable, output_name
    from datatools.app.large_runs import engine_figures
    from datatools.app.results.large_matches import LargeMatches
    from datatools.app.saving import csv_habits
    from datatools.large.job import check_header, large_job
    from datatools.large.job import key_column as _key_column
    from datatools.large.match import match_tables_large
    from datatools.tools.match import check_match
    from datatools.tools.recipe import import_settings

    on, right_on = options.get("on") or [], options.get("right_on") or None
    settings = {"threshold": options["threshold"], "top": options["top"] or 1, "unique": options["unique"]}
    check_header([specs[0].path], specs[0].read_options(), lambda left: check_header(
        [specs[1].path], specs[1].read_options(), lambda right: check_match(
            pd.DataFrame(columns=left), pd.DataFrame(columns=right), on, right_on, *settings.values(), 0)))
    with large_job(specs[0].path, memory_limit=memory_limit, progress=progress.stage(0.0, 0.15),
                   keep=True, **specs[0].read_options()) as left:
        try:
            with large_job(specs[1].path, memory_limit=memory_limit, progress=progress.stage(0.15, 0.25),
                           **specs[1].read_options()) as right:
                key = _key_column(left, progress.stage(0.25, 0.26))
                right_key = _key_column(right, progress.stage(0.26, 0.27))
                found = match_tables_large(left, right, on, right_on, include_possible=True, synonyms=synonyms,
                                           progress=progress.stage(0.27, 0.85), right_key=right_key,
                                           **settings)
                engine = {**engine_figures(left), "rows": [left.copy.rows, right.copy.rows],
                          "working_copy_bytes": left.copy.disk_bytes() + right.copy.disk_bytes()}
                path, weights, names = _write_matches(left, right, found, progress.stage(0.85, 0.97))
                infos = (left.copy.info, right.copy.info)
                widths = (len(left.copy.names), len(right.copy.names))
        except BaseException:
            shutil.rmtree(left.copy.folder, ignore_errors=True)
            raise
    folder = left.copy.folder
    try:
        for entry in folder.iterdir():        # the matched table (and weights) is all a page or a save reads
            if entry not in (path, weights):
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        progress.update(0.97, "preparing the review")
        review = LargeMatchReview(path, names, on, right_on or on, (specs[0].path.name, specs[1].path.name),
                                  key=key, top=found.report.top, weights=weights)
        report = found.report
        if report.top == 1:       # as the in-memory window reports it: possible matches held
            report = replace(report, matched=report.certain, unmatched=report.left_rows - report.certain)
        report = jsonable(report.to_dict())
        reads = [SimpleNamespace(path=spec.path, encoding=info.encoding, delimiter=info.delimiter,
                                 warnings=info.warnings, sheet=info.sheet) for spec, info in zip(specs, infos)]
        warnings = [notices.about_file(spec.path.name, w) for spec, info in zip(specs, infos)
                    for w in info.warnings] + list(found.notes)
        return LargeMatches(
            warnings=warnings, report={**report, "engine": engine}, review=review,
            summary={"left_rows": report["left_rows"], "matched": report["matched"],
                     "possible": report["possible"] if report["top"] == 1 else 0,
                     "unmatched": report["unmatched"] - report["possible"] if report["top"] == 1
                     else report["unmatched"]},
            inputs=(specs[0].path, specs[1].path), suggested_name=output_name(specs[0], "matched", ".csv"),
            habits=csv_habits(reads[0]), source=import_settings(specs[0].read_options(), reads[0]),
            second=import_settings(specs[1].read_options(), reads[1]), widths=widths, right_key=right_key,
            folder=folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def _write_matches(left, right, found, progress: Progress) -> tuple[Path, Path | None, list[str]]:
    """`matched_parts` into `matches.parquet` beside the left copy (every cell as text, an empty
    cell kept as the reader left it), and with a model each row's weights into `weights.parquet`
    (row groups alike); (the matches' path, the weights' path or None, the column names)."""
    import contextlib
    import itertools

    import pyarrow as pa

    from datatools.large.groups import GroupWriter
    from datatools.large.match import matched_parts

    path = left.copy.folder / MATCH_FILE
    parts = matched_parts(left, right, found, waterfalls=True)
    first = next(parts)               # there is one part even for a table without rows
    names = [str(c) for c in first[0].columns]
    schema = pa.schema([(name, pa.string()) for name in names])
    weights = None if first[2] is None else left.copy.folder / WEIGHTS_FILE
    with contextlib.ExitStack() as stack:
        writer = stack.enter_context(GroupWriter(path, schema))
        bars = weights and stack.enter_context(GroupWriter(weights, first[2].to_table().schema))
        for part, done, falls in itertools.chain([first], parts):
            writer.write(pa.Table.from_pandas(part, schema=schema, preserve_index=False))
            if bars:
                bars.write(falls.to_table())
            progress.update(done, "writing the matches")
    return path, weights, names


class LargeMatchReview(MatchReview):
    """`MatchReview` over `matches.parquet`: each row's score and certainty in memory, the rows
    of a page read from the file (their weights from `weights`, None without a model), a
    filter's text sought in one pass (the last one kept)."""

    def __init__(self, path: Path, names: list[str], on: list[str], right_on: list[str],
                 files: tuple[str, str] = ("", ""), context: int = CONTEXT, key: str | None = None,
                 top: int = 1, weights: Path | None = None) -> None:
        import pyarrow.parquet as pq

        self.path = path
        self.weights = weights
        self.names = list(names)
        self._shown(names, on, right_on, files, context, key, top)
        decided = pq.read_table(path, columns=["match_score", "match_certainty"])
        self._decided(decided.column(0), decided.column(1))
        self._sought: tuple[str, "np.ndarray"] | None = None

    def _waterfalls(self, rows: list[int]) -> "Waterfalls | None":
        """Rows `rows`' weights read from `weights.parquet` (a row taken back keeps them until
        Save, as in memory: Save reads the matches only)."""
        import numpy as np
        import pyarrow.parquet as pq

        from datatools.app.large_compare import take_rows
        from datatools.tools.waterfall import Waterfalls

        if self.weights is None:
            return None
        ordered = sorted(rows)
        model = Waterfalls.table_model(pq.read_schema(self.weights))
        falls = Waterfalls.from_table(take_rows(self.weights, ordered), *model)
        return falls.take(np.searchsorted(ordered, rows))

    def _text_rows(self, text: str) -> "np.ndarray":
        """Whether each row's cells hold `text`: sought a column at a time over the column's
        distinct values, casefolded (a cell holds it where the row's cells joined by tabs do,
        as `row_texts` joins them, unless it holds a tab: then in the joined cells, a part of
        rows at a time)."""
        import numpy as np
        import pyarrow.parquet as pq

        from datatools.large.dedupe import PART_ROWS

        if self._sought is None or self._sought[0] != text:
            source = pq.ParquetFile(self.path)
            holding = np.zeros(source.metadata.num_rows, dtype=bool)
            if "\t" in text:
                start = 0
                for batch in source.iter_batches(batch_size=PART_ROWS):
                    cells = row_texts(batch.to_pandas().fillna(""))
                    holding[start:start + len(cells)] = [text in row for row in cells]
                    start += len(cells)
            else:
                names = [n for n in self.names if n not in ("match_score", "match_certainty", "match_reason")]
                start = 0
                for group in range(source.num_row_groups):
                    size = source.metadata.row_group(group).num_rows
                    for name in names:       # a column of a row group at a time: a notes column is large
                        cells = source.read_row_group(group, columns=[name]).column(0)
                        holding[start:start + size] |= _holds(cells, text)
                    start += size
            self._sought = (text, holding)
        return self._sought[1]

    def _cells(self, rows: list[int]) -> list[tuple[list[str], str]]:
        """Rows `rows`' shown cells and reason, only their columns read from the file."""
        from datatools.app.large_compare import take_rows

        ordered = sorted(rows)
        wanted = [*self.columns, "match_reason"]
        values = take_rows(self.path, ordered, wanted).to_pandas().fillna("").to_numpy()
        at = {row: k for k, row in enumerate(ordered)}
        return [([str(v) for v in values[at[row], :-1]], str(values[at[row], -1])) for row in rows]


def _holds(cells: "pa.ChunkedArray", text: str) -> "np.ndarray":
    """Whether each cell (null: "") holds `text` (casefolded) once casefolded, a bool array:
    over the distinct values, ASCII ones lowered by Arrow (casefold is lower there), the others
    casefolded by Python."""
    import numpy as np
    import pyarrow.compute as pc

    codes = pc.dictionary_encode(pc.fill_null(cells, "").combine_chunks())
    values = codes.dictionary
    found = pc.match_substring(pc.utf8_lower(values), text).to_numpy(zero_copy_only=False)
    other = np.flatnonzero(~pc.string_is_ascii(values).to_numpy(zero_copy_only=False))
    found[other] = [text in value.casefold() for value in values.take(other).to_pylist()]
    return found[codes.indices.to_numpy(zero_copy_only=False)]
