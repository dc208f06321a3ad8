"""`datatools encoding|clean|profile` from the command line: exit codes, --force, --json, inputs kept."""

from __future__ import annotations

import hashlib
import io
import json

import pytest

from datatools.cli import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def messy(tmp_path):
    path = tmp_path / "messy.csv"
    path.write_bytes("name;zip;joined\n  Jürgen  Müller ;01234;13/02/2024\nN/A;00501;01/03/2024\n"
                     .encode("cp1252"))
    return path


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_encoding_detect_json_follows_contract_6(messy):
    code, out, _ = run("encoding", "detect", str(messy), "--json", "--quiet")
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["encoding", "confidence", "bom", "verified", "candidates"]
    assert data["encoding"] == "cp1252" and data["verified"] is True


def test_clean_writes_a_new_file_and_keeps_the_input(messy, tmp_path):
    before = digest(messy)
    out_path = tmp_path / "clean.csv"
    code, out, err = run("clean", str(messy), "-o", str(out_path), "--dates", "auto", "--date-format", "iso", "--json", "-q")
    assert code == 0 and err == ""
    # UTF-8, the input's `;` kept (DECISIONS 225), with the mark Excel needs to read UTF-8
    # since the input was in cp1252 (DECISIONS 236).
    assert out_path.read_text("utf-8") == ("\ufeffname;zip;joined\nJürgen Müller;01234;2024-02-13\n"
                                           ";00501;2024-03-01\n")
    report = json.loads(out)
    assert report["changes"] == {"name": {"whitespace": 1, "empty": 1}, "joined": {"date": 2}}
    assert report["date_orders"] == {"joined": "day-first"}
    assert digest(messy) == before


def test_existing_output_needs_force(messy, tmp_path):
    out_path = tmp_path / "out.csv"
    out_path.write_text("keep")
    code, _, err = run("clean", str(messy), "-o", str(out_path), "-q")
    assert code == 1 and "already exists" in err and out_path.read_text() == "keep"
    code, _, _ = run("clean", str(messy), "-o", str(out_path), "-q", "--force")
    assert code == 0 and out_path.read_text("utf-8-sig").startswith("name;zip;joined")
    code, _, err = run("encoding", "fix", str(messy), "-o", str(out_path), "-q")
    assert code == 1 and "--force" in err


def test_clean_preview_writes_nothing(messy, tmp_path):
    code, out, _ = run("clean", str(messy), "--preview", "1", "-q")
    assert code == 0
    assert "row 1, name: '  Jürgen  Müller ' → 'Jürgen Müller'" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["messy.csv"]


@pytest.mark.parametrize("argv", [
    ("clean", "IN"),                                  # neither -o nor --preview
    ("encoding", "fix", "IN"),                        # no -o
    ("clean", "IN", "--dates", "sometimes", "-o", "x.csv"),
    ("encoding",),
])
def test_usage_errors_exit_2(messy, argv):
    argv = tuple(str(messy) if a == "IN" else a for a in argv)
    assert run(*argv)[0] == 2


@pytest.mark.parametrize("argv, message", [
    (("profile", "MISSING"), "Cannot open"),
    (("encoding", "detect", "MISSING"), "Cannot open"),
    (("encoding", "fix", "IN", "-o", "OUT", "--from", "utf-8"), "does not decode as utf-8 near line 2"),
])
def test_bad_input_exits_1_with_one_line(messy, tmp_path, argv, message):
    argv = tuple({"IN": str(messy), "MISSING": str(tmp_path / "gone.csv"),
                  "OUT": str(tmp_path / "o.csv")}.get(a, a) for a in argv)
    code, out, err = run(*argv, "-q")
    assert code == 1 and message in err and "Traceback" not in err
    assert not (tmp_path / "o.csv").exists()


def test_profile_text_and_json(messy):
    code, out, _ = run("profile", str(messy), "-q")
    assert code == 0 and "zip                  code" in out
    code, out, _ = run("profile", str(messy), "-q", "--json")
    data = json.loads(out)
    zip_column = next(c for c in data["columns"] if c["name"] == "zip")
    assert zip_column["type"] == "code" and zip_column["patterns"] == [["99999", 2]]
    assert data["encoding"] == "cp1252"


def test_fix_repair_mojibake_reports_before_and_after(tmp_path):
    source = tmp_path / "m.csv"
    source.write_text("name\nCafÃ© crÃ¨me\n", encoding="utf-8")
    code, out, _ = run("encoding", "fix", str(source), "-o", str(tmp_path / "o.csv"),
                       "--repair-mojibake", "--json", "-q")
    assert code == 0
    assert json.loads(out)["samples"] == [{"before": "CafÃ© crÃ¨me", "after": "Café crème"}]
