"""`--save-recipe FILE` on every tool command: the run as the same versioned recipe the window
saves (datatools/tools/recipe.py) — step 0 how the first input was read, the tool step with its
options, and the review's decisions keyed by a key column or by row content."""

from __future__ import annotations

import argparse
from typing import Any

from datatools.errors import BadOption


def add_recipe_options(parser: argparse.ArgumentParser, *, keyed: bool = False) -> None:
    """--save-recipe FILE, and with `keyed` (a tool whose review decides about rows)
    --recipe-key COLUMN."""
    group = parser.add_argument_group("recipes")
    group.add_argument("--save-recipe", metavar="FILE",
                       help="also save this run as a recipe (.json) that `datatools run` replays "
                            "on next month's file")
    if keyed:
        group.add_argument("--recipe-key", metavar="COLUMN",
                           help="with --save-recipe: name the rows the review decided about by "
                                "this column (default: the table's key column — filled in every "
                                "row, unique, without spaces — else each row's content)")


def check_recipe_target(args: argparse.Namespace, inputs: list[str]) -> None:
    """Refuse before any work a --save-recipe target that is an input, OUT, or exists without
    --force; and --recipe-key without --save-recipe."""
    from pathlib import Path

    from datatools.commands.base import check_output
    from datatools.errors import CommandError

    if getattr(args, "recipe_key", None) and not args.save_recipe:
        raise CommandError("--recipe-key names the rows in a saved recipe: add --save-recipe FILE.",
                           exit_code=2)
    if not args.save_recipe:
        return
    output = getattr(args, "output", None)
    if output and Path(output).expanduser().resolve() == Path(args.save_recipe).expanduser().resolve():
        raise CommandError("--save-recipe must name another file than -o OUT.", exit_code=2)
    check_output(args.save_recipe, args.force, inputs)


def recipe_key(args: argparse.Namespace, frame, *, given: bool = True) -> str | None:
    """The column that names rows in the recipe: --recipe-key (when `given`; BadOption
    `bad_key` for a column the table lacks), else the table's key column (`recipe.key_column`),
    else None (row content)."""
    from datatools.tools.recipe import key_column

    columns = [str(c) for c in frame.columns]
    chosen = getattr(args, "recipe_key", None) if given else None
    if chosen:
        if chosen not in columns:
            raise BadOption(f"--recipe-key: the table has no column {chosen!r}.", code="bad_key",
                            params={"column": chosen})
        return chosen
    return key_column(frame, columns)


def save_recipe(args: argparse.Namespace, step: Any, table: Any, inputs: list[str],
                report: dict[str, Any]) -> None:
    """Write the recipe of this run (`step`, step 0 from how `table` was read with the
    command's reading options) to --save-recipe, and say so in `report` (`recipe`)."""
    from datatools.commands.base import read_options
    from datatools.tools.recipe import Recipe, import_settings

    if not args.save_recipe:
        return
    recipe = Recipe(import_settings(read_options(args), table), [step])
    report["recipe"] = str(recipe.write(args.save_recipe, force=args.force, inputs=tuple(inputs)))


def second_import(args: argparse.Namespace, table: Any) -> dict[str, Any]:
    """How a two-file command read its second file, as the step's `import`."""
    from datatools.commands.base import read_options
    from datatools.tools.recipe import import_settings

    return import_settings(read_options(args), table)


def recipe_line(report: dict[str, Any]) -> str:
    """The summary's line about the saved recipe ('' when none was asked for)."""
    return f"\nSaved the recipe in {report['recipe']}." if report.get("recipe") else ""
