"""The progress bar only moves forward: every value each tool's job and each save reports
through the real server, from reading the files to writing the result, never goes down."""

from __future__ import annotations

import pytest

from datatools.app import jobs


@pytest.fixture
def reported(monkeypatch):
    """Every fraction each job hands the server, in order, by job id (the job still gets it)."""
    seen: dict[str, list[float]] = {}
    report = jobs.Job.report

    def record(job, fraction, message):
        seen.setdefault(job.id, []).append(fraction)
        report(job, fraction, message)

    monkeypatch.setattr(jobs.Job, "report", record)
    return seen


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """Inputs that take each tool through its longer paths: a mixed UTF-8/cp1252 file, a file
    with a quote that never closes (read twice by the forgiving reader), a cp1252 file (the
    fast reader gives up, detection runs again), groups of three near-duplicates (scored again
    while grouping) and a second version of a table."""
    folder = tmp_path_factory.mktemp("progress")
    rows = [f"{i},Person{i} Example,user{i}@example.com,Köln" for i in range(12_000)]
    lines = [line.encode("utf-8") for line in ["id,name,email,city", *rows]]
    lines[6_000] = "6000,Renée Example,renee@example.com,Köln".encode("cp1252")
    (folder / "mixed.csv").write_bytes(b"\n".join(lines) + b"\n")
    # Read twice from its start; the rest of the file after the quote fits one cell.
    broken = ["id,name,note", *(f"{i},Person {i} Example with a longer name,a note that says ok"
                                for i in range(46_000))]
    broken[45_000] = '45000,"Person 45000,never closed'
    (folder / "quote.csv").write_text("\n".join(broken) + "\n", encoding="utf-8")
    (folder / "cp1252.csv").write_bytes(("id,name,email,city\n" + "\n".join(rows) + "\n").encode("cp1252"))
    triples = [f"Person{i} Example,{variant}" for i in range(1_500)
               for variant in (f"Person{i} Example", f"Person{i} Exampel", f"Persn{i} Example")]
    (folder / "triples.csv").write_text("key,name\n" + "\n".join(triples) + "\n", encoding="utf-8")
    newer = [row.replace("Köln", "Bonn") if i % 7 == 0 else row for i, row in enumerate(rows)]
    (folder / "newer.csv").write_text("id,name,email,city\n" + "\n".join(newer) + "\n", encoding="utf-8")
    return folder


CASES = {
    "encoding": (["mixed.csv"], {"target": "utf-8"}),
    "clean": (["quote.csv"], {"trim": True}),
    "profile": (["cp1252.csv"], {}),
    "compare": (["cp1252.csv", "newer.csv"], {}),
    "dedupe": (["triples.csv"], {"columns": ["name"], "threshold": 80}),
    "match": (["triples.csv", "newer.csv"], {"on": ["name"], "threshold": 90}),
}


def went_back(values: list[float]) -> list[tuple[int, float, float]]:
    return [(i, values[i - 1], values[i]) for i in range(1, len(values)) if values[i] < values[i - 1]]


@pytest.mark.parametrize("tool", list(CASES))
def test_a_job_and_its_save_never_move_the_bar_backwards(tool, licensed, reported, files, tmp_path):
    names, options = CASES[tool]
    job = licensed.run_tool(tool, [files / name for name in names], options, timeout=300)
    assert job["state"] == "done", job
    values = reported[job["id"]]
    assert len(values) > 1, values                  # the run reported along the way
    assert went_back(values) == []
    offered = job["result"]["formats"]              # .xlsx last when the result can be one
    fmt = offered[-1] if offered else None
    target = tmp_path / (f"{tool}-result.{fmt}" if fmt else job["result"]["suggested_name"])
    status, _, saving = licensed.call("POST", f"/api/jobs/{job['id']}/saves",
                                      {"path": str(target), **({"format": fmt} if fmt else {})})
    assert status == 202, saving
    saved = licensed.wait_for(saving["id"], timeout=300)
    assert saved["state"] == "done", saved
    assert went_back(reported.get(saving["id"], [])) == []
    assert target.is_file()
