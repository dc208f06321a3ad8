"""`datatools license keygen|verify|keys` as a user runs them: real files, real process, exit codes."""

import json
import os
import stat
import subprocess
import sys
from datetime import date

from datatools import license as codec
from datatools import license_keys


def run_cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "datatools", *args], input=stdin,
                          capture_output=True, text=True, timeout=60)


def mint_with(keydir, kid, **overrides):
    fields = {"lid": "DT-7", "product": "datatools", "tier": "pro", "seats": 1,
              "name": "Ana Lucía Pérez", "email": "ana@example.com", "issued": "2026-11-01",
              "updates_until": None, "expires": None, **overrides}
    return codec.mint_blob(fields, license_keys.load_private_key(keydir / f"{kid}.pem"), kid)


def test_keygen_then_verify_from_argument_file_and_stdin(tmp_path):
    keydir = tmp_path / "keys"
    result = run_cli("license", "keygen", "--kid", "dev", "--out", str(keydir))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert stat.S_IMODE(os.stat(keydir / "dev.pem").st_mode) == 0o600
    blob = mint_with(keydir, "dev")
    ring = str(keydir / "keyring.json")

    by_argument = run_cli("license", "verify", blob, "--keyring", ring, "--json")
    assert by_argument.returncode == 0, by_argument.stderr
    assert json.loads(by_argument.stdout)["name"] == "Ana Lucía Pérez"

    pasted = tmp_path / "mail.txt"
    pasted.write_text("> " + blob[:50] + "\n> " + blob[50:] + "\n", encoding="utf-8")
    by_file = run_cli("license", "verify", str(pasted), "--keyring", ring, "--json")
    assert json.loads(by_file.stdout)["lid"] == "DT-7"

    by_stdin = run_cli("license", "verify", "--keyring", ring, "--json", stdin=blob)
    assert json.loads(by_stdin.stdout)["tier"] == "pro"


def test_verify_failure_exits_1_with_the_reason(tmp_path):
    keydir = tmp_path / "keys"
    run_cli("license", "keygen", "--kid", "dev", "--out", str(keydir))
    blob = mint_with(keydir, "dev", expires="2026-01-31")
    result = run_cli("license", "verify", blob, "--keyring", str(keydir / "keyring.json"),
                     "--today", date(2026, 2, 1).isoformat())
    assert result.returncode == 1
    assert result.stdout == ""
    assert "expired on 2026-01-31" in result.stderr and "[expired]" in result.stderr
    assert "Traceback" not in result.stderr


def test_keygen_refuses_to_replace_a_key(tmp_path):
    run_cli("license", "keygen", "--kid", "dev", "--out", str(tmp_path))
    before = (tmp_path / "dev.pem").read_bytes()
    again = run_cli("license", "keygen", "--kid", "dev", "--out", str(tmp_path))
    assert again.returncode == 1 and "never replaced" in again.stderr
    assert (tmp_path / "dev.pem").read_bytes() == before


def test_usage_errors_exit_2_and_help_exits_0():
    assert run_cli("license", "verify", "--today", "someday").returncode == 2  # not a date
    assert run_cli("--no-such-option").returncode == 2   # no COMMAND at all opens the desktop app
    helped = run_cli("license", "verify", "--help")
    assert helped.returncode == 0 and "Example:" in helped.stdout


def test_missing_keyring_is_a_clear_error(tmp_path):
    result = run_cli("license", "verify", "DTLIC2:x.y", "--keyring", str(tmp_path / "none.json"))
    assert result.returncode == 1 and "cannot read keyring" in result.stderr


def test_verify_of_a_deeply_nested_payload_is_one_line_not_a_traceback(tmp_path):
    keydir = tmp_path / "keys"
    run_cli("license", "keygen", "--kid", "dev", "--out", str(keydir))
    nested = b"[" * 100_000 + b"]" * 100_000
    blob = f"DTLIC2:{codec.b64url_encode(nested)}.{codec.b64url_encode(bytes(64))}"
    result = run_cli("license", "verify", "--keyring", str(keydir / "keyring.json"), stdin=blob)
    assert result.returncode == 1
    assert len(result.stderr.splitlines()) == 1
    assert result.stderr.startswith("datatools: This license text is damaged")
    assert result.stderr.rstrip().endswith("[malformed]")


def test_license_keys_text_names_trusted_keys_and_denied_ones(tmp_path):
    from datatools.commands.license import keyring_text

    for kid in ("2026-11", "2027-05", "2025-01"):
        license_keys.generate_key(tmp_path, kid)
    ring = license_keys.load_keyring(tmp_path / "keyring.json")
    ring = codec.Keyring(ring.keys, frozenset({"2025-01"}))
    assert keyring_text(ring) == (
        "This copy trusts 2 license keys (id, public key):\n"
        f"  2026-11  {codec.public_key_b64(ring.keys['2026-11'])}\n"
        f"  2027-05  {codec.public_key_b64(ring.keys['2027-05'])}\n"
        "It refuses licenses signed with the denied key 2025-01.\n")
