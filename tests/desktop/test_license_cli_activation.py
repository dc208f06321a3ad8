"""A buyer with only a terminal (a server, over SSH): `datatools license activate|status|remove`
through the installed console script, and the window reading what it stored (DECISIONS 425).

Real processes, a real `license.json` in a DATATOOLS_HOME of the test's own, blobs minted with
the test's key (tests/desktop/conftest.py `Keys`), which `--dev-keyring` adds to the release's.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

from datatools import license as codec

DATATOOLS = Path(sys.executable).with_name("datatools")   # the console script pip installed


def datatools(home: Path, *argv: str, keyring: Path | None = None, stdin: str | None = None):
    """The installed `datatools` with its license folder at `home`; `keyring` is passed as
    `--dev-keyring` (the test key is not in the release's built-in keyring)."""
    extra = ["--dev-keyring", str(keyring)] if keyring else []
    return subprocess.run([str(DATATOOLS), *extra, *argv], input=stdin if stdin is not None else "",
                          capture_output=True, text=True, encoding="utf-8", timeout=120,
                          env={**os.environ, "DATATOOLS_HOME": str(home)})


def tampered(blob: str) -> str:
    """The blob with its tier raised to `team` and its signature kept: a buyer upgrading himself."""
    body, signature = blob.removeprefix(codec.PREFIX).split(".")
    payload = json.loads(codec.b64url_decode(body))
    forged = codec.canonical_json({**payload, "tier": "team"}).encode("utf-8")
    return f"{codec.PREFIX}{codec.b64url_encode(forged)}.{signature}"


def test_activate_from_a_file_then_status_says_whose_license_and_where(tmp_path, keys):
    home = tmp_path / "home"
    mail = tmp_path / "license.txt"
    mail.write_text(keys.mint(tier="pro", updates_until="2027-11-01") + "\n", encoding="utf-8")

    done = datatools(home, "license", "activate", str(mail), keyring=keys.keyring)
    assert done.returncode == 0, done.stderr
    assert done.stderr == "Thank you, Zoë Müller: DataTools is activated.\n"
    stored = home / "license.json"
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert json.loads(stored.read_text(encoding="utf-8"))["blob"] == mail.read_text().strip()
    assert done.stdout == (
        "Licensed to Zoë Müller <zoe@example.com>\n"
        "  edition       Pro, 3 seats\n"
        "  updates       until 2027-11-01\n"
        "  expires       never\n"
        "  license id    L-0001\n"
        "  tools         encoding, clean, profile, compare, dedupe, match\n"
        f"  license file  {stored}\n")

    status = datatools(home, "license", "status", "--json", keyring=keys.keyring)
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout) == {
        "license": {"lid": "L-0001", "name": "Zoë Müller", "email": "zoe@example.com",
                    "tier": "pro", "seats": 3, "issued": "2026-11-01",
                    "updates_until": "2027-11-01", "expires": None},
        "license_problem": None,
        "entitlement": {"tier": "pro", "row_limit": None, "known_tier": True,
                        "tools": ["encoding", "clean", "profile", "compare", "dedupe", "match"]},
        "license_file": str(stored)}


def test_activate_reads_standard_input_and_a_pasted_argument_as_the_window_does(tmp_path, keys):
    blob = keys.mint(tier="basic")
    quoted = "> " + blob[:60] + "\n> " + blob[60:120] + "\n>\t" + blob[120:] + "\n"
    piped = datatools(tmp_path / "a", "license", "activate", keyring=keys.keyring, stdin=quoted)
    assert piped.returncode == 0, piped.stderr
    argument = datatools(tmp_path / "b", "license", "activate", f"“{blob}”", keyring=keys.keyring)
    assert argument.returncode == 0, argument.stderr
    for home in (tmp_path / "a", tmp_path / "b"):
        assert json.loads((home / "license.json").read_text(encoding="utf-8"))["blob"] == blob


def test_a_tampered_license_is_one_message_exit_1_and_nothing_stored(tmp_path, keys):
    home = tmp_path / "home"
    refused = datatools(home, "license", "activate", tampered(keys.mint()), keyring=keys.keyring)
    assert refused.returncode == 1
    assert refused.stdout == ""
    assert refused.stderr == (
        "datatools: This license's signature does not match its contents: it was changed after "
        "it was issued, or copied incompletely. Copy it again from your license email.\n")
    assert not home.exists()

    # A license already in use stays as it was; --json gives the window's error code.
    datatools(home, "license", "activate", keys.mint(tier="basic"), keyring=keys.keyring)
    before = (home / "license.json").read_bytes()
    refused = datatools(home, "license", "activate", "--json", tampered(keys.mint(tier="pro")),
                        keyring=keys.keyring)
    assert refused.returncode == 1
    assert json.loads(refused.stderr)["error"]["code"] == "bad_signature"
    assert (home / "license.json").read_bytes() == before


