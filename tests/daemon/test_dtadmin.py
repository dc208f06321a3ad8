"""`dtadmin` against a live daemon on loopback (SQLite and PostgreSQL): exact tables for a small
sold, --json, and one clear line for each way it can fail."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.daemon.admin_harness import Admin, write_token
from tests.daemon.harness import gumroad_sale

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def admin(live, tmp_path) -> Admin:
    return Admin(live, write_token(tmp_path / "token"))


@pytest.fixture
def sold(admin, live):
    """Zoë bought Pro at Gumroad; Ada got a Team license by hand."""
    assert live.ping(gumroad_sale()).status == 200
    minted = admin("mint", "--name", "Ada Lovelace", "--email", "ada@example.com",
                   "--tier", "team", "--note", "press copy", "--order-id", "INV-2026-001")
    assert minted.code == 0, minted.err
    return admin


def test_mint_prints_the_blob_and_says_what_it_did(admin, live):
    result = admin("mint", "--name", "Ada Lovelace", "--email", "ada@example.com",
                   "--tier", "team")
    assert result.code == 0
    (lic,) = live.admin("GET", "/internal/licenses").json()["licenses"]
    assert result.out == lic["blob"] + "\n"
    assert admin.stand_ins(result.err) == (
        "minted license 1 (L-LID1XXXXXXXXXXXX) for ada@example.com; its email is queued\n")


def test_mint_json_is_the_daemons_record(admin):
    result = admin("mint", "--json", "--name", "Ada", "--email", "ada@example.com",
                   "--tier", "pro", "--seats", "3", "--order-id", "INV-7")
    lic = result.json()["license"]
    assert (lic["tier"], lic["seats"], lic["order_id"], lic["source"]) == ("pro", 3, "INV-7",
                                                                           "manual")
    again = admin("mint", "--name", "Ada", "--email", "ada@example.com", "--tier", "pro",
                  "--order-id", "INV-7")
    assert again.code == 0
    assert admin.stand_ins(again.err) == (
        "order INV-7 already has license 1 (L-LID1XXXXXXXXXXXX); nothing minted\n")


def test_list_is_a_table_newest_first(sold):
    result = sold("list")
    assert result.code == 0, result.err
    assert sold.stand_ins(result.out) == (
        "ID  LID                 CREATED     SOURCE   TIER  STATUS  EMAIL            NAME\n"
        " 2  L-LID2XXXXXXXXXXXX  2026-11-23  manual   team  active  ada@example.com  Ada Lovelace\n"
        " 1  L-LID1XXXXXXXXXXXX  2026-11-23  gumroad  pro   active  zoe@example.com  "
        "Zoë Ångström-Müller\n"
    )
    assert result.err == ""


def test_list_filters_by_email(sold):
    result = sold("list", "--email", "ZOE@example.com", "--json")
    assert [lic["name"] for lic in result.json()["licenses"]] == ["Zoë Ångström-Müller"]


def test_show_finds_by_id_lid_and_order(sold, live):
    zoe = live.license_for("FAKE-SALE-0001==")
    by_id, by_lid, by_order = (sold("show", ref) for ref in
                               ("1", zoe["lid"], "FAKE-SALE-0001=="))
    assert by_id.out == by_lid.out == by_order.out
    lines = sold.stand_ins(by_id.out).splitlines()
    # Keys are padded to the longest one (suspend_reason), values start in column 17.
    assert lines[:4] == ["id              1", "lid             L-LID1XXXXXXXXXXXX",
                         "source          gumroad", "order_id        FAKE-SALE-0001=="]
    assert f"blob            {zoe['blob']}" in lines
    assert sold("show", "--json", "1").json() == {"license": zoe}


def test_revoke_then_revoke_again_is_the_daemons_409(sold):
    first = sold("revoke", "2", "--reason", "duplicate")
    assert (first.code, sold.stand_ins(first.out)) == (
        0, "revoked license 2 (L-LID2XXXXXXXXXXXX): duplicate\n")
    second = sold("revoke", "2", "--reason", "duplicate")
    assert (second.code, second.out, second.err) == (
        1, "", "dtadmin: the daemon answered 409 already_revoked: license 2 is already revoked\n")


def test_resend_and_outbox(sold):
    assert sold("resend", "1").out == "queued the email of license 1 to zoe@example.com (outbox 3)\n"
    assert sold("outbox").out == (
        "ID  LICENSE  PURPOSE  TO               STATUS   TRIES  CODE  ERROR\n"
        " 3        1  resend   zoe@example.com  pending      0\n"
        " 2        2  license  ada@example.com  pending      0\n"
        " 1        1  license  zoe@example.com  pending      0\n"
    )


def test_events_and_replay(sold):
    assert sold("events").out == (
        "ID  RECEIVED          SOURCE   KIND  ORDER             OUTCOME  LICENSE  DETAIL\n"
        " 2  2026-11-23 12:00  manual   sale  INV-2026-001      minted         2  press copy\n"
        " 1  2026-11-23 12:00  gumroad  sale  FAKE-SALE-0001==  minted         1\n"
    )
    replay = sold("replay", "1")
    assert sold.stand_ins(replay.out) == (
        "event 1 replayed as event 3, outcome duplicate: license 1 (L-LID1XXXXXXXXXXXX)\n")


def test_health_needs_no_token(admin, tmp_path):
    result = admin("health", DTADMIN_TOKEN_FILE=str(tmp_path / "missing"))
    assert (result.code, result.out) == (0, "ok: database ok, signer ok, mail spool only, "
                                            "version " + result.out.rsplit(" ", 1)[1])
    assert json.loads(admin("health", "--json").out)["database"] == "ok"


# --------------------------------------------------------------------------- errors


def test_unknown_license_is_one_line(admin):
    result = admin("show", "99")  # digits: an id or an order id, and neither exists
    assert (result.code, result.out, result.err) == (
        1, "", "dtadmin: no license has the id or order id 99\n")
    by_lid = admin("show", "L-AAAAAAAAAAAAAAAA")
    assert by_lid.err == "dtadmin: no license has the lid L-AAAAAAAAAAAAAAAA\n"


def test_daemon_down_says_to_open_the_tunnel(admin, unused_port):
    result = admin("list", DTADMIN_URL=f"http://127.0.0.1:{unused_port}")
    assert result.code == 1
    assert result.err == (f"dtadmin: cannot reach the daemon at http://127.0.0.1:{unused_port} "
                          f"(connection refused): is the SSH tunnel open? "
                          f"(ssh -N -L 8090:127.0.0.1:8090 SERVER)\n")


def test_wrong_token_is_refused_naming_the_file(admin, tmp_path):
    wrong = write_token(tmp_path / "wrong", "not-the-token")
    result = admin("list", "--token-file", str(wrong))
    assert (result.code, result.err) == (
        1, f"dtadmin: the daemon refused the token in {wrong} (401 unauthorized): missing or "
           f"wrong bearer token\n")


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o660])
def test_token_file_readable_by_others_is_refused_before_any_request(admin, tmp_path, mode):
    loose = write_token(tmp_path / "loose", mode=mode)
    result = admin("list", "--token-file", str(loose))
    assert (result.code, result.err) == (
        1, f"dtadmin: token file {loose} is readable by group or others (mode {mode:04o}); "
           f"run: chmod 600 {loose}\n")


def test_missing_token_file(admin, tmp_path):
    result = admin("list", DTADMIN_TOKEN_FILE=str(tmp_path / "nope"))
    assert result.code == 1
    assert result.err.startswith(f"dtadmin: token file {tmp_path / 'nope'} does not exist")


def test_usage_errors_exit_2(admin):
    for argv in (["revoke", "1"], ["frobnicate"], ["show"], ["list", "--since", "yesterday"],
                 ["list", "--limit", "0"], ["list", "--limit", "5", "--all"],
                 ["mint", "--name", "A", "--email", "a@example.com", "--tier", "pro",
                  "--seats", "0"]):
        result = admin(*argv)
        assert result.code == 2, argv
        assert "usage: dtadmin" in result.err


@pytest.fixture
def unused_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --------------------------------------------------------------------------- the laptop


def test_dtadmin_imports_only_the_standard_library():
    code = ("import sys, dtadmin.cli; print(sorted({m.split('.')[0] for m in sys.modules} - "
            "set(sys.stdlib_module_names) - {'dtadmin', '__main__', '_distutils_hack'} - "
            "{m for m in sys.modules if m.startswith('__editable__')}))")
    found = subprocess.run([sys.executable, "-S", "-c", code], cwd=ROOT, capture_output=True,
                           text=True, check=True)
    assert found.stdout.strip() == "[]"


def test_bin_dtadmin_runs_from_a_checkout(admin):
    result = subprocess.run([sys.executable, str(ROOT / "bin" / "dtadmin"), "health"],
                            capture_output=True, text=True, env={**admin.environ, "PATH": ""})
    assert (result.returncode, result.stdout.split(":")[0]) == (0, "ok")


def test_long_names_are_cut_so_tables_fit_100_columns(admin):
    admin("mint", "--name", "Maximiliane Wilhelmina von Hohenzollern-Sigmaringen-Auersperg",
          "--email", "maximiliane.wilhelmina.hohenzollern@verylongcompanyname.example.com",
          "--tier", "team")
    lines = admin("list").out.splitlines()
    assert max(len(line) for line in lines) <= 100
    assert "…" in lines[1]
    assert admin("list", "--json").json()["licenses"][0]["name"].endswith("Auersperg")


def test_admin_doc_lists_every_command():
    from dtadmin.cli import build_parser

    doc = (ROOT / "docs" / "ADMIN.md").read_text(encoding="utf-8")
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert [name for name in commands if f"`dtadmin {name}" not in doc] == []


def test_a_5xx_without_the_daemons_json_is_still_one_line(admin, tmp_path):
    """Something else on the port (a proxy, another service) answering 502 with HTML."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class BadGateway(BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"<html><body><h1>502 Bad Gateway</h1></body></html>\n"
            self.send_response(502)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), BadGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        result = admin("list", DTADMIN_URL=f"http://127.0.0.1:{server.server_address[1]}")
    finally:
        server.shutdown()
        server.server_close()
    assert (result.code, result.out, result.err) == (
        1, "", "dtadmin: the daemon answered 502 http_error: <html><body><h1>502 Bad Gateway"
               "</h1></body></html>\n")


