"""A dedupe's four output cells per row, held compactly until they are written.

cluster_id, match_score and match_certainty are numbers per row (7 bytes a row); the reasons,
a few hundred characters for each grouped row, are kept by a `Reasons` store: in memory for
the memory engine (`ReasonsInMemory`), on disk for the duckdb engine
(datatools/large/reasons.py). As four object arrays of str the cells were about 1.5 GB at
ten million rows (DECISIONS 276). Every cell reads as it did: "" outside every group,
cluster_id the group's number, match_score the rounded score, match_certainty `certain` or
`possible`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Iterable, Protocol

if TYPE_CHECKING:
    import numpy as np

    from datatools.tools.dedupe import Cluster

CERTAINTY = ("", "certain", "possible")


class Reasons(Protocol):
    """Each row's match_reason ("" when it has none); a row is given one at most once."""

    def add(self, rows: "np.ndarray", texts: list[str]) -> None:
        """Rows `rows` (int, any order) get `texts`."""

    def between(self, start: int, end: int) -> "np.ndarray":
        """The reasons of rows start … end − 1 (an object array of str)."""

    def take(self, rows: "np.ndarray") -> "np.ndarray":
        """The reasons of `rows` (ascending), as an object array of str."""


class ReasonsInMemory:
    """`Reasons` as one object array over all rows (the memory engine builds its frame from it)."""

    def __init__(self, rows: int) -> None:
        import numpy as np

        self.texts = np.full(rows, "", dtype=object)

    def add(self, rows: "np.ndarray", texts: list[str]) -> None:
        self.texts[rows] = texts

    def between(self, start: int, end: int) -> "np.ndarray":
        return self.texts[start:end].copy()

    def take(self, rows: "np.ndarray") -> "np.ndarray":
        return self.texts[rows]


class OutputCells:
    """cluster_id, match_score, match_certainty and match_reason of `rows` rows.

    `number` (int32, 0 outside every group), `score` (int16, the rounded 0–100 score) and
    `certainty` (int8, an index into CERTAINTY) per row; `reasons` keeps the texts. `between`,
    `take` and `column` give the cells as the object arrays of str the output is made from.
    """

    def __init__(self, rows: int, reasons: Reasons | None = None) -> None:
        import numpy as np

        self.rows = rows
        self.number = np.zeros(rows, np.int32)
        self.score = np.zeros(rows, np.int16)
        self.certainty = np.zeros(rows, np.int8)
        self.reasons: Reasons = reasons if reasons is not None else ReasonsInMemory(rows)

    def put_groups(self, members: "np.ndarray", number: "np.ndarray", score: "np.ndarray",
                   certain: "np.ndarray") -> None:
        """Rows `members` get group `number` (1…), rounded `score` and `certain` (bool) each."""
        self.number[members] = number
        self.score[members] = score
        self.certainty[members] = 2 - certain.astype("int8")

    def grouped(self, rows: "np.ndarray") -> "np.ndarray":
        """Whether each of `rows` is in a group (bool)."""
        return self.number[rows] > 0

    def between(self, start: int, end: int) -> tuple["np.ndarray", ...]:
        """The four cells of rows start … end − 1, as object arrays of str (fresh copies)."""
        where = slice(start, end)
        return (*self._words(where), self.reasons.between(start, end))

    def take(self, rows: "np.ndarray") -> tuple["np.ndarray", ...]:
        """The four cells of `rows` (ascending positions), as object arrays of str."""
        return (*self._words(rows), self.reasons.take(rows))

    def words(self, rows: "np.ndarray") -> tuple["np.ndarray", ...]:
        """cluster_id, match_score and match_certainty of `rows` (any order), as object arrays
        of str (`take` without the reasons)."""
        return tuple(self._words(rows))

    def columns(self) -> Iterable["np.ndarray"]:
        """The four output columns over all rows, one made at a time (object arrays of str)."""
        yield from self._words(slice(0, self.rows))
        yield self.reasons.between(0, self.rows)

    def _words(self, where) -> Iterable["np.ndarray"]:
        import numpy as np

        number = self.number[where]
        grouped = np.flatnonzero(number)
        for values in (number, self.score[where]):
            column = np.full(len(number), "", dtype=object)
            distinct, inverse = np.unique(values[grouped], return_inverse=True)
            column[grouped] = np.asarray([str(v) for v in distinct.tolist()], dtype=object)[inverse]
            yield column
        yield np.asarray(CERTAINTY, dtype=object)[self.certainty[where]]


@dataclass
class GroupFigures:
    """Per group, numbered 1… in file order, what its `Cluster` says besides its rows: the
    lowest of its members' rounded best scores, whether it is certain, the lowest of their best
    match probabilities (None without a model). Arrays per batch of groups, joined on use:
    a million `Cluster`s with lists of row numbers were some 300 MB (DECISIONS 276)."""

    score: list["np.ndarray"] = field(default_factory=list)         # int64
    certain: list["np.ndarray"] = field(default_factory=list)       # bool
    probability: "list[np.ndarray] | None" = field(default_factory=list)

    def add(self, score: "np.ndarray", certain: "np.ndarray",
            probability: "np.ndarray | None") -> None:
        """The next groups' figures (probability None without a model)."""
        self.score.append(score)
        self.certain.append(certain)
        if probability is None:
            self.probability = None
        elif self.probability is not None:
            self.probability.append(probability)

    @property
    def groups(self) -> int:
        return sum(len(part) for part in self.score)

    @property
    def certain_groups(self) -> int:
        return int(sum(int(part.sum()) for part in self.certain))

    def clusters(self, cells: OutputCells) -> list["Cluster"]:
        """The groups as `Cluster`s in number order, their rows (ascending) from `cells`."""
        import numpy as np

        from datatools.tools.dedupe import Cluster

        if not self.score:
            return []
        grouped = np.flatnonzero(cells.number)
        rows = grouped[np.argsort(cells.number[grouped], kind="stable")]
        cuts = np.flatnonzero(np.diff(cells.number[rows])) + 1
        score = np.concatenate(self.score).tolist()
        certain = np.concatenate(self.certain).tolist()
        lowest = ([None] * len(score) if self.probability is None
                  else np.concatenate(self.probability).tolist())
        return [Cluster(str(k + 1), members.tolist(), score[k], certain[k], lowest[k])
                for k, members in enumerate(np.split(rows, cuts))]
