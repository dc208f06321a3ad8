"""`licensed keys use|deny|export-keyring|list`: rotation on the server, the deny list, and the
keyring the desktop embeds — checked with the desktop's own `datatools license verify`."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest

from datatools import cli as datatools_cli
from datatools import license as codec
from datatools import license_keys
from licensed import cli as licensed_cli
from tests.daemon.harness import LiveDaemon


def licensed(world, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = licensed_cli.main([*argv, "--config", str(world.secrets_dir.parent / "licensed.toml")],
                             out, err)
    return code, out.getvalue(), err.getvalue()


def verify(blob: str, keyring_text: str, tmp_path) -> tuple[int, str, str]:
    """The desktop's verdict on `blob` with `keyring_text` built in."""
    ring = tmp_path / "release-keyring.json"
    ring.write_text(keyring_text)
    out, err = io.StringIO(), io.StringIO()
    code = datatools_cli.main(["license", "verify", blob, "--keyring", str(ring),
                               "--today", "2026-11-23"], out, err)
    return code, out.getvalue(), err.getvalue()


def public(world, kid: str) -> str:
    key = license_keys.load_private_key(world.secrets_dir / "signing" / f"{kid}.pem")
    return codec.public_key_b64(key.public_key())


def test_export_keyring_prints_contract_1_with_the_deny_list(world):
    assert licensed(world, "keys", "export-keyring") == (
        0, json.dumps({"test-1": public(world, "test-1"), "denied": []}, indent=2) + "\n", "")
    licensed(world, "keys", "new", "--kid", "test-2")
    licensed(world, "keys", "deny", "test-1")
    code, out, _ = licensed(world, "keys", "export-keyring")
    assert out == json.dumps({"test-1": public(world, "test-1"),
                              "test-2": public(world, "test-2"), "denied": ["test-1"]},
                             indent=2) + "\n"
    assert codec.Keyring.from_json(out).denied == {"test-1"}


def test_rotation_keeps_old_licenses_verifying_and_deny_refuses_them(world, clock, tmp_path):
    live = LiveDaemon(world, clock).start()
    try:
        old = live.admin("POST", "/internal/mint", {"name": "Ada", "email": "ada@example.com",
                                                    "tier": "pro"}).json()["license"]
    finally:
        live.stop()
    assert licensed(world, "keys", "new", "--kid", "test-2")[0] == 0
    live = LiveDaemon(world, clock).start()  # the restart that picks up signing/current
    try:
        new = live.admin("POST", "/internal/mint", {"name": "Bo", "email": "bo@example.com",
                                                    "tier": "pro"}).json()["license"]
    finally:
        live.stop()
    assert (old["kid"], new["kid"]) == ("test-1", "test-2")
    ring = licensed(world, "keys", "export-keyring")[1]
    assert verify(old["blob"], ring, tmp_path)[0] == 0
    assert verify(new["blob"], ring, tmp_path)[0] == 0

    assert licensed(world, "keys", "deny", "test-1")[0] == 0
    ring = licensed(world, "keys", "export-keyring")[1]
    code, out, err = verify(old["blob"], ring, tmp_path)
    assert (code, out) == (1, "")
    assert err.rstrip().endswith("[denied_key]")
    assert verify(new["blob"], ring, tmp_path)[0] == 0
    assert licensed(world, "keys", "list")[1] == "test-1  (denied)\ntest-2  (current)\n"


def test_the_key_that_signs_now_cannot_be_denied(world):
    code, _, err = licensed(world, "keys", "deny", "test-1")
    assert (code, err) == (1, "licensed: test-1 signs new licenses now; first make and use "
                              "another key (licensed keys new --kid NEW), restart, then deny "
                              "test-1\n")


def test_use_refuses_unknown_and_denied_keys(world):
    assert licensed(world, "keys", "use", "nope") == (
        1, "", f"licensed: there is no signing key nope in {world.secrets_dir / 'signing'} "
               f"(keys: test-1); make one with: licensed keys new --kid nope\n")
    licensed(world, "keys", "new", "--kid", "test-2")
    licensed(world, "keys", "deny", "test-1")
    assert licensed(world, "keys", "use", "test-1") == (
        1, "", "licensed: key test-1 is denied; a denied key never signs again\n")
    code, _, err = licensed(world, "keys", "use", "test-2")
    assert (code, (world.secrets_dir / "signing" / "current").read_text()) == (0, "test-2\n")


def test_signer_refuses_to_sign_with_a_denied_key(world, clock):
    signing = world.secrets_dir / "signing"
    ring = json.loads((signing / "keyring.json").read_text())
    ring["denied"] = ["test-1"]  # as if keyring.json came back from a backup with the deny
    (signing / "keyring.json").write_text(json.dumps(ring))
    run = subprocess.run([sys.executable, "-m", "licensed", "signer", "--config",
                          str(world.config_file)], capture_output=True, text=True, timeout=60)
    assert run.returncode == 1
    assert re.fullmatch(r"licensed: signing key test-1 \(named in \S+/signing/current\) is "
                        r"denied; run: licensed keys use OTHER_KID\n", run.stderr)
