"""The operator's flows end to end against a live daemon (SQLite and PostgreSQL): break-glass
mint → import, rotation → deny → reissue, the named-token actions log, stats and paging."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from datatools import cli as datatools_cli
from datatools import license as codec
from datatools import license_keys
from dtadmin.offline import main as dtmint_main
from licensed import cli as licensed_cli
from tests.daemon.admin_harness import Admin, write_token
from tests.daemon.harness import LiveDaemon, gumroad_sale


@pytest.fixture
def admin(live, tmp_path) -> Admin:
    return Admin(live, write_token(tmp_path / "token"))


def dtmint(world, clock, log: Path, name: str, email: str, *extra: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    key = world.secrets_dir / "signing" / "test-1.pem"
    code = dtmint_main(["--key", str(key), "--name", name, "--email", email, "--tier", "pro",
                        "--issued-log", str(log), *extra], out, err, environ={}, clock=clock)
    assert code == 0, err.getvalue()
    return out.getvalue().strip()


def licensed(world, *argv: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    code = licensed_cli.main([*argv, "--config", str(world.config_file)], out, err)
    assert code == 0, err.getvalue()
    return out.getvalue()


def desktop_verify(blob: str, keyring: str, tmp_path) -> tuple[int, str]:
    """`datatools license verify` with `keyring` as the release's keyring: (exit code, stderr)."""
    ring = tmp_path / "release-keyring.json"
    ring.write_text(keyring)
    out, err = io.StringIO(), io.StringIO()
    code = datatools_cli.main(["license", "verify", blob, "--keyring", str(ring), "--today",
                               "2026-11-23"], out, err)
    return code, err.getvalue()


# --------------------------------------------------------------------------- break-glass


def test_offline_mint_imports_once_with_the_same_blob_and_verifies(admin, live, world, clock,
                                                                   tmp_path):
    log = tmp_path / "issued.jsonl"
    ada = dtmint(world, clock, log, "Ada Lovelace", "ada@example.com", "--note", "server down")
    bo = dtmint(world, clock, log, "Bo", "bo@example.com")
    first = admin("import", str(log))
    assert (first.code, first.out, first.err) == (0, "imported 2, already there 0, rejected 0\n",
                                                  "")
    second = admin("import", str(log))
    assert (second.code, second.out) == (0, "imported 0, already there 2, rejected 0\n")
    stored = admin("list", "--source", "offline", "--json").json()["licenses"]
    assert [lic["blob"] for lic in stored] == [bo, ada]  # byte for byte, once each
    assert [(lic["order_id"], lic["note"], lic["created_at"]) for lic in stored][1] == (
        stored[1]["lid"], "server down", "2026-11-23T12:00:00.000000+00:00")
    assert desktop_verify(stored[1]["blob"], licensed(world, "keys", "export-keyring"),
                          tmp_path) == (0, "")
    # Already mailed by the operator: an import queues no email.
    assert admin("outbox", "--json").json()["outbox"] == []


def test_a_tampered_or_broken_line_is_reported_by_number_and_the_rest_imported(
        admin, world, clock, tmp_path):
    log = tmp_path / "issued.jsonl"
    dtmint(world, clock, log, "Ada", "ada@example.com")
    dtmint(world, clock, log, "Bo", "bo@example.com")
    good, victim = log.read_text(encoding="utf-8").splitlines()
    edited = json.loads(victim)
    edited["email"] = "mallory@example.com"  # the record says one thing, the blob another
    forged = json.loads(victim)  # a blob whose payload was changed (more seats), same signature
    payload, signature = forged["blob"].removeprefix("DTLIC2:").split(".")
    fields = json.loads(codec.b64url_decode(payload))
    fields["seats"] = 50
    forged["blob"] = ("DTLIC2:" + codec.b64url_encode(codec.canonical_json(fields).encode())
                      + "." + signature)
    forged["seats"] = 50
    log.write_text("\n".join([json.dumps(edited), good, "{not json", "", json.dumps(forged)])
                   + "\n", encoding="utf-8")
    result = admin("import", str(log))
    assert result.code == 1
    assert result.out == "imported 1, already there 0, rejected 3\n"
    lines = result.err.splitlines()
    assert lines[0].split() == ["LINE", "CODE", "PROBLEM"]
    assert [line.split()[:2] for line in lines[1:]] == [
        ["1", "field_mismatch"], ["3", "invalid_json"], ["5", "bad_signature"]]
    assert "email in the record is not what the signed blob says" in lines[1]
    assert [lic["name"] for lic in admin("list", "--json").json()["licenses"]] == ["Ada"]
    report = admin("import", "--json", str(log)).json()
    assert [row["line"] for row in report["rejected"]] == [1, 3, 5]


