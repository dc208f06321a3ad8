"""The signer as its own process: who may ask, what it signs, its chain, and the daemon without it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from datatools import license as codec
from datatools import license_keys
from licensed.signer.chain import payload_digest
from tests.daemon.harness import SignerProcess, gumroad_sale, http
from tests.daemon.signer_harness import ask, license_fields, log_lines

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def signer(world):
    process = SignerProcess(world).start()
    yield process
    process.stop()


def verify_log(world) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "licensed", "signer", "verify-log", "--config",
                           str(world.config_file)], capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_signer_signs_fields_it_builds_and_logs_each_signature(world, signer):
    answer = ask(world.signer_socket, {"op": "sign", "fields": license_fields()})
    assert answer["ok"] is True and answer["kid"] == "test-1" and answer["seq"] == 1
    keyring = license_keys.load_keyring(world.secrets_dir / "signing" / "keyring.json")
    record = codec.verify_signature(answer["blob"], keyring)
    assert (record.lid, record.tier, record.seats, record.name) == (
        "L-ABCDEFGHIJKLMNOP", "pro", 1, "Zoë Ångström")
    (entry,) = log_lines(world.signer_log)
    assert entry["lid"] == "L-ABCDEFGHIJKLMNOP" and entry["kid"] == "test-1"
    assert entry["payload_sha256"] == payload_digest(answer["blob"])
    assert entry["prev"] == "0" * 64 and entry["seq"] == 1


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize(("change", "words"), [
    ({"seats": 1000}, "seats must be a whole number from 1 to 100"),
    ({"tier": "enterprise"}, "tier must be one of pro, team"),
    ({"product": "othertool"}, "product must be 'datatools'"),
    ({"issued": (date.today() + timedelta(days=30)).isoformat()}, "issued must be between"),
    ({"updates_until": "2099-01-01"}, "updates_until must be null or between"),
    ({"expires": "not a date"}, "expires must be a date"),
    ({"v": 3}, "unknown field(s) v"),
    ({"kid": "other"}, "unknown field(s) kid"),
])
def test_fields_outside_policy_are_refused_and_never_logged(world, signer, change, words):
    answer = ask(world.signer_socket, {"op": "sign", "fields": license_fields(**change)})
    assert answer["ok"] is False and answer["error"]["code"] == "outside_policy"
    assert words in answer["error"]["message"]
    assert not world.signer_log.exists() or world.signer_log.read_text() == ""


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_request_from_another_uid_is_refused(world, tmp_path):
    # The socket is opened to everyone here on purpose: the kernel's peer check must refuse
    # the caller even where the file's mode would let it in.
    open_dir = Path("/tmp") / f"dtsigner-open-{os.getpid()}-{tmp_path.name[-12:]}"
    open_dir.mkdir(mode=0o755, exist_ok=True)
    socket_path = open_dir / "signer.sock"
    process = SignerProcess(world.replace(signer_socket=socket_path))
    try:
        process.start_with_env({"LICENSED_SIGNER_SOCKET": str(socket_path)})
        os.chmod(socket_path, 0o666)
        forged = json.dumps({"op": "sign", "fields": license_fields()})
        script = ("import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); "
                  "s.sendall(sys.argv[2].encode()+b'\\n'); print(s.makefile().readline())")
        run = subprocess.run(["/usr/bin/python3", "-c", script, str(socket_path), forged],
                             user=65534, group=65534, capture_output=True, text=True, timeout=30)
        assert json.loads(run.stdout) == {"ok": False, "error": {
            "code": "forbidden", "message": "this user may not ask for signatures"}}
        assert ask(socket_path, {"op": "sign", "fields": license_fields()})["ok"] is True
        assert [entry["seq"] for entry in log_lines(world.signer_log)] == [1]
    finally:
        process.stop()
        open_dir.rmdir()
    assert "refused a connection from pid=" in process.stderr_path.read_text()
    assert "uid=65534 gid=65534" in process.stderr_path.read_text()


def test_the_chain_detects_an_edited_and_a_removed_entry(live):
    for n in range(4):
        assert live.ping(gumroad_sale(f"CHAIN-{n}")).status == 200
    world = live.settings
    intact = world.signer_log.read_text()
    good = verify_log(world)
    assert (good.returncode, good.stderr) == (0, "")
    assert "4 entries, chain intact" in good.stdout
    lines = intact.splitlines(keepends=True)

    edited = json.loads(lines[1])
    edited["lid"] = "L-AAAAAAAAAAAAAAAA"
    world.signer_log.write_text(lines[0] + json.dumps(edited) + "\n" + "".join(lines[2:]))
    run = verify_log(world)
    assert run.returncode == 1
    assert "line 2 (seq 2): edited (its hash does not match its content)" in run.stderr

    world.signer_log.write_text("".join(lines[:1] + lines[2:]))
    run = verify_log(world)
    assert run.returncode == 1
    assert "line 2 (seq 3): the previous entry is missing or was changed" in run.stderr

    world.signer_log.write_text("".join(lines[:3]))
    run = verify_log(world)
    assert run.returncode == 1
    assert "the head file names seq 4 but the log ends at seq 3" in run.stderr

    world.signer_log.write_text(intact)
    assert verify_log(world).returncode == 0


def test_every_license_the_daemon_stores_is_in_the_chain(live):
    for n in range(3):
        assert live.ping(gumroad_sale(f"ALL-{n}")).status == 200
    blobs = [live.license_for(f"ALL-{n}")["blob"] for n in range(3)]
    digests = {entry["payload_sha256"] for entry in log_lines(live.settings.signer_log)}
    assert {payload_digest(blob) for blob in blobs} == digests


def test_a_repeated_delivery_asks_for_no_signature(live):
    # Storefronts deliver an order again (a retry, a second Ping): the stored license answers,
    # and the chain gets no signature that no license holds.
    for _ in range(3):
        assert live.ping(gumroad_sale("TWICE-1")).status == 200
    lid = live.license_for("TWICE-1")["lid"]
    assert [entry["lid"] for entry in log_lines(live.settings.signer_log)] == [lid]


def test_with_the_signer_down_a_sale_answers_503_fast_and_health_says_why(live):
    live.signer.stop()
    answer = live.ping(gumroad_sale("DOWN-1"))
    assert answer.status == 503
    assert answer.json()["error"]["code"] == "signer_unavailable"
    health = http("GET", live.url + "/health")
    assert health.status == 503
    body = health.json()
    assert (body["database"], body["signer"]["status"]) == ("ok", "unreachable")
    assert body["error"]["code"] == "signer_unreachable"
    assert str(live.settings.signer_socket) in body["signer"]["message"]
    found = live.admin("GET", "/internal/licenses?order=DOWN-1").json()["licenses"]
    assert found == []
    events = live.admin("GET", "/internal/events?order=DOWN-1").json()
    assert [e["outcome"] for e in events["events"]] == ["error"]
    live.signer.start()  # the storefront's retry mints it
    assert live.ping(gumroad_sale("DOWN-1")).json() == {"outcome": "minted"}
    assert http("GET", live.url + "/health").status == 200


def test_dtadmin_signatures_reports_an_unsigned_license_and_a_signature_without_one(
        live, tmp_path):
    from tests.daemon.admin_harness import Admin, write_token

    admin = Admin(live, write_token(tmp_path / "token"))
    for n in range(2):
        assert live.ping(gumroad_sale(f"AUDIT-{n}")).status == 200
    log = live.settings.signer_log
    clean = admin("signatures", "--log", str(log))
    assert (clean.code, clean.out) == (0, "2 license(s) match the chain, 0 earlier signature(s) "
                                          "replaced by a renewal or reissue, 0 minted offline; "
                                          "0 problem(s)\n")
    # What an attacker with the signer's socket would leave: a signature nobody stored.
    stray = ask(live.settings.signer_socket, {"op": "sign", "fields": license_fields()})
    assert stray["ok"] is True
    # And what a forged row would look like: the first license's entry is gone from the log.
    lines = log.read_text().splitlines(keepends=True)
    log.write_text("".join(lines[1:]))
    lid = live.license_for("AUDIT-0")["lid"]
    report = admin("signatures", "--log", str(log))
    assert report.code == 1
    assert report.out.splitlines() == [
        "chain: line 1 (seq 2): the previous entry is missing or was changed (prev does not "
        "match)",
        "chain: line 1: seq 2 where 1 was expected (an entry was removed or inserted)",
        f"license 1 ({lid}, gumroad order AUDIT-0) was never signed by the signer",
        f"signature seq 3 ({log_lines(log)[-1]['time']}) for L-ABCDEFGHIJKLMNOP has no license",
        "1 license(s) match the chain, 0 earlier signature(s) replaced by a renewal or reissue, "
        "0 minted offline; 4 problem(s)",
    ]


def test_a_signature_the_operator_explained_is_counted_apart_by_the_installed_dtadmin(
        live, tmp_path):
    """After a restore, a sale minted again leaves its first signature without a license for
    good: the operator names it in a file of explanations and `dtadmin signatures` exits 0;
    a line naming the right seq with another license ID covers nothing."""
    from tests.daemon.admin_harness import write_token

    script = Path(sys.executable).parent / "dtadmin"     # the installed console script
    env = {"DTADMIN_URL": live.url, "DTADMIN_TOKEN_FILE": str(write_token(tmp_path / "token")),
           "PATH": str(script.parent), "HOME": str(tmp_path)}
    log = live.settings.signer_log

    def signatures(*argv: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(script), "signatures", "--log", str(log), *argv],
                              capture_output=True, text=True, env=env, timeout=60)

    assert live.ping(gumroad_sale("RESTORED-1")).status == 200
    # The signature a restore leaves behind: signed, its license no longer stored.
    assert ask(live.settings.signer_socket, {"op": "sign", "fields": license_fields()})["ok"]
    orphan = log_lines(log)[-1]
    assert orphan["lid"] == "L-ABCDEFGHIJKLMNOP"
    first = signatures()
    assert first.returncode == 1
    assert f"signature seq {orphan['seq']} ({orphan['time']}) for L-ABCDEFGHIJKLMNOP has no " \
           "license" in first.stdout
    wrong = tmp_path / "wrong.txt"
    wrong.write_text(f"{orphan['seq']} L-ZZZZZZZZZZZZZZZZ sale minted again after the restore\n")
    covered_nothing = signatures("--explained", str(wrong))
    assert covered_nothing.returncode == 1
    assert covered_nothing.stdout.splitlines()[-2:] == [
        f"note: explanations line 1: seq {orphan['seq']} for L-ZZZZZZZZZZZZZZZZ is not a "
        "signature without a license",
        "1 license(s) match the chain, 0 earlier signature(s) replaced by a renewal or reissue, "
        "0 minted offline; 1 problem(s)"]
    explained = tmp_path / "explained.txt"
    explained.write_text("# restored the 3 May backup on 5 May\n\n"
                         f"{orphan['seq']} L-ABCDEFGHIJKLMNOP sale minted again as a new license\n")
    clean = signatures("--explained", str(explained))
    assert (clean.returncode, clean.stdout, clean.stderr) == (
        0, "1 license(s) match the chain, 0 earlier signature(s) replaced by a renewal or "
           "reissue, 0 minted offline, 1 signature(s) without a license explained; 0 problem(s)\n",
        "")
    as_json = json.loads(signatures("--explained", str(explained), "--json").stdout)
    assert as_json["explained_signatures"][0]["why"] == "sale minted again as a new license"
    assert as_json["signatures_without_license"] == []
    explained.write_text("seventeen L-ABCDEFGHIJKLMNOP why\n")
    malformed = signatures("--explained", str(explained))
    assert (malformed.returncode, malformed.stdout) == (1, "")
    assert malformed.stderr == (f"dtadmin: {explained} line 1: expected `SEQ LID why`, e.g. `17 "
                                "L-ABCDEFGHIJKLMNOP restored from the 3 May backup; sale minted "
                                "again as L-…`\n")


def test_a_refund_puts_the_license_on_the_signed_revocation_list(live):
    from datatools.revocations import verify_revocation_list

    for n in range(2):
        assert live.ping(gumroad_sale(f"REV-{n}")).status == 200
    refunded = live.license_for("REV-0")
    refund = live.ping(gumroad_sale("REV-0", resource_name="refund", refunded="true"))
    assert refund.json() == {"outcome": "revoked"}
    answer = live.admin("GET", "/internal/revocations").json()
    keyring = license_keys.load_keyring(live.settings.secrets_dir / "signing" / "keyring.json")
    listed = verify_revocation_list(answer["list"], keyring)
    assert (answer["count"], listed.lids, listed.kid) == (1, {refunded["lid"]}, "test-1")
    entry = log_lines(live.settings.signer_log)[-1]
    assert (entry["kind"], entry["lid"]) == ("revocations", None)
    assert entry["payload_sha256"] == payload_digest(answer["list"])


def test_a_refunded_license_is_refused_by_a_desktop_release_embedding_the_list(live, tmp_path):
    from datatools.app.activation import activate
    from datatools.app.settings import AppSettings

    for n in range(2):
        assert live.ping(gumroad_sale(f"DESK-{n}")).status == 200
    refunded, kept = live.license_for("DESK-0"), live.license_for("DESK-1")
    refund = live.ping(gumroad_sale("DESK-0", resource_name="refund", refunded="true"))
    assert refund.json() == {"outcome": "revoked"}
    release = tmp_path / "release"
    release.mkdir()
    (release / "keyring.json").write_text(
        (live.settings.secrets_dir / "signing" / "keyring.json").read_text())
    (release / "revocations.txt").write_text(
        live.admin("GET", "/internal/revocations").json()["list"] + "\n")
    settings = AppSettings(home=tmp_path / "home", keyrings=(release / "keyring.json",),
                           revocations=release / "revocations.txt",
                           release_date=date(2026, 11, 23), today=lambda: date(2026, 11, 24))
    with pytest.raises(codec.Revoked) as refused:
        activate(refunded["blob"], settings)
    assert refused.value.code == "revoked"
    assert refused.value.message.startswith("This license was refunded or revoked")
    assert not (tmp_path / "home" / "license.json").exists()
    assert activate(kept["blob"], settings).lid == kept["lid"]
