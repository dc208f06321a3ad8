"""Candidate pairs scored batch by batch on the duckdb engine, for dedupe and match alike.

At a fixed threshold each batch of `cand` (datatools/large/pairs.py) is scored once with
`score_pairs(..., veto_from=threshold)`. With a learned model the batches are scored first and
their scores written to the working copy's folder (`scores/`, about 20 bytes a pair: row
numbers, score and column scores), the model is learned from them batch by batch, each batch's
veto checks written beside them (Arrow and .npy files, no pickles)
(datatools/tools/linkage_batches.py: pattern counts, no array of all pairs), and each batch is
then read back and weighed by the model. Memory holds one batch, never all pairs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterable, Iterator

from datatools.large import pairs
from datatools.progress import Progress

if TYPE_CHECKING:
    import numpy as np

    from datatools.large.job import LargeJob
    from datatools.tools.linkage_model import LinkageModel
    from datatools.tools.scoring_process import ScoringProcess
    from datatools.tools.similarity import PairScores, PreparedColumns

# Called with each batch's pairs (a, b) and their scores, in pair order.
Visit = Callable[["np.ndarray", "np.ndarray", "PairScores"], None]


def score_batches(job: "LargeJob", prepared: "PreparedColumns", compared: int, limit: float,
                  learned: bool, visit: Visit, progress: Progress,
                  side: "np.ndarray | None" = None,
                  unlearned: "Callable[[], float] | None" = None) -> "LinkageModel | None":
    """Score the `compared` pairs of `cand` batch by batch, calling `visit(a, b, scored)` for
    each batch in pair order; the model learned (None when not `learned`: scores and vetoes
    from `limit` decide). `side` marks the right table's rows of a match (the model's random
    pairs are then left × right). With `unlearned` (dedupe), a model that found no match over
    all batches (dedupe.model_found_matches, DECISIONS 365) is dropped: `unlearned()` forgets
    what was visited and gives the fixed threshold, every batch is visited again as scored at
    it, and None is returned. Raises Cancelled when progress is cancelled.
    """
    from datatools.tools.scoring_process import worker_for

    # Every second batch scored by a second process (DECISIONS 409, 411): a dedupe's by
    # default (502), a match's when asked for; the worker is ended here, before the job
    # removes the working copy its files are in.
    with worker_for(prepared, compared, job.copy.folder, default=side is None) as worker:
        return _score_batches(job, prepared, compared, limit, learned, visit, progress, side,
                              unlearned, worker)


def _score_batches(job: "LargeJob", prepared: "PreparedColumns", compared: int, limit: float,
                   learned: bool, visit: Visit, progress: Progress, side: "np.ndarray | None",
                   unlearned: "Callable[[], float] | None",
                   worker: "ScoringProcess | None") -> "LinkageModel | None":
    """score_batches' work, the batches' column scores shared with `worker` when there is one."""
    from datatools.tools.dedupe import alike_pairs
    from datatools.tools.keyed_twice import lift_keyed_twice
    from datatools.tools.linkage_batches import apply_batch, learn_model_batched
    from datatools.tools.similarity import score_columns, score_pairs

    def scored(batches_of_pairs: "Iterable[tuple[np.ndarray, np.ndarray]]",
               veto_from: float | None = None) -> "Iterator[tuple[np.ndarray, np.ndarray, PairScores]]":
        """Each batch (a, b) with its scores, in order. With a worker, two at a time: the
        second goes to the worker whole while this process scores the first (whole batches:
        each distinct value is prepared once a batch, as in one process); a last batch
        without a partner is split in halves (ScoringProcess.score_columns)."""
        if worker is None:
            for a, b in batches_of_pairs:
                yield a, b, score_pairs(prepared, a, b, veto_from=veto_from)
            return
        remaining = iter(batches_of_pairs)
        for a, b in remaining:
            following = next(remaining, None)
            if following is None:
                columns = worker.score_columns(a, b, cancel=progress)
                yield a, b, score_pairs(prepared, a, b, veto_from=veto_from, columns=columns)
                return
            number = worker.submit(*following)
            yield a, b, score_pairs(prepared, a, b, veto_from=veto_from,
                                    columns=score_columns(prepared, a, b))
            columns = worker.result(number, progress)
            yield (*following, score_pairs(prepared, *following, veto_from=veto_from,
                                           columns=columns))

    size = pairs.BATCH
    batches = max(1, -(-compared // size))
    if not learned:
        for number, (a, b, scored_batch) in enumerate(
                scored(pairs.pair_batches(job, compared, prepared.rows, size), limit)):
            visit(a, b, scored_batch)
            progress.update((number + 1) / batches, "weighing the pairs")
        return None
    store = _ScoreStore(job)
    for number, (a, b, scored_batch) in enumerate(
            scored(pairs.pair_batches(job, compared, prepared.rows, size))):
        store.save(a, b, scored_batch)
        progress.update(0.4 * (number + 1) / batches, f"compared {number + 1} of {batches} batches of pairs")
    model, _ = learn_model_batched(prepared, lambda: ((a, b, s.columns) for a, b, s in store.load()),
                                   side=side, progress=progress.stage(0.4, 0.6),
                                   keep_check=store.save_check)
    alike = reached = False
    for number, (a, b, scored_batch) in enumerate(store.load()):
        scored_batch = apply_batch(model, prepared, a, b, scored_batch, store.load_check(number))
        if unlearned is not None and not reached:
            found = alike_pairs(scored_batch, len(prepared.names))
            alike, reached = alike or found[0], found[1]
        if side is None:      # a dedupe: a product listing keyed twice (keyed_twice.py)
            lift_keyed_twice(prepared, a, b, scored_batch)
        visit(a, b, scored_batch)
        progress.stage(0.6, 1.0).update((number + 1) / batches, "weighing the pairs")
    if alike and not reached:
        limit = unlearned()
        for number, (a, b, scored_batch) in enumerate(
                scored(((a, b) for a, b, _ in store.load()), limit)):
            visit(a, b, scored_batch)
            progress.update(1.0, f"scored {number + 1} of {batches} batches by the rules")
        model = None
    store.remove()
    return model


class _ScoreStore:
    """Scored batches as .npy files in the job's folder (removed with it), read back in order."""

    def __init__(self, job: "LargeJob") -> None:
        self.folder = job.copy.folder / "scores"
        self.folder.mkdir(exist_ok=True)
        self.count = 0

    def save(self, a: "np.ndarray", b: "np.ndarray", scored: "PairScores") -> None:
        import numpy as np

        for name, values in (("a", a), ("b", b), ("score", scored.score), ("columns", scored.columns)):
            np.save(self.folder / f"{self.count}-{name}.npy", values)
        self.count += 1

    def save_check(self, number: int, check: tuple) -> None:
        """Batch `number`'s veto checks (linkage_batches.Checks): the packed bits as .npy, the
        vetoes as an Arrow file of plain columns (pair index, column, the two words, score)."""
        import numpy as np
        import pyarrow as pa

        packed, vetoes = check
        np.save(self.folder / f"{number}-checked.npy", packed)
        found = list(vetoes.values())
        table = pa.table({"pair": pa.array(list(vetoes), pa.int64()),
                          "column": pa.array([v.column for v in found], pa.int64()),
                          "word_a": pa.array([v.word_a for v in found], pa.string()),
                          "word_b": pa.array([v.word_b for v in found], pa.string()),
                          "score": pa.array([v.score for v in found], pa.float64())})
        with pa.OSFile(str(self.folder / f"{number}-vetoes.arrow"), "wb") as sink:
            with pa.ipc.new_file(sink, table.schema) as writer:
                writer.write_table(table)

    def load_check(self, number: int) -> tuple:
        """What `save_check` wrote for batch `number`: (packed bits, {pair: Veto}) in pair order."""
        import numpy as np
        import pyarrow as pa

        from datatools.tools.similarity import Veto

        with pa.memory_map(str(self.folder / f"{number}-vetoes.arrow")) as source:
            table = pa.ipc.open_file(source).read_all()
        columns = [table.column(name).to_pylist() for name in ("pair", "column", "word_a", "word_b", "score")]
        vetoes = {pair: Veto(column, word_a, word_b, score) for pair, column, word_a, word_b, score in zip(*columns)}
        return np.load(self.folder / f"{number}-checked.npy"), vetoes

    def load(self) -> Iterator[tuple["np.ndarray", "np.ndarray", "PairScores"]]:
        import numpy as np

        from datatools.tools.similarity import PairScores

        for number in range(self.count):
            a, b, score, columns = (np.load(self.folder / f"{number}-{name}.npy")
                                    for name in ("a", "b", "score", "columns"))
            yield a, b, PairScores(score, columns, {})

    def remove(self) -> None:
        import shutil

        shutil.rmtree(self.folder, ignore_errors=True)