def test_import_refuses_a_blob_signed_by_a_key_the_server_does_not_know(admin, tmp_path, clock):
    stranger = license_keys.generate_key(tmp_path / "stranger", "stranger-1")
    log = tmp_path / "issued.jsonl"
    out, err = io.StringIO(), io.StringIO()
    assert dtmint_main(["--key", str(stranger), "--name", "Eve", "--email", "eve@example.com",
                        "--tier", "pro", "--issued-log", str(log)], out, err, environ={},
                       clock=clock) == 0
    report = admin("import", "--json", str(log)).json()
    assert [(row["line"], row["code"]) for row in report["rejected"]] == [(1, "unknown_key")]
    assert report["imported"] == []


def test_import_of_a_missing_file_is_one_line(admin, tmp_path):
    result = admin("import", str(tmp_path / "nope.jsonl"))
    assert (result.code, result.err) == (
        1, f"dtadmin: cannot read {tmp_path / 'nope.jsonl'}: No such file or directory\n")


# --------------------------------------------------------------------------- rotation


def test_rotate_deny_and_reissue_keeps_the_lid_and_signs_with_the_new_key(world, clock,
                                                                          tmp_path):
    token = write_token(tmp_path / "token")
    live = LiveDaemon(world, clock).start()
    try:
        old = Admin(live, token)("mint", "--json", "--name", "Ada", "--email", "ada@example.com",
                                 "--tier", "pro").json()["license"]
    finally:
        live.stop()
    licensed(world, "keys", "new", "--kid", "test-2")
    licensed(world, "keys", "deny", "test-1")
    live = LiveDaemon(world, clock).start()
    try:
        admin = Admin(live, token)
        ring = licensed(world, "keys", "export-keyring")
        assert desktop_verify(old["blob"], ring, tmp_path)[1].rstrip().endswith("[denied_key]")
        result = admin("reissue", str(old["id"]))
        assert result.code == 0, result.err
        new = admin("show", "--json", str(old["id"])).json()["license"]
        assert result.out == new["blob"] + "\n"
        assert (new["lid"], new["kid"], new["name"], new["issued"], new["updates_until"]) == (
            old["lid"], "test-2", old["name"], old["issued"], old["updates_until"])
        assert new["blob"] != old["blob"]
        assert desktop_verify(new["blob"], ring, tmp_path) == (0, "")
        assert admin.stand_ins(result.err) == (
            "re-signed license 1 (L-LID1XXXXXXXXXXXX) with key test-2 (was test-1); its email "
            "is queued\n")
        (mail,) = [row for row in admin("outbox", "--json").json()["outbox"]
                   if row["purpose"] == "reissue"]
        assert mail["license_id"] == old["id"]
        live.daemon.worker.run_once()
        (eml,) = [path for path in (world.secrets_dir.parent / "mail").iterdir()
                  if "replacement" in path.read_text(encoding="utf-8")]
        text = eml.read_text(encoding="utf-8")
        assert "Subject: Your replacement DataTools Pro license" in text
        again = admin("reissue", str(old["id"]))
        assert (again.code, again.err) == (
            1, "dtadmin: the daemon answered 409 already_current: license 1 is already signed "
               "with the current key test-2\n")
    finally:
        live.stop()


# --------------------------------------------------------------------------- actions log


def test_actions_log_names_the_token_and_records_refusals(admin, live, world, tmp_path):
    tokens = world.secrets_dir / "admin-tokens"
    tokens.mkdir()
    write_token(tokens / "alice", "alice-token-for-tests")
    live.stop()
    live.start()  # tokens are read at start
    admin.environ["DTADMIN_URL"] = live.url
    alice = write_token(tmp_path / "alice", "alice-token-for-tests")
    admin("mint", "--name", "Ada", "--email", "ada@example.com", "--tier", "pro",
          "--order-id", "INV-1")
    admin("revoke", "1", "--reason", "chargeback", "--token-file", str(alice))
    admin("revoke", "1", "--reason", "again", "--token-file", str(alice))
    # `dtadmin resend 7` stops at "no license has the id or order id 7": ask the daemon itself.
    assert live.admin("POST", "/internal/licenses/7/resend").status == 404
    result = admin("actions")
    assert result.out == (
        "ID  AT                TOKEN  ACTION  LICENSE  ANSWER               DETAIL\n"
        " 4  2026-11-23 12:00  admin  resend           404 no_such_license  "
        "license_id=7 message=no license …\n"
        " 3  2026-11-23 12:00  alice  revoke           409 already_revoked  "
        "license_id=1 message=license 1 i…\n"
        " 2  2026-11-23 12:00  alice  revoke        1  200 revoked          reason=chargeback\n"
        " 1  2026-11-23 12:00  admin  mint          1  201 minted           order_id=INV-1\n"
    )
    assert max(len(line) for line in result.out.splitlines()) <= 100
    only_alice = admin("actions", "--token", "alice", "--json").json()["actions"]
    assert [row["answer"] for row in only_alice] == ["409 already_revoked", "200 revoked"]


