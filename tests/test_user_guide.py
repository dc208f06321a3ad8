"""The examples in docs/USER-GUIDE.md run as written and print what the guide shows."""

from __future__ import annotations

import io
import json
import re
import shlex
from pathlib import Path

from datatools.cli import main

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "USER-GUIDE.md"
FILE_BLOCK = re.compile(r"```text file=(\S+) encoding=(\S+)\n(.*?)```", re.S)
CONSOLE_BLOCK = re.compile(r"```console\n(.*?)```", re.S)
SAVED_BLOCK = re.compile(r"```json saved=(\S+)\n(.*?)```", re.S)   # a file a command shown saves


def examples() -> list[tuple[str, str]]:
    """(command, expected stdout) pairs in the order the guide gives them."""
    pairs = []
    for block in CONSOLE_BLOCK.findall(GUIDE.read_text("utf-8")):
        command, _, expected = block.partition("\n")
        pairs.append((command.removeprefix("$ "), expected))
    return pairs


def test_guide_examples_print_what_the_guide_shows(tmp_path, monkeypatch):
    text = GUIDE.read_text("utf-8")
    for name, encoding, body in FILE_BLOCK.findall(text):
        (tmp_path / name).write_bytes(body.encode(encoding))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))   # the duckdb example's working copy
    for command, expected in examples():
        argv = shlex.split(command)
        assert argv[0] == "datatools"
        out, err = io.StringIO(), io.StringIO()
        assert main(argv[1:], out, err) == 0, (command, err.getvalue())
        assert out.getvalue() == expected, command
    saved = SAVED_BLOCK.findall(text)
    assert [name for name, _ in saved] == ["members.recipe.json"]
    for name, shown in saved:
        assert json.loads((tmp_path / name).read_text("utf-8")) == json.loads(shown), name
    # Its UTF-8 starts with the byte order mark Excel needs (DECISIONS 554).
    assert (tmp_path / "customers-utf8.csv").read_text("utf-8").startswith("\ufeffname;city;spent\nJosé Peña")
    assert (tmp_path / "members-december-clean.csv").read_text("utf-8").splitlines()[1:] == [
        "M-101,Anna Schmidt,anna.schmidt@example.com,Berlin", "M-102,Ben Okafor,ben@example.org,Leeds",
        "M-103,Anna Schmitt,anna.schmidt@example.com,Berlin", "M-104,Carla Ruiz,carla.ruiz@example.es,Sevilla",
        "M-106,David Chen,d.chen@example.com,Toronto", "M-112,Hugo Berg,hugo@example.no,Oslo"]
    assert (tmp_path / "orders-clean.csv").read_text("utf-8") == (
        "customer,ordered,amount\nAnn Lee,2024-02-13,1234.50\n,2024-03-01,12.5\nBob Stone,2024-03-05,7\n")


def test_every_command_the_buyer_section_names_exists():
    """`datatools …` in the guide's download/troubleshooting part parses with the real parser."""
    from datatools.cli import build_parser

    text = GUIDE.read_text("utf-8")
    section = text[text.index("## Getting DataTools"):text.index("## Encoding:")]
    commands = set(re.findall(r"`(datatools(?: [a-z-]+)+)`", section)) | set(
        re.findall(r"```sh\n(datatools[^\n]*)\n```", section))
    assert {"datatools --version", "datatools --self-test", "datatools --browser",
            "datatools --serve", "datatools license keys"} <= commands
    parser = build_parser()
    for command in sorted(commands):
        if command == "datatools --version":
            continue          # argparse's version action exits while parsing
        parser.parse_args(shlex.split(command)[1:])