def test_an_empty_paste_a_missing_file_and_a_withdrawn_key_are_refused(tmp_path, keys):
    home = tmp_path / "home"
    empty = datatools(home, "license", "activate", keyring=keys.keyring, stdin="\n")
    assert (empty.returncode, empty.stderr) == (1, "datatools: Paste your license first.\n")
    missing = datatools(home, "license", "activate", "licence.txt", keyring=keys.keyring)
    assert missing.returncode == 1
    assert missing.stderr.startswith("datatools: licence.txt is neither a file nor a license")
    withdrawn = datatools(home, "license", "activate", keys.mint(kid="withdrawn-1"),
                          keyring=keys.keyring)
    assert withdrawn.returncode == 1 and "has been withdrawn" in withdrawn.stderr
    assert not home.exists()


def test_remove_takes_the_license_off_and_status_says_trial(tmp_path, keys):
    home = tmp_path / "home"
    datatools(home, "license", "activate", keys.mint(), keyring=keys.keyring)
    removed = datatools(home, "license", "remove", keyring=keys.keyring)
    assert removed.returncode == 0
    assert removed.stderr == (f"Removed the license from this computer ({home / 'license.json'}): "
                              "DataTools runs as a trial again.\n")
    assert not (home / "license.json").exists()
    status = datatools(home, "license", "status")
    assert status.returncode == 0
    assert status.stdout.startswith("No license is activated: DataTools runs as a trial")
    assert json.loads(datatools(home, "license", "status", "--json").stdout)["license"] is None


def test_status_says_why_a_stored_license_no_longer_counts(tmp_path, keys):
    home = tmp_path / "home"
    datatools(home, "license", "activate", keys.mint(), keyring=keys.keyring)
    # Without the test key (a release that does not trust it) the stored license is the trial.
    status = datatools(home, "license", "status", "--json")
    assert status.returncode == 0
    answer = json.loads(status.stdout)
    assert answer["license"] is None and answer["license_problem"]["code"] == "unknown_key"
    assert answer["entitlement"]["row_limit"] == 1000


def test_a_license_activated_on_the_command_line_opens_the_window_as_its_own_does(
        tmp_path, keys, settings, client):
    """The window running on the folder the CLI writes to: the same license, the same tier
    table; a Basic license refuses the Pro tools there as after the window's own activation."""
    assert client.call("GET", "/api/state")[2]["entitlement"]["row_limit"] == 1000   # the trial
    datatools(settings.home, "license", "activate", keys.mint(tier="basic"), keyring=keys.keyring)
    state = client.call("GET", "/api/state")[2]
    assert state["license"]["name"] == "Zoë Müller"
    assert state["entitlement"]["tier"] == "basic" and state["entitlement"]["row_limit"] is None
    source = tmp_path / "in.csv"
    source.write_text("a\n1\n", encoding="utf-8")
    status, _, body = client.call("POST", "/api/jobs", {
        "tool": "dedupe", "inputs": [{"path": str(source)}], "options": {"columns": ["a"]}})
    assert (status, body["error"]["code"]) == (403, "not_in_tier")

    datatools(settings.home, "license", "activate", keys.mint(tier="pro"), keyring=keys.keyring)
    assert client.call("GET", "/api/state")[2]["entitlement"]["tools"][-2:] == ["dedupe", "match"]
    datatools(settings.home, "license", "remove")
    assert client.call("GET", "/api/state")[2]["license"] is None


def test_verify_needs_no_keyring_option(tmp_path, keys):
    """A buyer checks a license against the keys the release trusts; the operator's --keyring
    stays."""
    mail = tmp_path / "license.txt"
    mail.write_text(keys.mint(), encoding="utf-8")
    own = datatools(tmp_path, "license", "verify", str(mail))
    assert own.returncode == 1     # the release's keyring does not hold the test key
    assert "signed with a key this release of DataTools does not know" in own.stderr
    added = datatools(tmp_path, "license", "verify", str(mail), keyring=keys.keyring)
    assert added.returncode == 0, added.stderr
    assert added.stdout.startswith("Valid datatools license L-0001\n")
    operator = datatools(tmp_path, "license", "verify", str(mail), "--keyring", str(keys.keyring))
    assert operator.returncode == 0, operator.stderr


def test_every_license_action_has_help_with_an_example(tmp_path):
    for action in ("activate", "status", "remove", "deactivate", "verify"):
        helped = datatools(tmp_path, "license", action, "--help")
        assert helped.returncode == 0 and "Example: datatools license " in helped.stdout, action


def test_a_license_folder_that_cannot_be_written_is_one_message_not_a_traceback(tmp_path, keys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    home = blocker / "home"
    done = datatools(home, "license", "activate", keys.mint(), keyring=keys.keyring)
    assert done.returncode == 1
    assert done.stderr.startswith(f"datatools: cannot change the license file {home / 'license.json'}:")
    assert len(done.stderr.splitlines()) == 1 and blocker.read_text() == ""
