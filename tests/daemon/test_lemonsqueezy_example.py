"""SETUP-LICENSE-SERVER.md, "Lemon Squeezy", "A test order by hand": its commands, run by bash
as written (the world's secrets folder for /srv/…/secrets, the daemon's port for 8090), mint
against the installed `licensed serve`, and `dtadmin show` finds the license by its order id
(trial I built the body from the field list). Only what `licensed serve` starts runs."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from tests.daemon.admin_harness import write_token
from tests.daemon.served import serve
from tests.daemon.test_admin_references import dtadmin, fields

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "SETUP-LICENSE-SERVER.md"


def example_script() -> str:
    text = GUIDE.read_text(encoding="utf-8").split("**A test order by hand**", 1)[1]
    return re.search(r"```sh\n(.*?)```", text, re.S).group(1)


def test_the_guides_lemon_squeezy_order_mints_as_written(tmp_path):
    world = tmp_path / "world"
    served = serve(world, f"sqlite:///{tmp_path}/licenses.db")
    try:
        script = example_script().replace("/srv/datatools-license/secrets", str(world / "secrets")) \
            .replace("http://127.0.0.1:8090", served.url)
        assert str(world / "secrets") in script and served.url in script
        sent = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True,
                              timeout=60, cwd=tmp_path)
        assert (sent.returncode, sent.stdout, sent.stderr) == (0, '{"outcome": "minted"}', "")
        again = subprocess.run(["bash", "-e", "-c", script], capture_output=True, text=True,
                               timeout=60, cwd=tmp_path)
        assert again.stdout == '{"outcome": "duplicate"}'

        shown = fields(dtadmin(served, write_token(tmp_path / "token"), "show", "900001"))
        assert (shown["source"], shown["order_id"], shown["email"], shown["tier"],
                shown["currency"], shown["test"]) == ("lemonsqueezy", "900001",
                                                      "ada@example.com", "pro", "GBP", "yes")
    finally:
        served.stop()
