"""The worked examples in docs/USER-GUIDE-matching.md run and print what the guide shows."""

import io
import re
import shlex
from pathlib import Path

from datatools.cli import main

GUIDE = Path(__file__).resolve().parent.parent / "docs" / "USER-GUIDE-matching.md"
BLOCK = re.compile(r"```(\w+)(?: (\S+))?\n(.*?)```", re.S)


def test_guide_examples_produce_the_files_and_output_shown(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shown_files = {}
    commands = 0
    for kind, name, body in BLOCK.findall(GUIDE.read_text(encoding="utf-8")):
        if kind == "csv" and not Path(name).exists():
            Path(name).write_text(body, encoding="utf-8")  # an input of the example
        elif kind == "csv":
            shown_files[name] = body
        elif kind == "console":
            command, *expected = body.splitlines()
            assert command.startswith("$ datatools ")
            out, err = io.StringIO(), io.StringIO()
            assert main(shlex.split(command)[2:], out, err) == 0, err.getvalue()
            assert out.getvalue().splitlines() == expected
            commands += 1
    assert commands == 10 and len(shown_files) == 8
    for name, body in shown_files.items():
        assert Path(name).read_text(encoding="utf-8") == body, name
