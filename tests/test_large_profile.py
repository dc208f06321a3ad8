"""The large-file engine's profile: the same profile as in memory, within a tiny memory limit,
and the working copy gone after success, Ctrl-C and a full disk."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from datatools.io import read_table
from datatools.large.job import large_job
from datatools.large.profile import profile_large
from datatools.tools.profile import profile_table
from tests.cli_process import as_at_a_terminal
from tests.large_inputs import FIELD_CASES, FIXTURES, medium_rows, write_csv


def _both(path: Path, tmp_path: Path, **options) -> tuple[dict, dict]:
    """Each engine's profile of `path`, with the reader's notes and how it read the file."""
    table = read_table(path, **options)
    memory = {**profile_table(table.frame).to_dict(), "encoding": table.encoding,
              "delimiter": table.delimiter, "warnings": [str(w) for w in table.warnings]}
    with large_job(path, root=tmp_path / "work", memory_limit=64 << 20, **options) as job:
        info = job.copy.info
        large = {**profile_large(job).to_dict(), "encoding": info.encoding,
                 "delimiter": info.delimiter, "warnings": [str(w) for w in info.warnings]}
    assert not list((tmp_path / "work").glob("job-*")), "the working copy outlived its job"
    return memory, large


ODD_FILES = ["excel_sep_line.csv", "utf8_one_cp1252_line.csv", "mac_roman_cr.csv", "ja_sjis_short.csv",
             "dayfirst_datetime.csv", "clean_mixed_customers.csv", "phones_trunk_prefix.csv",
             "formulas_no_cached_values.xlsx"]


@pytest.mark.parametrize("name", ODD_FILES)
def test_odd_inputs_profile_the_same_on_both_engines(name, tmp_path):
    memory, large = _both(FIELD_CASES / name, tmp_path)
    assert large == memory


def test_latin1_fixture_and_short_file_profile_the_same(tmp_path):
    memory, large = _both(FIXTURES / "latin1.csv", tmp_path)
    assert large == memory
    short = tmp_path / "short.csv"
    short.write_text("a,b\n1,2\n3,4\n", encoding="utf-8")     # DuckDB's own sniffer reads 0 rows
    memory, large = _both(short, tmp_path)
    assert large == memory and large["rows"] == 2


@pytest.mark.parametrize("encoding,delimiter,sep_line", [("utf-8", ",", False), ("cp1252", ";", True)])
def test_medium_table_profiles_the_same_value_for_value(encoding, delimiter, sep_line, tmp_path):
    path = write_csv(tmp_path / "medium.csv", medium_rows(30_000), encoding=encoding,
                     delimiter=delimiter, sep_line=sep_line)
    memory, large = _both(path, tmp_path)
    assert large == memory
    assert large["columns"][2]["top_values"][0][1] > 1       # ties and counts were compared


def test_ragged_rows_take_the_forgiving_path_on_both_engines(tmp_path):
    rows = medium_rows(2_000)
    rows[10] = rows[10][:4]                                  # a short row, padded
    rows[20] = rows[20] + ["extra"]                          # a long row, widened
    path = write_csv(tmp_path / "ragged.csv", rows)
    memory, large = _both(path, tmp_path)
    assert large == memory
    assert [c["name"] for c in large["columns"]][-1] == "column_10"
    assert [w.split(" (line")[0] for w in large["warnings"]] == [
        "1 row(s) have fewer than 9 fields and were padded with empty cells",
        "1 row(s) have more than 9 fields; the extra values are kept in added columns"]


def test_file_far_larger_than_the_memory_limit_is_counted_exactly(tmp_path):
    """About 80 MB of CSV under a 64 MB limit: every count comes out exact."""
    path = tmp_path / "big.csv"
    rows = 800_000
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write("id,city,filler\n")
        cities = ["Leeds", "York", "Köln", "Lyon", ""]
        pad = "x" * 80
        for i in range(rows):
            handle.write(f"{i},{cities[i % 5]},{pad}{i % 1000}\n")
    assert path.stat().st_size > 64 << 20
    with large_job(path, root=tmp_path / "work", memory_limit=64 << 20) as job:
        profile = profile_large(job)
    assert profile.rows == rows
    ids, city, filler = profile.columns
    assert (ids.distinct, ids.minimum, ids.maximum, ids.type) == (rows, "0", str(rows - 1), "integer")
    assert city.filled == rows * 4 // 5 and city.distinct == 4
    assert sorted(city.top_values) == [("Köln", rows // 5), ("Leeds", rows // 5),
                                       ("Lyon", rows // 5), ("York", rows // 5)]
    assert city.top_values[0] == ("Leeds", rows // 5)        # a tie goes to the first seen
    assert filler.distinct == 1000 and not profile.estimated


def test_beyond_the_distinct_budget_the_count_is_an_estimate_and_says_so(tmp_path):
    path = write_csv(tmp_path / "ids.csv", [["id"]] + [[f"K{i:06d}"] for i in range(50_000)])
    with large_job(path, root=tmp_path / "work") as job:
        profile = profile_large(job, exact_distinct=1_000)
    (column,) = profile.columns
    assert abs(column.distinct - 50_000) < 50_000 * 0.05
    assert profile.to_dict()["estimated"] == {"id": "distinct count (HyperLogLog, about ±2 %) "
                                                    "and top values"}
    assert "≈" in profile.to_text() and "Estimated (≈): id" in profile.to_text()


def test_running_row_numbers_are_counted_exactly_beyond_the_distinct_budget(tmp_path):
    """A column of row numbers holds every value once: past the budget it is still counted
    exactly, as in memory, and the profile does not call it estimated."""
    rows = [["row", "code"]] + [[str(i + 7), f"K{i:06d}"] for i in range(50_000)]
    path = write_csv(tmp_path / "ids.csv", rows)
    with large_job(path, root=tmp_path / "work") as job:
        large = profile_large(job, exact_distinct=1_000).to_dict()
    memory = profile_table(read_table(path).frame).to_dict()
    assert large["columns"][0] == memory["columns"][0]
    assert large["columns"][0]["distinct"] == 50_000
    assert list(large["estimated"]) == ["code"]


def _cli(*argv: str, cache: Path, cwd: Path, **kwargs) -> subprocess.CompletedProcess:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run([sys.executable, "-m", "datatools", *argv], cwd=cwd, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=120, **kwargs)


def test_cli_says_which_engine_and_both_give_the_same_report(tmp_path):
    path = write_csv(tmp_path / "medium.csv", medium_rows(5_000))
    large = _cli("profile", str(path), "--engine", "duckdb", "--memory-limit", "64MB", "-o", "large.json",
                 cache=tmp_path / "cache", cwd=tmp_path)
    auto = _cli("profile", str(path), "-o", "memory.json", cache=tmp_path / "cache", cwd=tmp_path)
    assert large.returncode == auto.returncode == 0, large.stderr + auto.stderr
    assert large.stderr.startswith("datatools: engine duckdb (chosen with --engine, ")
    assert "memory limit 64 MB, working copy in " + str(tmp_path / "cache" / "datatools" / "work") \
        in large.stderr
    assert auto.stderr.startswith("datatools: engine memory (")          # a small file: in memory
    assert large.stdout.replace("large.json", "memory.json") == auto.stdout
    assert json.loads((tmp_path / "large.json").read_text()) == json.loads((tmp_path / "memory.json").read_text())
    assert not list((tmp_path / "cache" / "datatools" / "work").glob("job-*"))


def test_profile_json_names_the_engine_that_ran_on_both_engines(tmp_path):
    """`--json` says which engine ran, as the engine line on stderr does, whichever it was."""
    path = tmp_path / "small.csv"
    path.write_text("id,name\n1,Ann\n2,Bo\n", encoding="utf-8")
    script = Path(sys.executable).with_name("datatools")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    engines = {}
    for engine in ("memory", "duckdb"):
        ran = subprocess.run([str(script), "profile", str(path), "--engine", engine, "--json"],
                             capture_output=True, text=True, env=env, timeout=120)
        assert ran.returncode == 0, ran.stderr
        engines[engine] = json.loads(ran.stdout)["engine"]
    assert engines["memory"] == {"name": "memory"}
    assert engines["duckdb"]["name"] == "duckdb" and engines["duckdb"]["rows"] == 2


def test_ctrl_c_mid_run_leaves_no_working_copy(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("id,name\n")
        handle.writelines(f"{i},name {i % 977}\n" for i in range(3_000_000))
    work = tmp_path / "cache" / "datatools" / "work"
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    process = subprocess.Popen([sys.executable, "-m", "datatools", "profile", str(path), "--engine",
                                "duckdb"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, preexec_fn=as_at_a_terminal)
    deadline = time.monotonic() + 60
    while not list(work.glob("job-*/table.parquet")) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert list(work.glob("job-*/table.parquet")), "the run never started its working copy"
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert err.rstrip().endswith("datatools: cancelled")
    assert not list(work.glob("job-*")), "Ctrl-C left the working copy behind"
    assert out == ""


def _in_tiny_disk(script: str, size: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run `script` (sh) with $DISK a fresh tmpfs of `size`, in a private mount namespace."""
    disk = tmp_path / "disk"
    disk.mkdir()
    return subprocess.run(["unshare", "-rm", "sh", "-c",
                           f'mount -t tmpfs -o size={size} tmpfs "$DISK" && {script}'],
                          env={**os.environ, "DISK": str(disk), "PY": sys.executable},
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)


