"""A buyer's name reaches the operator's terminal: `dtadmin list` and `show` escape control
characters (window-title and screen-clearing sequences, bidi overrides); `--json` stays exact."""

from __future__ import annotations

import pytest

from tests.daemon.admin_harness import Admin, write_token
from tests.daemon.harness import gumroad_sale

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