def test_a_token_under_two_names_stops_the_daemon(world, clock):
    from licensed.errors import ConfigError

    tokens = world.secrets_dir / "admin-tokens"
    tokens.mkdir()
    (tokens / "bob").write_text((world.secrets_dir / "admin-token").read_text())
    with pytest.raises(ConfigError, match="holds the same token as another file"):
        LiveDaemon(world, clock).start()


# --------------------------------------------------------------------------- stats, paging


def test_stats_count_tiers_sources_months_and_refunds(admin, live):
    live.ping(gumroad_sale())
    live.ping(gumroad_sale("FAKE-SALE-0002==", email="li@example.com", full_name="Li Wei"))
    live.ping(gumroad_sale("FAKE-SALE-0002==", email="li@example.com", full_name="Li Wei",
                           refunded="true", resource_name="refund"))
    live.ping(gumroad_sale("FAKE-SALE-0003==", test="true", email="me@example.com"))
    admin("mint", "--name", "Ada", "--email", "ada@example.com", "--tier", "team")
    result = admin("stats")
    assert result.out == (
        "TIER  LICENSES  TEST\n"
        "pro          3     1\n"
        "team         1     0\n"
        "\n"
        "SOURCE   LICENSES  TEST\n"
        "gumroad         3     1\n"
        "manual          1     0\n"
        "\n"
        "MONTH    LICENSES  TEST\n"
        "2026-11         4     1\n"
        "\n"
        "CURRENCY  SALES      GROSS  REFUNDS   REFUNDED        NET\n"
        "USD           2  98.00 USD        1  49.00 USD  49.00 USD\n"
    )
    (usd,) = admin("stats", "--json").json()["revenue"]
    assert usd == {"currency": "USD", "sales": 2, "gross_minor": 9800, "refunds": 1,
                   "refunded_minor": 4900, "net_minor": 4900}


def test_lists_page_by_id_without_gaps_or_repeats(admin, live):
    for n in range(5):
        admin("mint", "--name", f"Buyer {n}", "--email", f"b{n}@example.com", "--tier", "pro")
    first = live.admin("GET", "/internal/licenses?limit=2").json()
    assert ([lic["id"] for lic in first["licenses"]], first["next"]) == ([5, 4], 4)
    admin("mint", "--name", "Late", "--email", "late@example.com", "--tier", "pro")
    second = live.admin("GET", f"/internal/licenses?limit=2&before={first['next']}").json()
    third = live.admin("GET", f"/internal/licenses?limit=2&before={second['next']}").json()
    assert ([lic["id"] for lic in second["licenses"]], second["next"]) == ([3, 2], 2)
    assert ([lic["id"] for lic in third["licenses"]], third["next"]) == ([1], None)
    shown = admin("list", "--limit", "3")
    assert (len(shown.out.splitlines()), shown.err) == (4, "3 shown, more exist: --limit N or "
                                                           "--all\n")
    every = admin("list", "--all", "--json").json()["licenses"]
    assert [lic["id"] for lic in every] == [6, 5, 4, 3, 2, 1]


def test_list_filters_by_status_source_and_since(admin, live, clock):
    live.ping(gumroad_sale())
    clock.advance(days=3)
    admin("mint", "--name", "Ada", "--email", "ada@example.com", "--tier", "pro")
    admin("revoke", "2", "--reason", "test")
    names = lambda *argv: [lic["name"] for lic in admin("list", "--json", *argv).json()["licenses"]]
    assert names("--status", "revoked") == ["Ada"]
    assert names("--source", "gumroad") == ["Zoë Ångström-Müller"]
    assert names("--since", "2026-11-24") == ["Ada"]
    assert names("--since", "2026-11-23") == ["Ada", "Zoë Ångström-Müller"]
    bad = live.admin("GET", "/internal/licenses?status=paused")
    assert (bad.status, bad.json()["error"]["message"]) == (
        400, "status must be one of active, suspended, revoked")
