"""The window's "Try it first" for Apply recipe: the recipe's step run on the chosen files as
the window would run it, reporting what `datatools run --dry-run` reports, writing nothing."""

from __future__ import annotations

from typing import Any

from datatools.app.inputs import InputSpec, jsonable, read_input
from datatools.progress import Progress


def dry_run(settings: dict[str, Any], step, specs: list[InputSpec], row_limit: int | None,
            progress: Progress) -> dict[str, Any]:
    """What `step` (a `recipe.Step`, its columns already checked and mapped) would change in
    the inputs `specs` read as the window reads them (within the trial's `row_limit`):
    `{"rows_in", "rows_out", "steps": [per step its counts and "decisions_gone"], "trial"}` —
    the JSON report of `datatools run --dry-run`. BadOption / BadInput as the tools raise;
    Cancelled on cancel."""
    from datatools.tools.recipe import Recipe
    from datatools.tools.recipe_replay import run_steps
    from datatools.tools.synonyms import synonyms_option

    notes: list[dict] = []
    share = 0.3 / len(specs)
    tables = [read_input(spec, row_limit, progress.stage(k * share, (k + 1) * share), notes)
              for k, spec in enumerate(specs)]
    frame, outcomes = run_steps(Recipe(settings, [step]), tables[0].frame, synonyms_option,
                                progress.stage(0.3, 1.0),
                                [(spec.path.name, table.frame) for spec, table in zip(specs[1:], tables[1:])],
                                specs[0].path.name)
    return jsonable({"rows_in": len(tables[0].frame), "rows_out": len(frame), "dry_run": True,
                     "steps": [outcome.to_json() for outcome in outcomes], "trial": notes})
