"""The local server over real HTTP on loopback: who may call it, what it answers, activation."""

from __future__ import annotations

import http.client
import json
import os
import stat

from datatools import license as codec
from datatools.app.server import CSP, SECURITY_HEADERS

from conftest import TODAY


def raw_request(running, method, path, headers):
    """A request with exactly these headers (urllib would add its own Host)."""
    conn = http.client.HTTPConnection("127.0.0.1", running.app.port, timeout=10)
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for name, value in headers.items():
        conn.putheader(name, value)
    conn.endheaders()
    answer = conn.getresponse()
    body = answer.read()
    conn.close()
    return answer.status, json.loads(body) if body.startswith(b"{") else body


def test_server_listens_on_loopback_only_on_a_port_the_os_chose(desktop):
    host, port = desktop.server.server_address
    assert host == "127.0.0.1"
    assert port > 1024
    assert desktop.url == f"http://127.0.0.1:{port}/#token={desktop.app.token}"


def test_api_call_without_token_is_refused_with_403(client):
    status, _, body = client.call("GET", "/api/state", token=False)
    assert status == 403
    assert body["error"]["code"] == "bad_token"


def test_api_call_with_a_wrong_token_is_refused(client):
    status, _, body = client.call("GET", "/api/state", token=False,
                                  headers={"X-DataTools-Token": "x" * 43})
    assert (status, body["error"]["code"]) == (403, "bad_token")


def test_each_launch_has_its_own_token(settings):
    from datatools.app.server import start_server

    first, second = start_server(settings), start_server(settings)
    try:
        assert first.app.token != second.app.token
        assert len(first.app.token) >= 40
    finally:
        first.stop()
        second.stop()


def test_foreign_host_is_refused_even_with_the_token(desktop):
    # DNS rebinding: a hostile name resolving to 127.0.0.1 sends its own name as Host.
    status, body = raw_request(desktop, "GET", "/api/state", {
        "Host": f"attacker.example:{desktop.app.port}", "X-DataTools-Token": desktop.app.token})
    assert status == 403
    assert body["error"]["code"] == "foreign_host"
    status, body = raw_request(desktop, "GET", "/", {"Host": f"attacker.example:{desktop.app.port}"})
    assert (status, body["error"]["code"]) == (403, "foreign_host")


def test_request_without_host_is_refused(desktop):
    status, body = raw_request(desktop, "GET", "/", {})
    assert (status, body["error"]["code"]) == (403, "foreign_host")


def test_foreign_origin_is_refused(client):
    status, _, body = client.call("POST", "/api/preferences", {"language": "de"},
                                  headers={"Origin": "http://attacker.example"})
    assert (status, body["error"]["code"]) == (403, "foreign_origin")


def test_own_origin_and_localhost_are_accepted(client, desktop):
    status, _, _ = client.call("GET", "/api/state", headers={"Origin": desktop.base_url})
    assert status == 200
    status, _ = raw_request(desktop, "GET", "/", {"Host": f"localhost:{desktop.app.port}"})
    assert status == 200


def test_every_answer_says_no_store_and_locks_the_page_to_this_server(client):
    for path, token in (("/api/state", True), ("/api/state", False), ("/", False), ("/ui/app.js", False)):
        _, headers, _ = client.call("GET", path, token=token) if path.startswith("/api") else \
            _static(client, path)
        for name, value in (*SECURITY_HEADERS, ("Content-Security-Policy", CSP)):
            assert headers[name] == value, (path, name)


def _static(client, path):
    import urllib.request

    with urllib.request.urlopen(client.base_url + path, timeout=10) as answer:
        return answer.status, dict(answer.headers), None


def test_static_files_need_no_token_but_cannot_escape_the_ui_folder(desktop):
    status, body = raw_request(desktop, "GET", "/ui/..%2Fapp%2Fserver.py",
                               {"Host": f"127.0.0.1:{desktop.app.port}"})
    assert status == 404
    status, body = raw_request(desktop, "GET", "/", {"Host": f"127.0.0.1:{desktop.app.port}"})
    assert status == 200 and b"<title>DataTools</title>" in body


