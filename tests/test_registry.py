"""The tool registry: every name in it resolves, every default is the engine's, importing is cheap."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

from datatools.cli import build_parser
from datatools.registry import TOOLS, resolve

# The least each command needs to parse (its required arguments).
MINIMAL_ARGV = {
    "encoding": ["encoding", "fix", "in.csv"],
    "clean": ["clean", "in.csv"],
    "profile": ["profile", "in.csv"],
    "compare": ["compare", "old.csv", "new.csv"],
    "dedupe": ["dedupe", "in.csv", "--columns", "name"],
    "match": ["match", "left.csv", "right.csv", "--on", "name"],
}


@pytest.mark.parametrize("name", list(TOOLS))
def test_every_dotted_name_resolves(name):
    tool = TOOLS[name]
    assert callable(resolve(tool.engine)) and callable(resolve(tool.adapter))
    assert callable(resolve(tool.command).register)
    for option in tool.options:
        if option.choices_from:
            assert len(option.choices()) == len(option.choice_labels) > 0


@pytest.mark.parametrize("name", [n for n, t in TOOLS.items() if t.defaults_from])
def test_each_option_is_a_parameter_of_the_engine(name):
    tool = TOOLS[name]
    parameters = inspect.signature(resolve(tool.defaults_from)).parameters
    assert [o.name for o in tool.options if o.engine_default and o.name not in parameters] == []


@pytest.mark.parametrize("name", list(TOOLS))
def test_the_command_line_defaults_are_the_engines(name):
    args = build_parser().parse_args(MINIMAL_ARGV[name])
    tool = TOOLS[name]
    for option in tool.options:
        if option.flag and not option.required:
            assert getattr(args, option.name) == tool.default(option.name), option.name


def test_the_similarity_threshold_is_defined_once():
    from datatools.tools import dedupe, match, similarity

    # No default threshold on either tool (the cut-offs are learned); the fixed score the small
    # tables and the estimate use is one constant.
    assert TOOLS["dedupe"].default("threshold") is None and TOOLS["match"].default("threshold") is None
    assert similarity.DEFAULT_THRESHOLD == dedupe.DEFAULT_THRESHOLD == match.DEFAULT_THRESHOLD


def test_importing_the_registry_and_reading_defaults_loads_no_pandas():
    code = ("import sys; from datatools.registry import TOOLS; "
            "[t.to_json() for t in TOOLS.values()]; "
            "print(sorted(m for m in ('pandas', 'numpy', 'rapidfuzz', 'pyarrow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
