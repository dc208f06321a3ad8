"""The nginx site file, run by real nginx with TLS in front of the real daemon: what a buyer,
Gumroad and an attacker see from outside, and what lands in the logs."""

from __future__ import annotations

import sys
import urllib.parse

import pytest

from tests.daemon.harness import ADMIN_TOKEN, GUMROAD_SECRET, gumroad_sale, http, write_world_files
from tests.deploy.conftest import tool
from tests.deploy.harness import ROOT, SERVER_NAME, DaemonProcess, Nginx, make_certificate

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """A daemon on SQLite behind nginx (the site file, a self-signed certificate)."""
    nginx_binary, openssl = tool("nginx"), tool("openssl")
    root = tmp_path_factory.mktemp("site")
    settings = write_world_files(root, f"sqlite:///{root}/licenses.db")
    daemon = DaemonProcess([sys.executable, "-m", "licensed"], settings.config_file, root / "daemon.log",
                           env={"PYTHONPATH": str(ROOT)})
    migrate(settings.config_file)
    daemon.start()
    make_certificate(root / "nginx" / "tls", openssl)
    proxy = Nginx(nginx_binary, root / "nginx", daemon.port).start()
    yield daemon, proxy
    proxy.stop()
    daemon.stop()


def migrate(config) -> None:
    from licensed.cli import main

    assert main(["migrate", "--config", str(config)]) == 0


def ping_path(secret: str = GUMROAD_SECRET) -> str:
    return "/webhooks/gumroad?" + urllib.parse.urlencode({"secret": secret})


def admin_get(daemon: DaemonProcess, path: str):
    return http("GET", daemon.url + path, headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})


def test_a_ping_through_nginx_mints_a_license(site):
    daemon, proxy = site
    body = urllib.parse.urlencode(gumroad_sale("NGINX-1")).encode()
    answer = proxy.https("POST", ping_path(), body, FORM)
    assert (answer.status, answer.json()) == (200, {"outcome": "minted"})
    found = admin_get(daemon, "/internal/licenses?order=NGINX-1").json()["licenses"]
    assert [row["email"] for row in found] == ["zoe@example.com"]
    assert found[0]["blob"].startswith("DTLIC2:")


def test_a_body_over_64_kib_gets_413_from_nginx(site):
    daemon, proxy = site
    answer = proxy.https("POST", ping_path(), b"x" * (65 * 1024), FORM)
    assert answer.status == 413
    # Exactly at the limit it reaches the daemon (which answers 400: not a Ping it can use).
    assert proxy.https("POST", ping_path(), b"x" * (64 * 1024), FORM).status == 400


@pytest.mark.parametrize("path", ["/internal/licenses", "/internal", "//internal/licenses",
                                  "/%69nternal/licenses", "/webhooks/../internal/licenses"])
def test_internal_is_404_through_nginx_even_with_a_valid_token(site, path):
    daemon, proxy = site
    auth = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    assert admin_get(daemon, "/internal/licenses").status == 200  # the token is valid
    answer = proxy.https("GET", path, headers=auth)
    assert answer.status == 404
    assert b"licenses" not in answer.body


def test_only_the_public_routes_are_proxied(site):
    daemon, proxy = site
    health = proxy.https("GET", "/health")
    assert (health.status, health.json()["status"]) == (200, "ok")
    assert proxy.https("GET", "/").status == 404
    assert proxy.https("GET", "/favicon.ico").status == 404


def test_plain_http_moves_to_https(site):
    daemon, proxy = site
    answer = proxy.plain("GET", "/health?x=1")
    assert answer.status == 301
    assert answer.headers["Location"] == f"https://{SERVER_NAME}/health?x=1"
    # A forged Host header does not move the redirect elsewhere.
    forged = proxy.plain("GET", "/health", host="evil.example.net")
    assert forged.headers["Location"] == f"https://{SERVER_NAME}/health"


def test_answers_carry_the_security_headers(site):
    daemon, proxy = site
    for answer in (proxy.https("GET", "/health"), proxy.https("GET", "/internal/licenses")):
        assert answer.headers["Strict-Transport-Security"].startswith("max-age=")
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
        assert "nginx/" not in answer.headers.get("Server", "")