def test_unlicensed_copy_is_a_trial_with_every_tool_on_1000_rows(client):
    status, _, state = client.call("GET", "/api/state")
    assert status == 200
    assert state["license"] is None
    assert state["entitlement"] == {"tier": "trial", "row_limit": 1000, "known_tier": True,
                                    "tools": ["encoding", "clean", "profile", "compare", "dedupe", "match"]}


def test_activation_stores_the_license_and_unlocks_the_tier(client, keys, settings):
    blob = keys.mint(tier="basic")
    pasted = "> " + blob[:40] + "\n> " + blob[40:] + "\n"   # as a mail client quotes it
    status, _, answer = client.call("POST", "/api/license", {"blob": pasted})
    assert status == 200
    assert answer["license"] == {"lid": "L-0001", "name": "Zoë Müller", "email": "zoe@example.com",
                                 "tier": "basic", "seats": 3, "issued": "2026-11-01",
                                 "updates_until": None, "expires": None}
    stored = settings.home / "license.json"
    assert json.loads(stored.read_text(encoding="utf-8")) == {"blob": blob, "activated": TODAY.isoformat()}
    assert stat.S_IMODE(os.stat(stored).st_mode) == 0o600
    assert [p.name for p in settings.home.iterdir()] == ["license.json"]   # no temp file left
    _, _, state = client.call("GET", "/api/state")
    assert state["entitlement"]["tools"] == ["encoding", "clean", "profile", "compare"]
    assert state["entitlement"]["row_limit"] is None


def test_tier_table_decides_which_tools_run(client, keys, tmp_path):
    client.call("POST", "/api/license", {"blob": keys.mint(tier="basic")})
    source = tmp_path / "in.csv"
    source.write_text("a\n1\n", encoding="utf-8")
    status, _, body = client.call("POST", "/api/jobs", {"tool": "dedupe", "inputs": [{"path": str(source)}],
                                                        "options": {"columns": ["a"]}})
    assert (status, body["error"]["code"]) == (403, "not_in_tier")


def test_a_license_from_a_newer_tier_gets_the_basic_tools_and_says_so(client, keys):
    client.call("POST", "/api/license", {"blob": keys.mint(tier="enterprise")})
    _, _, state = client.call("GET", "/api/state")
    assert state["entitlement"] == {"tier": "enterprise", "known_tier": False, "row_limit": None,
                                    "tools": ["encoding", "clean", "profile", "compare"]}


def test_tampered_license_is_refused_and_nothing_is_stored(client, keys, settings):
    blob = keys.mint()
    body, signature = blob.split(".")
    tampered = body[:-3] + ("A" if body[-3] != "A" else "B") + body[-2:] + "." + signature
    status, _, answer = client.call("POST", "/api/license", {"blob": tampered})
    assert status == 400
    assert answer["error"]["code"] in ("bad_signature", "malformed")
    assert not (settings.home / "license.json").exists()


def test_every_codec_failure_has_its_own_code(client, keys):
    cases = {
        "not_a_license": "hello there",
        "unsupported_version": "DTLIC3:abc.def",
        "malformed": "DTLIC2:abc",
        # A payload nested 100 000 deep once overflowed the JSON parser: a 500, not this 400.
        "malformed_nested": "DTLIC2:" + codec.b64url_encode(b"[" * 100_000 + b"]" * 100_000)
                            + "." + codec.b64url_encode(bytes(64)),
        "bad_signature": keys.mint()[:-6] + "AAAAAA",
        "denied_key": keys.mint(kid="withdrawn-1"),
        "wrong_product": keys.mint(product="othertool"),
        "expired": keys.mint(expires="2026-01-31"),
        "updates_ended": keys.mint(updates_until="2026-06-30"),
    }
    messages = set()
    for code, blob in cases.items():
        status, _, answer = client.call("POST", "/api/license", {"blob": blob})
        assert (status, answer["error"]["code"]) == (400, code.split("_nested")[0]), code
        messages.add(answer["error"]["message"])
    assert len(messages) == len(cases) - 1          # both malformed blobs say the same
    _, _, answer = client.call("POST", "/api/license", {"blob": keys.mint(expires="2026-01-31")})
    assert answer["error"]["params"]["expires"] == "2026-01-31"
    _, _, answer = client.call("POST", "/api/license", {"blob": keys.mint(updates_until="2026-06-30")})
    assert answer["error"]["params"] == {"expires": "", "updates_until": "2026-06-30",
                                         "release_date": "2026-11-23"}


