"""A release build ships the production keyring only: packaging/release.py's checks, and make's.

`make dist-desktop KEYRING=FILE` runs these checks before PyInstaller starts, so these tests
exercise the real refusal without building anything (a build takes minutes).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from datatools import license_keys
from datatools.version import RELEASE_DATE, __version__
from licensed.devworld import write_dev_world

REPO = Path(__file__).resolve().parents[1]
RELEASE = REPO / "packaging" / "release.py"


def check(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(RELEASE), "check", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=60)


def keyring_with(folder: Path, *kids: str) -> Path:
    for kid in kids:
        license_keys.generate_key(folder, kid)
    return folder / "keyring.json"


def test_a_production_keyring_passes_and_is_staged_for_the_build(tmp_path):
    keyring = keyring_with(tmp_path / "prod", "2026-11", "2027-05")
    stage = tmp_path / "stage"
    done = check("--keyring", str(keyring), "--stage", str(stage), cwd=tmp_path)
    assert (done.returncode, done.stderr) == (0, "")
    tag = f"{platform.system().lower()}-{platform.machine().lower()}"
    assert done.stdout == (f"release datatools-{__version__}-{tag}: released {RELEASE_DATE}, "
                           "trusts 2026-11, 2027-05\n")
    assert (stage / "keyring.json").read_text() == license_keys.load_keyring(keyring).to_json()


def test_a_denied_key_is_named_and_shipped_on_the_deny_list(tmp_path):
    keyring = keyring_with(tmp_path / "prod", "2026-11", "2027-05")
    data = json.loads(keyring.read_text())
    keyring.write_text(json.dumps({**data, "denied": ["2026-11"]}))
    done = check("--keyring", str(keyring), "--stage", str(tmp_path / "stage"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.endswith("trusts 2027-05, denies 2026-11\n")
    assert json.loads((tmp_path / "stage" / "keyring.json").read_text())["denied"] == ["2026-11"]


def test_no_keyring_refuses_to_build(tmp_path):
    done = check(cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == ("release refused: a release build needs the production keyring: make "
                           "dist-desktop KEYRING=FILE, where FILE is the output of `licensed keys "
                           "export-keyring` on the license server\n")


@pytest.mark.parametrize("kid", ["dev-1", "test-1", "DEV_2026", "testing"])
def test_a_development_kid_refuses_to_build(tmp_path, kid):
    keyring = keyring_with(tmp_path / "keys", "2026-11", kid)
    done = check("--keyring", str(keyring), "--stage", str(tmp_path / "stage"), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == (f"release refused: the keyring holds development key {kid!r}; a "
                           "release trusts production keys only\n")
    assert not (tmp_path / "stage").exists()


def test_a_development_key_under_a_production_name_refuses_to_build(tmp_path):
    dev_ring = keyring_with(tmp_path / "dev", "dev-1")
    renamed = {"2026-11": json.loads(dev_ring.read_text())["dev-1"]}
    keyring = tmp_path / "renamed.json"
    keyring.write_text(json.dumps(renamed))
    done = check("--keyring", str(keyring), "--dev-keyring", str(dev_ring), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr == ("release refused: key '2026-11' is the development key 'dev-1' of this "
                           "machine; a release trusts production keys only\n")


@pytest.mark.parametrize("text, reason", [
    ("", "the keyring is not JSON (Expecting value, line 1)"),
    ('["2026-11"]', "the keyring does not follow the keyring format: a keyring must be a JSON object"),
    ('{"2026-11": "c2hvcnQ"}', "the keyring does not follow the keyring format: key '2026-11' is "
                               "not a base64url 32-byte Ed25519 public key"),
    ('{"denied": []}', "the keyring trusts no key: no license could ever be activated"),
])
def test_a_keyring_outside_the_contract_refuses_to_build(tmp_path, text, reason):
    keyring = tmp_path / "keyring.json"
    keyring.write_text(text)
    done = check("--keyring", str(keyring), cwd=tmp_path)
    assert (done.returncode, done.stderr) == (1, f"release refused: {reason}\n")


def test_a_keyring_whose_every_key_is_denied_refuses_to_build(tmp_path):
    keyring = keyring_with(tmp_path / "prod", "2026-11")
    keyring.write_text(json.dumps({**json.loads(keyring.read_text()), "denied": ["2026-11"]}))
    done = check("--keyring", str(keyring), cwd=tmp_path)
    assert (done.returncode, done.stderr) == (
        1, "release refused: the keyring trusts no key: no license could ever be activated\n")


def test_a_release_date_after_the_build_day_is_refused():
    sys.path.insert(0, str(REPO / "packaging"))
    try:
        import release
    finally:
        sys.path.remove(str(REPO / "packaging"))
    release.check_release_date(RELEASE_DATE, today=RELEASE_DATE)
    with pytest.raises(release.ReleaseRefused) as refused:
        release.check_release_date(RELEASE_DATE, today=RELEASE_DATE - timedelta(days=1))
    assert refused.value.message == (
        f"RELEASE_DATE {RELEASE_DATE} (datatools/version.py) is after today, "
        f"{RELEASE_DATE - timedelta(days=1)}")
    assert release.artifact_stem("1.2.0", "macos-arm64") == "datatools-1.2.0-macos-arm64"
    assert release.platform_tag("Windows", "AMD64") == "windows-amd64"
    assert release.platform_tag("Darwin", "arm64") == "macos-arm64"


@pytest.mark.parametrize("keyring_kids", [(), ("dev-1",)], ids=["no keyring", "development key"])
def test_make_dist_desktop_refuses_before_pyinstaller_runs(tmp_path, keyring_kids):
    keyring = keyring_with(tmp_path / "keys", *keyring_kids) if keyring_kids else ""
    dist, work = tmp_path / "dist", tmp_path / "work"
    done = subprocess.run(["make", "--no-print-directory", "dist-desktop", f"KEYRING={keyring}",
                           f"DIST={dist}", f"PYI_WORK={work}"], cwd=REPO, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "MAKEFLAGS": ""})
    assert done.returncode != 0
    assert "release refused: " in done.stderr
    assert "pyinstaller" not in done.stdout.lower()
    assert not dist.exists() and not work.exists()


@pytest.mark.parametrize("kid, verdict", [
    ("2026-11", "trusts 2026-11\n"),
    ("dev-1", "release refused: the keyring holds development key 'dev-1'; a release trusts "
              "production keys only\n"),
])
def test_the_keyring_the_license_server_exports_is_what_a_release_takes(tmp_path, kid, verdict):
    server = write_dev_world(tmp_path / "server", f"sqlite:///{tmp_path / 'licenses.db'}", kid=kid)
    exported = subprocess.run([sys.executable, "-m", "licensed", "keys", "export-keyring",
                               "--config", str(server.config)], cwd=REPO, capture_output=True,
                              text=True, timeout=60)
    assert exported.returncode == 0, exported.stderr
    keyring = tmp_path / "release-keyring.json"
    keyring.write_text(exported.stdout)
    done = check("--keyring", str(keyring), cwd=tmp_path)
    assert (done.stdout + done.stderr).endswith(verdict)


def test_a_revocation_list_older_than_the_release_is_refused_and_a_fresh_one_staged(tmp_path):
    from datatools.revocations import sign_revocation_list

    keyring = keyring_with(tmp_path / "prod", "2026-11")
    key = license_keys.load_private_key(tmp_path / "prod" / "2026-11.pem")
    stale = tmp_path / "stale.txt"
    stale.write_text(sign_revocation_list(["L-AAAAAAAAAAAAAAAA"], RELEASE_DATE - timedelta(days=1),
                                          key, "2026-11"))
    refused = check("--keyring", str(keyring), "--revocations", str(stale), cwd=tmp_path)
    assert (refused.returncode, refused.stdout) == (1, "")
    assert refused.stderr == (
        f"release refused: the revocation list was issued "
        f"{(RELEASE_DATE - timedelta(days=1)).isoformat()}, before the release's cut-off "
        f"{RELEASE_DATE.isoformat()}: export a fresh one (GET /internal/revocations)\n")
    fresh = tmp_path / "fresh.txt"
    fresh.write_text(sign_revocation_list(["L-AAAAAAAAAAAAAAAA"], RELEASE_DATE, key, "2026-11"))
    done = check("--keyring", str(keyring), "--revocations", str(fresh), "--stage",
                 str(tmp_path / "stage"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "stage" / "revocations.txt").read_text() == fresh.read_text() + "\n"
    forged = tmp_path / "forged.txt"
    other = keyring_with(tmp_path / "other", "2027-01")
    forged.write_text(sign_revocation_list(
        [], RELEASE_DATE, license_keys.load_private_key(tmp_path / "other" / "2027-01.pem"),
        "2027-01"))
    assert other.exists()
    refused = check("--keyring", str(keyring), "--revocations", str(forged), cwd=tmp_path)
    assert refused.stderr == ("release refused: the revocation list does not verify: the "
                              "revocation list is signed by key '2027-01', which the keyring "
                              "does not trust\n")