def test_the_portal_through_nginx_is_styled_in_chromium_with_one_csp(site, browser):
    daemon, proxy = site
    # One policy per answer: the daemon's on the portal, nginx's strict one where the daemon
    # sends none (a browser enforces every policy it gets: two would block the portal's style).
    portal = proxy.https("GET", "/portal", source="127.0.0.5")
    (policy,) = portal.headers.get_all("Content-Security-Policy")
    # Each security header once: the daemon's nosniff and no-referrer once came beside nginx's.
    for name in ("Strict-Transport-Security", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy"):
        assert len(portal.headers.get_all(name)) == 1, name
    assert "style-src 'sha256-" in policy and "unsafe-inline" not in policy
    assert proxy.https("GET", "/health").headers.get_all("Content-Security-Policy") == [
        "default-src 'none'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'"]
    context = browser.new_context(ignore_https_errors=True)   # the test's self-signed certificate
    try:
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda message: console.append(message.text))
        page.goto(f"https://127.0.0.1:{proxy.https_port}/portal?lang=en")
        # The portal's own <style> applies: the page column and the bold labels a buyer sees.
        look = page.evaluate("""() => [getComputedStyle(document.body).maxWidth,
                                      getComputedStyle(document.querySelector('label')).fontWeight]""")
        assert look == ["576px", "600"], look   # 36em of 16 px; font-weight 600
        assert [text for text in console if "Content Security Policy" in text] == []
    finally:
        context.close()


def test_the_portal_is_rate_limited_per_address(site):
    daemon, proxy = site
    statuses = [proxy.https("GET", "/portal", source="127.0.0.3").status for _ in range(10)]
    # The first six (rate 10/min, burst 5) reach the daemon's portal page; the rest stop at nginx.
    assert statuses[0] == 200 and 429 in statuses
    assert set(statuses) == {200, 429}
    # Another address has its own allowance.
    assert proxy.https("GET", "/portal", source="127.0.0.4").status == 200


def test_nginx_logs_hold_no_secret_and_the_daemon_logs_the_real_client(site):
    daemon, proxy = site
    body = urllib.parse.urlencode(gumroad_sale("NGINX-LOG")).encode()
    spoofed = {**FORM, "X-Forwarded-For": "203.0.113.66", "X-Real-IP": "203.0.113.66"}
    assert proxy.https("POST", ping_path(), body, spoofed).status == 200
    assert proxy.https("POST", ping_path("wrong-secret-in-url"), body, FORM).status == 404
    assert proxy.https("POST", ping_path(), b"x" * (65 * 1024), FORM).status == 413

    logs = proxy.logs()
    assert "POST /webhooks/gumroad HTTP/1.1\" 200" in logs
    assert "POST /webhooks/gumroad HTTP/1.1\" 413" in logs
    for secret in (GUMROAD_SECRET, "wrong-secret-in-url", "secret=", ADMIN_TOKEN):
        assert secret not in logs
    # The daemon saw nginx's peer address (127.0.0.1) but logs and audits the buyer's.
    assert "POST /webhooks/gumroad status=200" in daemon.log()
    access = [line for line in daemon.log().splitlines() if "POST /webhooks/gumroad" in line]
    assert access and all("client=127.0.0.2" in line for line in access)
    assert "203.0.113.66" not in daemon.log()
    assert GUMROAD_SECRET not in daemon.log() and "secret=" not in daemon.log()
    events = admin_get(daemon, "/internal/events?order=NGINX-LOG").json()["events"]
    assert [event["remote_addr"] for event in events] == ["127.0.0.2"]


def test_the_daemon_ignores_forwarded_addresses_from_anyone_but_nginx(site):
    daemon, proxy = site
    # A process on another loopback address posing as a proxy is not believed.
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", daemon.port, source_address=("127.0.0.5", 0))
    conn.request("GET", "/health", headers={"X-Forwarded-For": "198.51.100.7"})
    assert conn.getresponse().status == 200
    conn.close()
    assert "198.51.100.7" not in daemon.log()
    assert "GET /health status=200" in daemon.log() and "client=127.0.0.5" in daemon.log()


def smoke(*args: str):
    import subprocess

    return subprocess.run([sys.executable, str(ROOT / "bin" / "smoke"), *args],
                          capture_output=True, text=True, timeout=60)


def test_smoke_passes_through_nginx_and_fails_where_internal_is_exposed(site, tmp_path):
    daemon, proxy = site
    secrets = daemon.config.parent / "secrets"
    cafile = str(proxy.prefix / "tls" / "fullchain.pem")
    passed = smoke(f"https://127.0.0.1:{proxy.https_port}", "--secrets", str(secrets),
                   "--cafile", cafile)
    assert (passed.returncode, passed.stdout.splitlines()) == (0, [
        "PASS health", "PASS test ping with the real secret", "PASS wrong secret refused",
        "PASS /internal/ hidden"])
    # Straight at the daemon (no nginx in front), /internal answers 401: the smoke test fails.
    exposed = smoke(daemon.url, "--secrets", str(secrets))
    assert exposed.returncode == 1
    assert "FAIL /internal/ hidden: status 401 (expected 404 from nginx)" in exposed.stdout
    assert GUMROAD_SECRET not in passed.stdout + passed.stderr + exposed.stdout
    # The smoke Ping is audited as an unknown product: nothing minted, nothing mailed.
    smoked = [line for line in daemon.log().splitlines() if "outcome=unknown_product" in line]
    assert smoked and all("level=WARNING" in line and "order=smoke-" in line for line in smoked)
    assert smoke(daemon.url, "--secrets", str(tmp_path)).returncode == 2
