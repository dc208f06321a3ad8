"""What a rewrite step made of each value it met in earlier batches, so a value repeated across batches is rewritten once."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

MAX_VALUES = 500_000     # values kept at most (a column of dates holds tens of thousands)
MIN_SHARE = 0.5          # a batch meeting fewer known values than this share ends the memo


class WrittenValues:
    """Each value a step rewrote, with what it wrote and a small state number (the step's own:
    e.g. 1 read, 2 unread), kept in pyarrow arrays. A rewrite looks at each value alone, so a
    value met again is answered from here. Kept while it pays: once a batch finds fewer than
    MIN_SHARE of its values here (a column of ids or timestamps, each value met once), or
    MAX_VALUES are kept, the memo is dropped and `lookup` answers nothing known."""

    def __init__(self) -> None:
        self.keys = self.written = None
        self.states: "np.ndarray | None" = None
        self.on = True

    def lookup(self, values: "pd.Series") -> tuple["np.ndarray", "np.ndarray", "np.ndarray"]:
        """For the distinct text `values`: which are known (a numpy bool array), their states
        (0 where not known) and what was written for the known ones, in their order."""
        import numpy as np
        import pyarrow as pa
        import pyarrow.compute as pc

        known = np.zeros(len(values), dtype=bool)
        states = np.zeros(len(values), dtype=np.int8)
        if not self.on or self.keys is None or not len(values):
            return known, states, np.array([], dtype=object)
        at = pc.index_in(pa.array(values.astype("str"), pa.string(), from_pandas=True), value_set=self.keys)
        known = np.asarray(at.is_valid())
        if known.mean() < MIN_SHARE:
            self.on, self.keys, self.written, self.states = False, None, None, None
            return np.zeros(len(values), dtype=bool), states, np.array([], dtype=object)
        found = at.filter(at.is_valid())
        states[known] = self.states[np.asarray(found)]
        return known, states, self.written.take(found).to_numpy(zero_copy_only=False)

    def add(self, values: "pd.Series", written: "pd.Series", states: "np.ndarray") -> None:
        """Keep what was written for the new `values` (text) and their `states`."""
        import numpy as np
        import pyarrow as pa

        if not self.on or not len(values):
            return
        keys = pa.array(values.astype("str"), pa.string(), from_pandas=True)
        made = pa.array(written.astype("str"), pa.string(), from_pandas=True)
        if self.keys is None:
            self.keys, self.written, self.states = keys, made, np.asarray(states, dtype=np.int8)
        else:
            self.keys = pa.concat_arrays([self.keys, keys])
            self.written = pa.concat_arrays([self.written, made])
            self.states = np.concatenate([self.states, np.asarray(states, dtype=np.int8)])
        if len(self.keys) > MAX_VALUES:
            self.on, self.keys, self.written, self.states = False, None, None, None
