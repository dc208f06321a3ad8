"""A bad reading setting or tool option gets one error shape everywhere: exit 2 + one line, or 400.

Each row is one mistake made both ways: on the command line (exit 2, a single `datatools: …`
line on stderr, nothing on stdout, no traceback) and through the desktop API (400 with the
error code whose message every catalog has, its placeholders filled by the answer's params).
"""

from __future__ import annotations

import io
import re

import pytest

from conftest import FIXTURES

from datatools import i18n
from datatools.cli import main

CUSTOMERS = str(FIXTURES / "customers.csv")
ORDERS = str(FIXTURES / "orders.csv")


def job(tool: str, options: dict, *inputs: dict) -> tuple[str, dict]:
    return "/api/jobs", {"tool": tool, "options": options,
                         "inputs": list(inputs) or [{"path": CUSTOMERS}]}


# (what, CLI argv or None, the CLI's line, desktop route and body or None, the desktop's code)
CASES = [
    ("unknown codec", ["profile", CUSTOMERS, "--encoding", "nonsense"],
     "datatools: Unknown encoding 'nonsense'; try utf-8, cp1250, cp1252 or latin-1.",
     ("/api/preview", {"path": CUSTOMERS, "encoding": "nonsense"}), "bad_encoding"),
    ("a mistyped codec", ["profile", CUSTOMERS, "--encoding", "win1250"],
     "datatools: Unknown encoding 'win1250'; try cp1250.",
     ("/api/preview", {"path": CUSTOMERS, "encoding": "win1250"}), "bad_encoding"),
    ("unknown codec in a job's input", None, None,
     job("profile", {}, {"path": CUSTOMERS, "encoding": "nonsense"}), "bad_encoding"),
    ("two-character delimiter", ["profile", CUSTOMERS, "--delimiter", ";;"],
     "datatools: The delimiter must be one character (such as , ; | or tab), not ';;'.",
     ("/api/preview", {"path": CUSTOMERS, "delimiter": ";;"}), "bad_delimiter"),
    ("unknown target codec", ["encoding", "fix", CUSTOMERS, "-o", "OUT", "--to", "klingon"],
     "datatools: Unknown encoding 'klingon'; try utf-8, cp1250, cp1252 or latin-1.",
     job("encoding", {"target": "klingon"}), "bad_encoding"),
    ("unknown source codec", ["encoding", "fix", CUSTOMERS, "-o", "OUT", "--from", "klingon"],
     "datatools: Unknown encoding 'klingon'; try utf-8, cp1250, cp1252 or latin-1.", None, None),
    ("threshold over 100", ["dedupe", CUSTOMERS, "--columns", "name", "--threshold", "150"],
     "datatools: The threshold must be between 0 and 100, not 150.",
     job("dedupe", {"columns": ["name"], "threshold": 150}), "bad_threshold"),
    ("threshold not a number", ["dedupe", CUSTOMERS, "--columns", "name", "--threshold", "lots"],
     "datatools: 'lots' is not a number.",
     job("dedupe", {"columns": ["name"], "threshold": "lots"}), "bad_threshold"),
    ("no candidates per row", ["match", ORDERS, CUSTOMERS, "--on", "customer", "--top", "0"],
     "datatools: The top must be at least 1, not 0.",
     job("match", {"on": ["customer"], "top": 0}, {"path": ORDERS}, {"path": CUSTOMERS}), "bad_top"),
    ("unknown column", ["dedupe", CUSTOMERS, "--columns", "nope"],
     "datatools: No column 'nope'; the columns are: id, name, email, city.",
     job("dedupe", {"columns": ["nope"]}), "column_not_in_file"),
    ("unknown right column", None, None,
     job("match", {"on": ["customer"], "right_on": ["nmae"]}, {"path": ORDERS}, {"path": CUSTOMERS}),
     "column_not_in_file"),
    ("unknown column to clean", ["clean", CUSTOMERS, "--columns", "nope", "--preview", "3"],
     "datatools: No column 'nope'; the columns are: id, name, email, city.", None, None),
    ("a choice the tool lacks", None, None, job("clean", {"dates": "sometimes"}), "bad_choice"),
    ("unknown phone region", ["clean", CUSTOMERS, "--phones", "--phone-region", "XY", "--preview", "3"],
     "datatools: Unknown phone region 'XY'; give a two-letter country code such as GB, DE or US.",
     job("clean", {"phones": True, "phone_region": "XY"}), "bad_phone_region"),
    ("an option the tool lacks", None, None, job("dedupe", {"columns": ["name"], "thresold": 80}),
     "unknown_option"),
    ("a NUL byte in a path", None, None, ("/api/preview", {"path": CUSTOMERS + "\0x"}),
     "file_not_found"),
]


# Some mistakes exist on one side only: the CLI has no JSON options; the desktop's form has no
# columns to clean, and the CLI's --from is the desktop's reading encoding.
CLI_CASES = [(what, argv, line) for what, argv, line, _, _ in CASES if argv is not None]
DESKTOP_CASES = [(what, request_, code) for what, _, _, request_, code in CASES if request_ is not None]


@pytest.mark.parametrize("what, argv, line", CLI_CASES, ids=[c[0] for c in CLI_CASES])
def test_the_cli_exits_2_with_one_line(what, argv, line, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    argv = [str(tmp_path / "out.csv") if a == "OUT" else a for a in argv]
    assert (main(argv + ["-q"], out, err), out.getvalue(), err.getvalue()) == (2, "", line + "\n")
    assert not (tmp_path / "out.csv").exists()


@pytest.mark.parametrize("what, request_, code", DESKTOP_CASES, ids=[c[0] for c in DESKTOP_CASES])
def test_the_desktop_answers_400_in_the_users_language(what, request_, code, licensed):
    route, body = request_
    status, _, answer = licensed.call("POST", route, body)
    assert (status, answer["error"]["code"]) == (400, code), answer
    for language in i18n.LANGUAGES:
        text = i18n.load_catalog(language)[f"error.{code}"]
        assert set(re.findall(r"\{(\w+)\}", text)) <= set(answer["error"]["params"]), (language, text)


@pytest.fixture
def licensed(client, keys):
    status, _, _ = client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    assert status == 200
    return client