def test_short_disk_is_told_before_anything_is_written(tmp_path):
    path = write_csv(tmp_path / "medium.csv", medium_rows(20_000))
    before = path.read_bytes()
    done = _in_tiny_disk(f'XDG_CACHE_HOME="$DISK" "$PY" -m datatools profile {path} --engine duckdb; '
                         'echo "exit=$?"; ls -A "$DISK/datatools/work"', "4m", tmp_path)
    assert "datatools: Not enough free disk space for the working copy: it needs about" in done.stderr
    assert "the input was not changed" in done.stderr
    assert done.stdout.strip() == "exit=1"                   # and the work folder is empty
    assert path.read_bytes() == before


def test_disk_filling_up_while_copying_removes_the_copy_and_says_so(tmp_path):
    path = write_csv(tmp_path / "medium.csv", medium_rows(60_000))
    before = path.read_bytes()
    script = ("from pathlib import Path; import os, sys\n"
              "from datatools.errors import BadInput\n"
              "from datatools.large import workcopy\n"
              "workcopy.SPACE_FACTOR, workcopy.SPACE_MARGIN = 0, 0   # as if the estimate were wrong\n"
              "try:\n"
              f"    with workcopy.working_copy({str(path)!r}, root=Path(os.environ['DISK'])):\n"
              "        print('copied')\n"
              "except BadInput as exc:\n"
              "    print(exc.code, exc.message)\n"
              "print(os.listdir(os.environ['DISK']))\n")
    (tmp_path / "fill.py").write_text(script, encoding="utf-8")
    done = _in_tiny_disk(f'"$PY" {tmp_path / "fill.py"}', "512k", tmp_path)
    assert done.returncode == 0, done.stderr
    code, message = done.stdout.splitlines()[0].split(" ", 1)
    assert code == "disk_full"
    assert "is full; the working copy was removed and the input was not changed" in message
    assert done.stdout.splitlines()[1] == "[]"
    assert path.read_bytes() == before


