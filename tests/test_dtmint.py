"""`dtmint`, the break-glass minter: a verifiable blob with no server, a 0600 log, no reused lid."""

from __future__ import annotations

import io
import json
import stat
from datetime import datetime, timezone
from pathlib import Path

import pytest

from datatools import license as codec
from datatools import license_keys
from dtadmin.offline import main

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=timezone.utc)


@pytest.fixture
def key(tmp_path) -> Path:
    return license_keys.generate_key(tmp_path / "keys", "2026-11")


def dtmint(*argv: str, log: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main([*argv, "--issued-log", str(log)], out, err, environ={}, clock=lambda: NOW)
    return code, out.getvalue(), err.getvalue()


def test_mints_a_blob_the_desktop_verifies_and_logs_it_0600(key, tmp_path):
    log = tmp_path / "creator" / "issued.jsonl"
    code, out, err = dtmint("--key", str(key), "--name", "Zoë Ångström", "--email",
                            "zoe@example.com", "--tier", "pro", "--note", "server down", log=log)
    assert code == 0, err
    record = codec.verify_blob(out, license_keys.load_keyring(key.parent / "keyring.json"),
                               product="datatools", today=NOW.date(), release_date=NOW.date())
    assert (record.kid, record.name, record.tier, record.seats, record.issued.isoformat(),
            record.updates_until.isoformat()) == ("2026-11", "Zoë Ångström", "pro", 1,
                                                  "2026-11-23", "2027-11-23")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    (line,) = log.read_text(encoding="utf-8").splitlines()
    logged = json.loads(line)
    assert logged["blob"] == out.strip() and logged["lid"] == record.lid
    assert (logged["note"], logged["minted_at"]) == ("server down", "2026-11-23T12:00:00+00:00")
    assert err == (f"minted {record.lid} for zoe@example.com with key 2026-11; recorded in {log}."
                   f" Once the server is back: dtadmin import {log}\n")


def test_refuses_a_license_id_already_in_the_log(key, tmp_path):
    log = tmp_path / "issued.jsonl"
    args = ("--key", str(key), "--name", "A", "--email", "a@example.com", "--tier", "pro",
            "--lid", "L-AAAAAAAAAAAAAAAA")
    assert dtmint(*args, log=log)[0] == 0
    before = log.read_bytes()
    code, out, err = dtmint(*args, log=log)
    assert (code, out) == (1, "")
    assert err == (f"dtmint: {log} already has license L-AAAAAAAAAAAAAAAA; a license id is "
                   f"never reused (leave out --lid for a new one)\n")
    assert log.read_bytes() == before
    assert dtmint(*args[:-2], log=log)[0] == 0  # a fresh lid is fine
    assert len(log.read_text().splitlines()) == 2


def test_refuses_a_key_others_can_read_like_the_daemon(key, tmp_path):
    key.chmod(0o644)
    log = tmp_path / "issued.jsonl"
    code, out, err = dtmint("--key", str(key), "--name", "A", "--email", "a@example.com",
                            "--tier", "pro", log=log)
    assert (code, out) == (1, "")
    assert err == (f"dtmint: signing key {key} is readable by group or others (mode 0644); "
                   f"run: chmod 400 {key}\n")
    assert log.read_text() == ""


def test_refuses_a_log_others_can_read(key, tmp_path):
    log = tmp_path / "issued.jsonl"
    log.write_text("")
    log.chmod(0o644)
    code, _, err = dtmint("--key", str(key), "--name", "A", "--email", "a@example.com",
                          "--tier", "pro", log=log)
    assert (code, err) == (1, f"dtmint: {log} is readable by group or others (mode 0644); "
                              f"run: chmod 600 {log}\n")


@pytest.mark.parametrize("argv, message", [
    (["--email", "not-an-address"], "dtmint: --email is not an address: 'not-an-address'\n"),
    (["--seats", "0"], "dtmint: --seats must be at least 1\n"),
])
def test_bad_arguments_are_one_line_and_mint_nothing(key, tmp_path, argv, message):
    log = tmp_path / "issued.jsonl"
    base = {"--name": "A", "--email": "a@example.com", "--tier": "pro"}
    base.update(dict(zip(argv[::2], argv[1::2])))
    code, out, err = dtmint("--key", str(key), *[x for kv in base.items() for x in kv], log=log)
    assert (code, out, err) == (1, "", message)
    assert not log.exists() or log.read_text() == ""


def test_usage_error_exits_2(tmp_path):
    code, _, err = dtmint("--name", "A", log=tmp_path / "x")
    assert code == 2 and "usage: dtmint" in err


def test_dtmint_log_names_another_log(key, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    home = tmp_path / "home"
    code = main(["--key", str(key), "--name", "A", "--email", "a@example.com", "--tier", "pro"],
                out, err, environ={"DTMINT_LOG": str(home / "issued.jsonl")}, clock=lambda: NOW)
    assert code == 0 and (home / "issued.jsonl").exists()


def deny(keyring: Path, kid: str) -> None:
    ring = license_keys.load_keyring(keyring)
    license_keys.write_keyring(keyring, codec.Keyring(keys=ring.keys, denied=ring.denied | {kid}))


def test_refuses_a_key_the_servers_keyring_denies_and_logs_nothing(key, tmp_path):
    # The laptop's copy of the server's signing/ after a `licensed keys deny 2026-11`.
    keyring = key.parent / "keyring.json"
    deny(keyring, "2026-11")
    log = tmp_path / "issued.jsonl"
    code, out, err = dtmint("--key", str(key), "--name", "Bo", "--email", "bo@example.com",
                            "--tier", "pro", log=log)
    assert (code, out) == (1, "")
    assert err == (f"dtmint: key 2026-11 is denied in {keyring} (the desktop refuses its "
                   f"licenses as denied_key); copy the key the server signs with now (its "
                   f"signing/current) and its signing/keyring.json again\n")
    assert log.read_text() == ""


def test_refuses_a_key_missing_from_or_different_in_the_keyring(key, tmp_path):
    other = license_keys.generate_key(tmp_path / "server", "2026-12")
    log = tmp_path / "issued.jsonl"
    code, _, err = dtmint("--key", str(key), "--keyring", str(other.parent / "keyring.json"),
                          "--name", "Bo", "--email", "bo@example.com", "--tier", "pro", log=log)
    assert code == 1 and err.startswith(f"dtmint: key 2026-11 is not in {other.parent}/keyring"
                                        f".json, so the server would refuse its licenses; ")
    # A key file named after a kid whose public key the server holds differently.
    renamed = tmp_path / "server" / "2026-11.pem"
    renamed.write_bytes(other.read_bytes())
    renamed.chmod(0o600)
    ring = license_keys.load_keyring(key.parent / "keyring.json")
    code, _, err = dtmint("--key", str(renamed), "--keyring", str(key.parent / "keyring.json"),
                          "--name", "Bo", "--email", "bo@example.com", "--tier", "pro", log=log)
    assert "2026-11" in ring.keys
    assert code == 1 and err.startswith(f"dtmint: {key.parent}/keyring.json holds another "
                                        f"public key for 2026-11; ")
    assert log.read_text() == ""


def test_warns_when_no_keyring_copy_is_beside_the_key(key, tmp_path):
    (key.parent / "keyring.json").unlink()
    log = tmp_path / "issued.jsonl"
    code, out, err = dtmint("--key", str(key), "--name", "Bo", "--email", "bo@example.com",
                            "--tier", "pro", log=log)
    assert code == 0 and out.startswith("DTLIC2:")
    assert err.splitlines()[0] == (
        f"dtmint: warning: no keyring at {key.parent}/keyring.json, so the deny list was not "
        f"checked; copy the server's signing/keyring.json there with the key (--keyring FILE "
        f"names another)")
