"""The signer's log under concurrent signing: group commit (one fdatasync shared by the
signatures waiting for it) never hands out a signature before its entry is on the disk, and a
kill -9 loses no entry of a signature that was handed out.

A kill -9 leaves the kernel's page cache alone, so it cannot tell a synced entry from one only
written; the strace test checks the order itself: each answer leaves after an fdatasync that
began after its entry was written had finished.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from licensed.signer.chain import payload_digest, verify_log
from tests.daemon.harness import SignerProcess
from tests.daemon.signer_harness import ask, license_fields, log_lines

CLIENTS = 8


def lid(n: int) -> str:
    """A distinct, well-formed license id for signature n (L- and 16 base32 letters)."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    digits = "".join(letters[(n >> (5 * k)) & 31] for k in range(4))
    return "L-ABCDEFGHIJKL" + digits


def sign_concurrently(socket_path: Path, per_client: int, stop: threading.Event | None = None,
                      ) -> list[dict[str, Any]]:
    """CLIENTS threads, each asking for `per_client` signatures (or until `stop`, or until the
    signer stops answering); the answers that came back ok."""
    answers: list[dict[str, Any]] = []
    lock = threading.Lock()

    def client(number: int) -> None:
        for k in range(per_client):
            if stop is not None and stop.is_set():
                return
            try:
                answer = ask(socket_path, {"op": "sign", "fields": license_fields(
                    lid=lid(number * per_client + k))})
            except (OSError, ValueError):
                return  # the signer was killed
            assert answer["ok"] is True, answer
            with lock:
                answers.append(answer)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def wait_for_socket(path: Path, process: subprocess.Popen) -> None:
    import socket

    for _ in range(600):
        assert process.poll() is None, "the signer exited"
        with socket.socket(socket.AF_UNIX) as probe:
            try:
                probe.connect(str(path))
                return
            except OSError:
                time.sleep(0.05)
    raise AssertionError("the signer did not listen")


_PID = r"^(\d+) +"


def syscall_order(trace: str) -> tuple[dict[int, int], dict[int, int], list[tuple[int, int]]]:
    """From `strace -f` output: the line at which the log write of each seq finished, the line
    at which the answer carrying each seq started, and (start, end) lines of each fdatasync."""
    written: dict[int, int] = {}
    answered: dict[int, int] = {}
    syncs: list[tuple[int, int]] = []
    open_syncs: dict[str, int] = {}
    pending_writes: dict[str, int] = {}
    for index, line in enumerate(trace.splitlines()):
        pid_match = re.match(_PID, line)
        pid = pid_match.group(1) if pid_match else ""
        seq = re.search(r'\\"seq\\":(\d+)', line)
        if re.search(r"\bfdatasync\(", line):
            if "<unfinished ...>" in line:
                open_syncs[pid] = index
            else:
                syncs.append((index, index))
        elif "<... fdatasync resumed>" in line:
            syncs.append((open_syncs.pop(pid), index))
        elif re.search(r"\bwrite\(\d+, ", line) and seq and "payload_sha256" in line:
            if "<unfinished ...>" in line:
                pending_writes[pid] = int(seq.group(1))
            else:
                written[int(seq.group(1))] = index
        elif "<... write resumed>" in line and pid in pending_writes:
            written[pending_writes.pop(pid)] = index
        elif re.search(r"\bsendto\(", line) and seq and "DTLIC2:" in line:
            answered[int(seq.group(1))] = index
    return written, answered, syncs


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_no_signature_leaves_before_an_fdatasync_covering_its_entry_and_waiters_share_one(
        world, tmp_path):
    trace = tmp_path / "signer.strace"
    process = subprocess.Popen(
        ["strace", "-f", "-qq", "--seccomp-bpf", "-s", "4000", "-e",
         "trace=write,fdatasync,sendto", "-e", "signal=none", "-o", str(trace),
         sys.executable, "-m", "licensed", "signer", "--config", str(world.config_file)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_socket(world.signer_socket, process)
        answers = sign_concurrently(world.signer_socket, per_client=15)
    finally:
        for child in Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split():
            os.kill(int(child), signal.SIGTERM)  # the signer; strace leaves when it does
        process.wait(60)
    assert len(answers) == CLIENTS * 15
    written, answered, syncs = syscall_order(trace.read_text())
    assert sorted(answered) == sorted(a["seq"] for a in answers) == list(range(1, 121))
    for seq, sent_at in answered.items():
        covering = [end for start, end in syncs if start > written[seq] and end < sent_at]
        assert covering, f"seq {seq} was answered before an fdatasync covered its entry"
    # Group commit: signatures that waited together were made durable by one fdatasync.
    assert len(syncs) < len(answers)
    assert verify_log(world.signer_log).problems == []


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_kill_9_under_concurrent_signing_loses_no_entry_of_a_returned_signature(world):
    signer = SignerProcess(world).start()
    stop = threading.Event()
    answers: list[dict[str, Any]] = []
    runner = threading.Thread(target=lambda: answers.extend(
        sign_concurrently(world.signer_socket, per_client=10_000, stop=stop)))
    runner.start()
    try:
        for _ in range(600):
            if len(log_lines(world.signer_log) if world.signer_log.exists() else []) >= 80:
                break
            time.sleep(0.05)
        signer.kill()
        runner.join(120)
    finally:
        stop.set()
    assert len(answers) >= 40  # the kill landed while signatures were being handed out
    entries = {entry["seq"]: entry for entry in log_lines(world.signer_log)}
    for answer in answers:
        assert entries[answer["seq"]]["payload_sha256"] == payload_digest(answer["blob"])
    assert verify_log(world.signer_log).problems == []
    # The signer starts again on the same chain and goes on from its last entry.
    signer.start()
    try:
        again = ask(world.signer_socket, {"op": "sign", "fields": license_fields(lid=lid(99_999))})
    finally:
        signer.stop()
    assert again["ok"] is True and again["seq"] == max(entries) + 1
    report = verify_log(world.signer_log)
    assert report.problems == [] and report.entries == max(entries) + 1
