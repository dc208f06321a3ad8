"""The guarded writer: whole or nothing, secrets private from the first byte, one write at a time."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from datatools.errors import OutputExists, WouldOverwriteInput
from datatools.safe_write import open_output, write_file

REPO = Path(__file__).resolve().parents[1]


def test_importing_the_writer_loads_no_pandas_and_nothing_of_the_app():
    probe = ("import sys, datatools.safe_write; "
             "print(sorted(m for m in sys.modules if m.split('.')[0] in ('datatools', 'pandas', 'numpy')))")
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True,
                            cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}).stdout
    assert loaded.strip() == "['datatools', 'datatools.errors', 'datatools.safe_write', 'datatools.version']"


def test_a_failed_write_leaves_the_old_target_and_no_temporary_file(tmp_path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"old\n")
    with pytest.raises(RuntimeError):
        with open_output(target, force=True) as handle:
            handle.write(b"new, but only half of it")
            raise RuntimeError("the tool failed halfway")
    assert target.read_bytes() == b"old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def test_secret_files_are_private_from_the_first_byte(tmp_path):
    target = tmp_path / "license.json"
    with open_output(target, mode=0o600) as handle:
        assert stat.S_IMODE(os.fstat(handle.fileno()).st_mode) == 0o600
        handle.write(b"{}")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_an_ordinary_output_gets_the_usual_permissions(tmp_path):
    mask = os.umask(0o022)
    os.umask(mask)
    target = write_file(tmp_path / "out.csv", "a\n")
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~mask


def test_without_force_an_existing_target_is_refused_and_kept(tmp_path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"keep me\n")
    with pytest.raises(OutputExists):
        write_file(target, b"new\n")
    assert target.read_bytes() == b"keep me\n"


def test_an_input_is_refused_by_inode_even_under_another_name(tmp_path):
    source = tmp_path / "in.csv"
    source.write_bytes(b"precious\n")
    os.link(source, tmp_path / "same.csv")
    with pytest.raises(WouldOverwriteInput):
        write_file(tmp_path / "same.csv", b"x", inputs=[source], force=True)
    assert source.read_bytes() == b"precious\n"


@pytest.mark.parametrize("force", [True, False], ids=["force", "no-force"])
def test_concurrent_writes_to_one_target_never_mix(tmp_path, force):
    """Two threads write 8 MiB each to one name: the result is one of them whole, never a blend."""
    target = tmp_path / "out.csv"
    contents = [bytes([ord("a") + i]) * (8 << 20) for i in range(2)]
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def write(data: bytes) -> None:
        start.wait()
        try:
            with open_output(target, force=force) as handle:
                for offset in range(0, len(data), 1 << 16):
                    handle.write(data[offset:offset + (1 << 16)])
            outcomes.append("written")
        except OutputExists:
            outcomes.append("refused")

    threads = [threading.Thread(target=write, args=(data,)) for data in contents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert target.read_bytes() in contents
    assert sorted(outcomes) == (["written", "written"] if force else ["refused", "written"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv"]


def _kill_during_write(tmp_path: Path, target: Path) -> None:
    """Start `datatools encoding fix` on a large file and SIGKILL it while it writes."""
    source = tmp_path / "big.csv"
    line = "Müller;Straße 1;Köln;Ã© garbled\n".encode("utf-8")
    with open(source, "wb") as handle:
        for _ in range(40):
            handle.write(line * 50_000)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(
        [sys.executable, "-m", "datatools", "encoding", "fix", str(source), "-o", str(target),
         "--from", "utf-8", "--repair-mojibake", "--force", "--quiet"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    try:
        while True:
            partial = [p for p in tmp_path.iterdir() if p.name.startswith(f".{target.name}.")]
            if partial and partial[0].stat().st_size > 1 << 20:
                break
            assert process.poll() is None, "the write ended before it could be interrupted"
            assert time.monotonic() < deadline, "the write never started"
            time.sleep(0.005)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL


def test_killing_the_process_mid_write_keeps_the_old_target_whole(tmp_path):
    target = tmp_path / "out.csv"
    target.write_bytes(b"the old result\n")
    _kill_during_write(tmp_path, target)
    assert target.read_bytes() == b"the old result\n"


def test_killing_the_process_mid_write_leaves_no_target(tmp_path):
    target = tmp_path / "out.csv"
    _kill_during_write(tmp_path, target)
    assert not target.exists()