def test_unknown_key_is_refused(client, tmp_path):
    from datatools import license as codec
    from datatools import license_keys

    license_keys.generate_key(tmp_path, "stranger-1")
    blob = codec.mint_blob({"lid": "X", "product": "datatools", "tier": "pro", "seats": 1, "name": "N",
                            "email": "n@example.com", "issued": "2026-11-01", "updates_until": None,
                            "expires": None}, license_keys.load_private_key(tmp_path / "stranger-1.pem"), "stranger-1")
    status, _, answer = client.call("POST", "/api/license", {"blob": blob})
    assert (status, answer["error"]["code"]) == (400, "unknown_key")


def test_an_edited_license_file_unlocks_nothing(client, keys, settings):
    client.call("POST", "/api/license", {"blob": keys.mint(tier="basic")})
    path = settings.home / "license.json"
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["blob"] = stored["blob"].replace(".", ".A", 1)
    path.write_text(json.dumps(stored), encoding="utf-8")
    _, _, state = client.call("GET", "/api/state")
    assert state["license"] is None
    assert state["entitlement"]["tier"] == "trial"
    assert state["license_problem"]["code"] == "malformed"


def test_removing_the_license_returns_to_the_trial(client, keys, settings):
    client.call("POST", "/api/license", {"blob": keys.mint()})
    status, _, _ = client.call("DELETE", "/api/license")
    assert status == 200
    assert not (settings.home / "license.json").exists()
    assert client.call("GET", "/api/state")[2]["entitlement"]["tier"] == "trial"


def test_language_follows_the_os_until_the_user_chooses(client, settings):
    assert client.call("GET", "/api/state")[2]["language"] == "en"
    status, _, _ = client.call("POST", "/api/preferences", {"language": "fr"})
    assert status == 200
    assert client.call("GET", "/api/state")[2]["language"] == "fr"
    assert json.loads((settings.home / "preferences.json").read_text()) == {"language": "fr"}
    status, _, body = client.call("POST", "/api/preferences", {"language": "xx"})
    assert (status, body["error"]["code"]) == (400, "bad_language")


def test_file_dialogs_are_only_offered_in_the_window(client):
    assert client.call("GET", "/api/state")[2]["dialogs"] is False
    status, _, body = client.call("POST", "/api/dialog/open", {"multiple": False})
    assert (status, body["error"]["code"]) == (404, "no_dialogs")


def test_unknown_routes_and_methods_answer_in_json(client):
    assert client.call("GET", "/api/nothing")[0] == 404
    status, _, body = client.call("PUT", "/api/state", {})
    assert (status, body["error"]["code"]) == (405, "method_not_allowed")


def test_route_table_in_the_docs_matches_the_app(desktop):
    import re
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "TECHNICAL.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| (GET|POST|DELETE) \| `([^`]+)` \| (yes|no) \|", text, re.MULTILINE))
    actual = {(r.method, r.pattern, "yes" if r.token else "no") for r in desktop.app.routes}
    assert documented == actual


def test_the_built_in_keyring_is_a_valid_public_keyring():
    from datatools import license as codec
    from datatools.app.settings import BUILTIN_KEYRING

    text = BUILTIN_KEYRING.read_text(encoding="utf-8")
    assert "PRIVATE" not in text
    ring = codec.Keyring.from_json(text)
    assert isinstance(ring.denied, frozenset)
