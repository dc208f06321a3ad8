"""Every command's `--help`, as a buyer reads it: an example to copy and the exit codes."""

import argparse

import pytest

from datatools.cli import build_parser


def commands(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()):
    """Every command line that reaches a parser: (), ("clean",), ("encoding", "detect"), …"""
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from commands(sub, prefix + (name,))


ALL = list(commands(build_parser()))


def help_text(command: tuple[str, ...]) -> str:
    parser = build_parser()
    for name in command:   # argparse prints --help on sys.stdout: ask the parser itself
        parser = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction)).choices[name]
    return parser.format_help()


def test_every_command_is_listed():
    assert ("clean",) in ALL and ("encoding", "detect") in ALL and ("license", "keys") in ALL


@pytest.mark.parametrize("command", ALL, ids=lambda c: " ".join(c) or "datatools")
def test_help_shows_an_example_and_ends_with_the_exit_codes(command):
    text = help_text(command)
    assert "example:" in text.lower()
    assert " ".join(text.split()).endswith(
        "exit codes: 0 done, 1 the input cannot be used, 2 a wrong command line or option value")


def test_dedupe_help_names_every_kind_of_file_it_reads():
    assert "(CSV, TSV, TXT, Excel or OpenDocument)" in " ".join(help_text(("dedupe",)).split())
