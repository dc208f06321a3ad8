"""Each explained pair's weights as data: the waterfall the CLI writes in words at the end of
match_reason ("…; weights: first agrees +9.3, last agrees +4.1 (common value), email empty;
start −5.3 → 99.7 %") and the window draws as bars, from one record.

A run with a learned model (tools/linkage_model.py) keeps, per explained pair, each column's
level and log2 weight, whether an exact agreement was on a common value, and the pair's match
probability; per output row, which pair explains it and its partner's row number. The words are
made from these arrays (`Waterfalls.describe`), so the file and the window cannot disagree
(DECISIONS 246). Arrays, not an object per row: a large run explains hundreds of thousands of
pairs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np
    import pyarrow as pa

    from datatools.tools.linkage_model import LinkageModel
    from datatools.tools.similarity import PairScores, PreparedColumns


@dataclass
class Waterfalls:
    """Waterfalls of `pairs` explained pairs, and which one explains each of `rows` rows.

    names: the model's columns; start: log2 prior odds (the prior's weight);
    levels (pairs, columns) uint8: linkage_model level, EMPTY (4) for an empty cell;
    weights (pairs, columns) float32: log2 Bayes factors, 0 where empty;
    common (pairs, columns) bool: an exact agreement on a value more than COMMON_SHARE of the
    rows hold; probability (pairs,) float32 0–1;
    slot (rows,) int32: the pair that explains the row, −1 for none (no group, no partner);
    partner (rows,) int32: that pair's other row, 1-based as the reason says it (0: none).
    """

    names: list[str]
    start: float
    levels: "np.ndarray"
    weights: "np.ndarray"
    common: "np.ndarray"
    probability: "np.ndarray"
    slot: "np.ndarray"
    partner: "np.ndarray"

    @classmethod
    def of_pairs(cls, model: "LinkageModel", prepared: "PreparedColumns", first: "np.ndarray",
                 scored: "PairScores", pairs: "np.ndarray") -> "Waterfalls":
        """The waterfalls of `scored`'s pairs `pairs` (indices into it; `first[k]` the first
        row of pair `pairs[k]`), no row placed yet (`placed` does that)."""
        import numpy as np

        from datatools.tools.linkage_model import COMMON_SHARE

        common = np.zeros((len(pairs), len(model.names)), dtype=bool)
        for column in range(min(len(model.names), len(prepared.ranks))):
            common[:, column] = model.frequency[column][prepared.ranks[column][first]] > COMMON_SHARE
        empty = np.empty(0, dtype=np.int64)
        return cls(list(model.names), float(model.prior_weight), scored.levels[pairs],
                   scored.weights[pairs], common, scored.probability[pairs], empty, empty)

    def placed(self, slot: "np.ndarray", partner: "np.ndarray") -> "Waterfalls":
        """These pairs with `slot` and `partner` per output row (see the class)."""
        return Waterfalls(self.names, self.start, self.levels, self.weights, self.common,
                          self.probability, slot, partner)

    def describe(self, pair: int) -> str:
        """Pair `pair`'s waterfall in words, as match_reason ends: "weights: first agrees +9.3,
        …; start −5.3 → 99.7 %" (reasons.describe_weights)."""
        from datatools.tools.reasons import describe_weights

        return "weights: " + describe_weights(self.names, self.levels[pair], self.weights[pair],
                                              self.start, float(self.probability[pair]),
                                              self.common[pair],
                                              float(self.weighed(slice(pair, pair + 1))[0]))

    def weighed(self, pairs: slice = slice(None)) -> "np.ndarray":
        """Per pair (of `pairs`), the probability its weights alone give (float64): below
        `probability` only where keyed_twice.py lifted the pair (a veto or the score floor only
        lowers it)."""
        import numpy as np

        total = self.weights[pairs].sum(axis=1, dtype=np.float64) + self.start
        return 1 / (1 + np.exp2(-np.clip(total, -60, 60)))

    def describe_all(self) -> list[str]:
        """`describe(k)` for every pair k. Each column's part is put in words once per distinct
        level, weight and common mark, and each probability once (a run of common names
        explains hundreds of thousands of pairs with far fewer parts); a pair's text is its
        parts joined."""
        import numpy as np

        from datatools.tools.reasons import LIFTED_BY, weight_part, weights_end

        columns = []
        for column, name in enumerate(self.names):
            key = ((self.levels[:, column].astype(np.int64) << 33)
                   | (self.common[:, column].astype(np.int64) << 32)
                   | np.ascontiguousarray(self.weights[:, column]).view(np.uint32).astype(np.int64))
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            words = [weight_part(name, level, weight, common) for level, weight, common in zip(
                self.levels[first, column].tolist(), self.weights[first, column].tolist(),
                self.common[first, column].tolist())]
            columns.append(np.asarray(words, dtype=object)[inverse.reshape(-1)].tolist())
        _, first, inverse = np.unique(np.ascontiguousarray(self.probability).view(np.uint32),
                                      return_index=True, return_inverse=True)
        ends = np.asarray([weights_end(self.start, p) for p in self.probability[first].tolist()],
                          dtype=object)[inverse.reshape(-1)].tolist()
        # A pair lifted above its weights (keyed_twice.py) says so.
        weighed = self.weighed()
        for pair in np.flatnonzero(self.probability - weighed > LIFTED_BY).tolist():
            ends[pair] = weights_end(self.start, float(self.probability[pair]), float(weighed[pair]))
        return ["weights: " + ", ".join(parts) + end for *parts, end in zip(*columns, ends)]

    def reason_of(self, row: int) -> str:
        """Row `row`'s weights as its match_reason ends ("" for a row without a waterfall)."""
        pair = int(self.slot[row])
        return "" if pair < 0 else self.describe(pair)

    def to_json(self, row: int) -> dict[str, Any] | None:
        """Row `row`'s waterfall for the window's bars, or None: {"start", "probability",
        "percent" (one decimal), "bound" ("<" or ">" when the words round it so, else ""),
        "columns": [{"column", "level" (LEVEL_NAMES or "empty"), "weight" (log2), "common"}]}."""
        from datatools.tools.linkage_model import EMPTY, LEVEL_NAMES
        from datatools.tools.reasons import percent

        pair = int(self.slot[row])
        if pair < 0:
            return None
        probability = float(self.probability[pair])
        words = percent(probability)
        columns = []
        for column, name in enumerate(self.names):
            level = int(self.levels[pair, column])
            columns.append({"column": name, "level": "empty" if level == EMPTY else LEVEL_NAMES[level],
                            "weight": 0.0 if level == EMPTY else round(float(self.weights[pair, column]), 4),
                            "common": bool(level == 0 and self.common[pair, column])})
        return {"start": round(self.start, 4), "columns": columns, "probability": probability,
                "percent": float(words.lstrip("<>").split()[0]),
                "bound": words[0] if words[0] in "<>" else ""}

    def without(self, rows) -> "Waterfalls":
        """These waterfalls with output rows `rows` (positions, or a bool mask over the rows)
        having none: a group rejected, a row taken out of its group, a match taken back."""
        slot, partner = self.slot.copy(), self.partner.copy()
        slot[rows], partner[rows] = -1, 0
        return self.placed(slot, partner)

    def take(self, rows: "np.ndarray") -> "Waterfalls":
        """The waterfalls of output rows `rows` only, in that order (partners keep their
        numbers: the reasons say them)."""
        return self.placed(self.slot[rows], self.partner[rows])

    def to_table(self) -> "pa.Table":
        """Each output row's waterfall as one row of an Arrow table, for a file lined up row
        for row with the output (the large match's window reads a page's rows from it):
        levels (uint8), weights (float32), common (bool) as lists of len(names) (zeros for a
        row without a waterfall), probability float32 (null: no waterfall), partner int32;
        names and start in the schema's metadata. `from_table` reads it back."""
        import json

        import numpy as np
        import pyarrow as pa

        explained = self.slot >= 0
        pairs = self.slot[explained]
        width = len(self.names)

        def per_row(values: "np.ndarray", kind) -> "pa.Array":
            out = np.zeros((len(self.slot), *values.shape[1:]), dtype=values.dtype)
            out[explained] = values[pairs]
            return pa.FixedSizeListArray.from_arrays(pa.array(out.ravel(), kind), width) \
                if values.ndim == 2 else pa.array(out, kind, mask=~explained)

        meta = {"names": json.dumps(self.names), "start": repr(self.start)}
        return pa.table({"levels": per_row(self.levels, pa.uint8()),
                         "weights": per_row(self.weights, pa.float32()),
                         "common": per_row(self.common, pa.bool_()),
                         "probability": per_row(self.probability, pa.float32()),
                         "partner": pa.array(self.partner, pa.int32())}).replace_schema_metadata(meta)

    @classmethod
    def from_table(cls, table: "pa.Table", names: list[str], start: float) -> "Waterfalls":
        """The waterfalls of the rows of `table` (rows of a `to_table` table, any selection),
        each row its own pair; `names` and `start` from that table's metadata (`table_model`)."""
        import numpy as np

        explained = table.column("probability").is_valid().to_numpy(zero_copy_only=False)

        def values(name: str, kind) -> "np.ndarray":
            flat = table.column(name).combine_chunks().flatten().to_numpy(zero_copy_only=False)
            return np.asarray(flat, kind).reshape(table.num_rows, len(names))

        probability = table.column("probability").fill_null(0).to_numpy().astype(np.float32)
        slot = np.where(explained, np.arange(table.num_rows), -1).astype(np.int32)
        return cls(list(names), start, values("levels", np.uint8), values("weights", np.float32),
                   values("common", bool), probability, slot,
                   table.column("partner").to_numpy().astype(np.int32))

    @staticmethod
    def table_model(schema: "pa.Schema") -> tuple[list[str], float]:
        """The model's column names and start (log2 prior odds) a `to_table` table's `schema` keeps."""
        import json

        meta = schema.metadata
        return json.loads(meta[b"names"]), float(meta[b"start"])

    def same_as(self, other: "Waterfalls | None") -> bool:
        """Whether `other` holds the same waterfall for every row (the parity of the engines)."""
        import numpy as np

        if other is None or self.names != other.names or self.start != other.start \
                or not np.array_equal(self.slot >= 0, other.slot >= 0) \
                or not np.array_equal(self.partner, other.partner):
            return False
        mine, theirs = self.slot[self.slot >= 0], other.slot[other.slot >= 0]
        return all(np.array_equal(getattr(self, name)[mine], getattr(other, name)[theirs])
                   for name in ("levels", "weights", "common", "probability"))
