"""Choosing the engine, the memory limit, and where working copies live (and stop living)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from datatools.errors import BadOption
from datatools.large.engine import (MB, choose_engine, default_memory_limit, large_bytes,
                                    parse_size)
from datatools.large.workcopy import PID_FILE, cache_folder, sweep_stale


def test_auto_takes_duckdb_only_above_the_size_threshold(tmp_path):
    small = tmp_path / "small.csv"
    small.write_bytes(b"a\n" * 1000)
    assert choose_engine("auto", [small], threshold=4000).engine == "memory"
    choice = choose_engine("auto", [small, small], threshold=3000)     # inputs add up
    assert choice.engine == "duckdb"
    assert choice.reason == "4 KB of input, over the 3 KB the in-memory engine takes"
    assert choose_engine("memory", [small], threshold=10).engine == "memory"
    assert choose_engine("duckdb", [tmp_path / "missing.csv"]).engine == "duckdb"
    with pytest.raises(BadOption):
        choose_engine("polars", [small])


def test_defaults_follow_the_machine_ram():
    assert default_memory_limit(4 << 30) == 256 * MB          # never below 256 MB
    assert default_memory_limit(8 << 30) == 512 * MB
    assert default_memory_limit(64 << 30) == 1024 * MB        # never above 1 GB
    assert large_bytes(4 << 30) == 128 * MB and large_bytes(24 << 30) == 256 * MB


@pytest.mark.parametrize("text,size", [("512MB", 512 * MB), ("2G", 2048 * MB), ("1.5 GiB", 1536 * MB),
                                       ("64mb", 64 * MB), ("300000000", 300_000_000)])
def test_memory_limits_read_as_people_write_them(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["lots", "1 PB", "8MB", "-5GB"])
def test_unusable_memory_limits_are_refused(text):
    with pytest.raises(BadOption):
        parse_size(text)


def test_a_bad_memory_limit_is_a_usage_error_on_the_command_line(tmp_path):
    (tmp_path / "a.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "datatools", "profile", "a.csv", "--memory-limit",
                           "lots"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert done.stderr == "datatools: 'lots' is not a size; write it like 512MB or 2GB.\n"


def test_working_copies_live_in_the_user_cache_folder():
    assert cache_folder({"HOME": "/home/ann"}, "linux") == Path("/home/ann/.cache/datatools/work")
    assert cache_folder({"HOME": "/h", "XDG_CACHE_HOME": "/c"}, "linux") == Path("/c/datatools/work")
    assert cache_folder({"HOME": "/Users/ann"}, "darwin") == Path("/Users/ann/Library/Caches/datatools/work")
    assert cache_folder({"HOME": "C:/Users/ann", "LOCALAPPDATA": "C:/L"}, "win32") == \
        Path("C:/L/datatools/work")


def test_a_copy_left_by_a_killed_process_is_removed_by_the_next_job(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True).stdout.strip()
    for name, pid in (("job-dead", dead), ("job-alive", str(os.getppid())), ("job-mine", str(os.getpid()))):
        (tmp_path / name).mkdir()
        (tmp_path / name / PID_FILE).write_text(pid)
        (tmp_path / name / "table.parquet").write_bytes(b"PAR1")
    (tmp_path / "job-starting").mkdir()                   # made a moment ago, not yet named
    (tmp_path / "job-unnamed").mkdir()
    os.utime(tmp_path / "job-unnamed", (1_000_000_000, 1_000_000_000))   # and one from 2001
    sweep_stale(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["job-alive", "job-mine", "job-starting"]


def test_a_file_too_large_for_memory_is_refused_before_reading(tmp_path):
    from datatools.errors import BadInput
    from datatools.large.engine import check_fits_in_memory

    path = tmp_path / "export.csv"
    path.write_bytes(b"a,b\n" + b"1,2\n" * 262_143)            # 1 MiB
    check_fits_in_memory(path, "compare", available=6 << 20)
    with pytest.raises(BadInput) as refused:
        check_fits_in_memory(path, "compare", available=4 << 20)
    assert refused.value.code == "too_large_for_memory"
    assert refused.value.message == (
        "export.csv is 1 MB; compare holds it in memory and would need about 5 MB, more than the "
        "4 MB free. Profile works on files of any size, and so does clean on the command line "
        "(datatools clean); for compare, split the file first.")
