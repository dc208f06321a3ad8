"""A buyer's name reaches the operator's terminal: `dtadmin list` and `show` escape control
characters (window-title and screen-clearing sequences, bidi overrides); `--json` stays exact;
columns are measured in terminal cells (wide CJK two, Thai marks none)."""

from __future__ import annotations

import os
import subprocess
import sys
import unicodedata
import urllib.parse
from pathlib import Path

import pytest

from tests.daemon.admin_harness import Admin, write_token
from tests.daemon.harness import gumroad_sale
from tests.daemon.served import serve

DTADMIN = Path(sys.executable).with_name("dtadmin")

HOSTILE = "Eve\x1b]0;you are pwned\x07 \x1b[2J\u202egnp.exe"
SHOWN = "Eve\\x1b]0;you are pwned\\x07 \\x1b[2J\\u202egnp.exe"


@pytest.fixture
def admin(live, tmp_path) -> Admin:
    assert live.ping(gumroad_sale(full_name=HOSTILE)).status == 200
    return Admin(live, write_token(tmp_path / "token"))


def test_list_and_show_escape_control_characters(admin):
    listed = admin("list")
    assert listed.code == 0, listed.err
    assert "zoe@example.com  Eve\\x1b]0;you are pwned" in listed.out.splitlines()[1]
    shown = admin("show", "1")
    assert [line.split(None, 1)[1] for line in shown.out.splitlines()
            if line.startswith("name ")] == [SHOWN]
    assert not any(c in listed.out + shown.out for c in "\x1b\x07\u202e")


def test_json_keeps_the_name_exact(admin):
    assert admin("list", "--json").json()["licenses"][0]["name"] == HOSTILE
    assert admin("show", "1", "--json").json()["license"]["name"] == HOSTILE


def test_a_thai_name_that_fits_is_shown_whole_and_a_cjk_row_keeps_its_columns(tmp_path):
    # Thai vowel and tone marks take no cell of their own; the installed dtadmin against a
    # served daemon, as the operator runs them.
    served = serve(tmp_path / "world", f"sqlite:///{tmp_path}/licenses.db")
    try:
        for order, name, address in (
                ("TH-1", "ปิยะพงษ์ ศักดิ์สิทธิ์", "piyaphong@example.co.th"),
                ("JP-1", "株式会社なにわ商店 田中 健太", "tanaka@osaka-shop.example.jp")):
            sale = urllib.parse.urlencode(gumroad_sale(order, full_name=name, email=address))
            assert served.ping(sale.encode()).json() == {"outcome": "minted"}
        token = write_token(tmp_path / "token")
        env = {**os.environ, "DTADMIN_URL": served.url, "DTADMIN_TOKEN_FILE": str(token)}

        def listed(search: str) -> list[str]:
            done = subprocess.run([str(DTADMIN), "list", "-q", search], env=env,
                                  capture_output=True, text=True, timeout=60)
            assert (done.returncode, done.stderr) == (0, ""), done.stderr
            return done.stdout.splitlines()

        header, thai = listed("piyaphong")
        assert thai.endswith("  active  piyaphong@example.co.th  ปิยะพงษ์ ศักดิ์สิทธิ์")
        assert thai.index("piyaphong") == header.index("EMAIL")
        # The trial's row: both names need 117 cells together, so the email and the name
        # give up cells to keep the line at 100; every column still starts under its heading.
        header, cjk = listed("tanaka")
        assert cjk.index("株式会社") == header.index("NAME")
        assert cells(cjk) <= 100 and cjk.endswith("…")
    finally:
        served.stop()


def cells(line: str) -> int:
    """Terminal cells of `line` when it holds no marks: wide characters (UAX #11) two."""
    return sum(2 if unicodedata.east_asian_width(char) in ("W", "F") else 1 for char in line)
