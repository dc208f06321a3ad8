"""`licensed keys use|deny|export-keyring|list`: rotation on the server, the deny list, and the
keyring the desktop embeds — checked with the desktop's own `datatools license verify`."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import signal
import subprocess
import sys

import pytest

from datatools import cli as datatools_cli
from datatools import license as codec
from datatools import license_keys
from licensed import cli as licensed_cli
from tests.daemon.harness import ADMIN_TOKEN, LiveDaemon, gumroad_sale, http
from tests.deploy.harness import DaemonProcess, wait_until


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
    live = LiveDaemon(world, clock).start()  # a restart picks up signing/current too
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
                              "another key (licensed keys new --kid NEW), then licensed keys "
                              "reload, then deny test-1\n")


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


def mint(live, name: str = "Ada") -> tuple[int, dict]:
    answer = live.admin("POST", "/internal/mint", {"name": name, "email": "ada@example.com",
                                                   "tier": "pro"})
    return answer.status, answer.json()


@pytest.fixture
def running(world, clock, monkeypatch):
    """A live daemon, and `licensed` pointed at it as on the server (its port in the settings)."""
    live = LiveDaemon(world, clock).start()
    # The signer is socket-activated: it reads signing/ once it runs. Ask it once, so a key
    # command below comes after that, as on a server where it has been running.
    assert live.admin("GET", "/internal/keys").json()["kid"] == "test-1"
    monkeypatch.setenv("LICENSED_SERVER_PORT", live.url.rsplit(":", 1)[1])
    yield live
    live.stop()


def test_deny_refuses_the_key_the_running_daemon_still_signs_with(world, running):
    config = world.config_file
    assert licensed(world, "keys", "new", "--kid", "test-2") == (
        0, f"{world.secrets_dir / 'signing' / 'test-2.pem'}\n",
        f"new licenses will be signed with test-2 once the daemon reloads its keys (licensed "
        f"keys reload --config {config}); ship {world.secrets_dir / 'signing' / 'keyring.json'} "
        f"in the next desktop release\n")
    # signing/current names test-2 now, but the running daemon has not read it: no deny yet.
    assert licensed(world, "keys", "deny", "test-1") == (
        1, "", f"licensed: the daemon at {running.url} still signs with test-1; first run: "
               f"licensed keys reload --config {config}\n")
    assert codec.Keyring.from_json(licensed(world, "keys", "export-keyring")[1]).denied == set()
    assert mint(running)[1]["license"]["kid"] == "test-1"

    assert licensed(world, "keys", "reload") == (
        0, "", "licensed: the daemon now signs with test-2 (was test-1); denied: none\n"
               .removeprefix("licensed: "))
    assert mint(running, "Bo")[1]["license"]["kid"] == "test-2"
    assert licensed(world, "keys", "deny", "test-1")[0] == 0
    # The import check follows the deny at once: test-1's licenses are refused there too.
    assert running.admin("GET", "/internal/keys").json() == {
        "kid": "test-2", "keys": ["test-1", "test-2"], "denied": ["test-1"]}
    actions = running.admin("GET", "/internal/actions?action=reload").json()["actions"]
    assert [(a["answer"], json.loads(a["detail"]) if isinstance(a["detail"], str)
             else a["detail"]) for a in actions] == [
        ("200 reloaded", {"previous_kid": "test-1", "kid": "test-2"})]


def test_the_deny_list_is_read_when_signing_so_a_denied_key_never_signs(world, running):
    signing = world.secrets_dir / "signing"
    ring = json.loads((signing / "keyring.json").read_text())
    ring["denied"] = ["test-1"]  # a deny the daemon was not told about (a restored keyring)
    (signing / "keyring.json").write_text(json.dumps(ring))
    status, body = mint(running)
    assert (status, body["error"]["code"]) == (503, "signing_key_denied")
    assert body["error"]["message"] == (
        "signing key test-1 is denied; nothing is signed until another key signs: licensed "
        "keys use KID (or keys new), then licensed keys reload")
    sale = running.ping(gumroad_sale("DENIED-1"))
    assert sale.status == 503  # Gumroad retries the Ping; nothing was minted
    assert running.admin("GET", "/internal/licenses").json()["licenses"] == []
    # Once signing/current names another key, the next signature uses it, reload or not.
    licensed(world, "keys", "new", "--kid", "test-2")
    status, body = mint(running)
    assert (status, body["license"]["kid"]) == (201, "test-2")


def test_reload_without_a_daemon_says_it_reads_keys_when_it_starts(world):
    assert licensed(world, "keys", "reload") == (
        1, "", "licensed: no daemon answers at http://127.0.0.1:0 ([Errno 111] Connection "
               "refused); a stopped daemon reads its keys when it starts (systemctl start "
               "datatools-license)\n")


def test_a_reload_that_cannot_use_the_named_key_keeps_the_key_in_use(world, running):
    (world.secrets_dir / "signing" / "current").write_text("missing-9\n")
    code, _, err = licensed(world, "keys", "reload")
    assert (code, err) == (
        1, f"licensed: the daemon at {running.url} answered 409 keys_not_reloaded: still "
           f"signing with test-1: signing key {world.secrets_dir / 'signing' / 'missing-9.pem'} "
           f"(named in signing/current) is missing\n")
    assert mint(running)[1]["license"]["kid"] == "test-1"


def test_key_commands_refuse_a_user_other_than_the_folders_owner(world):
    signing = world.secrets_dir / "signing"
    before = sorted(path.name for path in signing.iterdir())
    os.chown(signing, 65534, 65534)  # nobody: the service user of this test
    try:
        for argv in (["keys", "new", "--kid", "test-2"], ["keys", "use", "test-1"],
                     ["keys", "deny", "test-1"]):
            code, out, err = licensed(world, *argv)
            assert (code, out) == (1, "")
            assert err == (
                f"licensed: {signing} belongs to nobody, and a key file another user writes "
                f"there stops the daemon from starting; run it as nobody: runuser -u nobody -- "
                f"licensed {' '.join(argv)} --config {world.config_file}\n")
        assert sorted(path.name for path in signing.iterdir()) == before
        assert licensed(world, "keys", "list")[0] == 0  # reading is anyone's
    finally:
        os.chown(signing, os.getuid(), os.getgid())


def test_sighup_makes_a_served_daemon_sign_with_the_new_key(world, tmp_path, signers):
    program = shutil.which("licensed", path=os.path.dirname(sys.executable))
    assert program is not None
    assert licensed(world, "migrate")[0] == 0
    signers(world)
    daemon = DaemonProcess([program], world.config_file, tmp_path / "daemon.log").start()
    try:
        licensed(world, "keys", "new", "--kid", "test-2")
        daemon.process.send_signal(signal.SIGHUP)  # as `systemctl reload` sends it
        wait_until(lambda: "new licenses are signed with test-2 (was test-1)" in daemon.log(),
                   what="the reload line")
        answer = http("POST", daemon.url + "/internal/mint",
                      json.dumps({"name": "Cy", "email": "cy@example.com",
                                  "tier": "pro"}).encode(),
                      {"Authorization": f"Bearer {ADMIN_TOKEN}",
                       "Content-Type": "application/json"})
        assert answer.json()["license"]["kid"] == "test-2"
    finally:
        assert daemon.stop() == 0
