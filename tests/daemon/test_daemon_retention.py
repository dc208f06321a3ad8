"""`licensed prune-rejected`: old wrong-secret rows go, every other audit row stays for good."""

from __future__ import annotations

import io
import urllib.parse

import pytest

from licensed.cli import main
from licensed.errors import StorageError
from tests.daemon.harness import gumroad_sale


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def outcomes(live) -> list[str]:
    answer = live.admin("GET", "/internal/events?" + urllib.parse.urlencode({"limit": 500}))
    return sorted(e["outcome"] for e in answer.json()["events"])


def test_prune_rejected_removes_only_old_rejected_rows(live, world):
    live.ping(gumroad_sale("KEEP-1"))
    live.ping(gumroad_sale("NOPE-1"), secret="wrong")
    live.ping(gumroad_sale("NOPE-2"), secret="wrong")
    config = str(world.config_file)
    # The test clock stands on 2026-11-23; a year of retention keeps them.
    code, out, _ = run("prune-rejected", "--older-than", "365", "--config", config)
    assert (code, out.split(" before")[0]) == (0, "removed 0 rejected attempt(s) received")
    assert outcomes(live) == ["minted", "rejected_secret", "rejected_secret"]
    code, out, _ = run("prune-rejected", "--older-than", "0", "--config", config)
    assert (code, out.split(" before")[0]) == (0, "removed 2 rejected attempt(s) received")
    assert outcomes(live) == ["minted"]


def test_the_audit_log_still_refuses_to_lose_any_other_row(live):
    live.ping(gumroad_sale("KEEP-2"))
    with pytest.raises(StorageError, match="append-only"):
        with live.daemon.db.transaction() as tx:
            tx._cursor.execute("DELETE FROM webhook_events")


def test_negative_retention_is_refused(world):
    code, _, err = run("prune-rejected", "--older-than", "-1", "--config", str(world.config_file))
    assert (code, err) == (1, "licensed: --older-than must be 0 or more days\n")