def test_disk_filling_up_during_a_step_after_the_copy_removes_the_copy_and_says_so(tmp_path):
    # a step's own file in the job folder (compare's differing.parquet, dedupe's reasons) meets
    # a full disk: the user gets the disk_full message, not an OSError, and no copy is left
    path = write_csv(tmp_path / "small.csv", medium_rows(500))
    before = path.read_bytes()
    script = ("from pathlib import Path; import os\n"
              "import pyarrow as pa, pyarrow.parquet as pq\n"
              "from datatools.errors import BadInput\n"
              "from datatools.large import workcopy\n"
              "from datatools.large.job import large_job\n"
              "workcopy.SPACE_FACTOR, workcopy.SPACE_MARGIN = 0, 0   # let the copy start\n"
              "try:\n"
              f"    with large_job({str(path)!r}, root=Path(os.environ['DISK'])) as job:\n"
              "        big = pa.table({'x': [os.urandom(64).hex() for _ in range(40_000)]})\n"
              "        pq.write_table(big, job.copy.folder / 'step.parquet', compression='none')\n"
              "    print('written')\n"
              "except BadInput as exc:\n"
              "    print(exc.code, exc.message)\n"
              "print(os.listdir(os.environ['DISK']))\n")
    (tmp_path / "step.py").write_text(script, encoding="utf-8")
    done = _in_tiny_disk(f'"$PY" {tmp_path / "step.py"}', "1m", tmp_path)
    assert done.returncode == 0, done.stderr
    code, message = done.stdout.splitlines()[0].split(" ", 1)
    assert code == "disk_full", done.stdout
    assert "the input was not changed" in message or "your file was not changed" in message
    assert done.stdout.splitlines()[1] == "[]"
    assert path.read_bytes() == before


def test_utf16_with_a_quoted_line_break_and_nul_bytes_with_an_open_quote(tmp_path):
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("name,city\r\nJosé,Köln\r\nAnn,\"Le\r\neds\"\r\n".encode("utf-16"))
    memory, large = _both(utf16, tmp_path)
    assert large == memory and large["rows"] == 2 and large["warnings"] == []
    broken = tmp_path / "broken.csv"
    broken.write_bytes(b'a,b\nx\x00y,1\n"open,2\n3,4\n')
    memory, large = _both(broken, tmp_path)
    assert large == memory
    assert large["warnings"] == ["Removed 1 NUL byte(s) (line 2).", "A quote opened on line 3 never "
                                 "closes; quotes were read as ordinary characters."]