def test_every_command_speaks_json_for_scripts(sold):
    answers = {
        ("events",): "events", ("outbox",): "outbox", ("actions",): "actions",
        ("replay", "1"): "outcome", ("resend", "1"): "outbox",
        ("revoke", "2", "--reason", "test"): "license", ("stats",): "by_tier",
    }
    for argv, key in answers.items():
        result = sold(*argv, "--json")
        assert result.code == 0, (argv, result.err)
        assert key in result.json(), argv
    events = sold("--json", "events").json()["events"]
    assert events[-1]["body"].startswith("seller_id=") and events[-1]["headers"]


def test_an_empty_outbox_says_nothing_is_pending_instead_of_a_bare_header(admin, tmp_path):
    script = Path(sys.executable).parent / "dtadmin"     # the installed console script
    env = {**admin.environ, "PATH": str(script.parent), "HOME": str(tmp_path)}
    for argv, said in ((["outbox"], "nothing pending: every email has been sent\n"),
                       (["outbox", "--status", "failed"], "no failed email\n")):
        run = subprocess.run([str(script), *argv], capture_output=True, text=True, env=env, timeout=60)
        assert (run.returncode, run.stdout, run.stderr) == (0, said, "")
    assert json.loads(subprocess.run([str(script), "outbox", "--json"], capture_output=True, text=True,
                                     env=env, timeout=60).stdout) == {"outbox": []}
