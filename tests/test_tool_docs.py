"""The docs' tables of tools and option defaults say what the registry says.

docs/TECHNICAL.md lists every tool (inputs, tier, engine, command, adapter) and every option
(kind, CLI flag, in the app's form, the engine's default); docs/USER-GUIDE.md lists each
command's options with their defaults as the command line shows them.
"""

from __future__ import annotations

from pathlib import Path

from datatools.registry import TOOLS

DOCS = Path(__file__).resolve().parent.parent / "docs"


def shown(value) -> str:
    """A default as the docs write it."""
    if value is True:
        return "on"
    if value is False:
        return "off"
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:g}"
    return f"`{value}`" if isinstance(value, str) else str(value)


def table(path: Path, header: str) -> list[str]:
    """The rows (after the separator line) of the table that starts with `header`."""
    lines = path.read_text(encoding="utf-8").splitlines()
    assert header in lines, f"{path.name} has no table headed {header!r}"
    start = lines.index(header) + 2
    rows = []
    for line in lines[start:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_technical_lists_every_tool_where_its_code_lives():
    expected = [f"| `{t.name}` | {len(t.inputs)} | {t.tier} | `{t.engine}` | `{t.command}` | "
                f"`{t.adapter}` |" for t in TOOLS.values()]
    assert table(DOCS / "TECHNICAL.md",
                 "| tool | inputs | tier | engine | command | desktop adapter |") == expected


def test_technical_lists_every_option_with_the_engine_default():
    expected = [f"| `{t.name}` | `{o.name}` | {o.kind} | `{o.flag}`"
                f"{' (turns it off)' if o.invert else ''} | {'yes' if o.desktop else 'no'} | "
                f"{shown(t.default(o.name))} |" for t in TOOLS.values() for o in t.options]
    assert table(DOCS / "TECHNICAL.md",
                 "| tool | option | kind | CLI | in the app's form | default |") == expected


def test_user_guide_lists_each_commands_options_and_defaults():
    expected = []
    for t in TOOLS.values():
        command = "encoding fix" if t.name == "encoding" else t.name
        for o in t.options:
            default = t.default(o.name)
            expected.append(f"| `datatools {command}` | `{o.flag}` | "
                            f"{shown(not default if o.invert else default)} | {o.help} |")
    assert table(DOCS / "USER-GUIDE.md", "| command | option | default | what it does |") == expected
