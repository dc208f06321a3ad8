"""Worlds for the desktop tests: signing keys, minted licenses, a running local server, Chromium."""

from __future__ import annotations

import contextlib
import json
import os
import shlex
import shutil
import sys
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path

import pytest

from datatools import license as codec
from datatools import license_keys
from datatools.app.server import start_server
from datatools.app.settings import BUILTIN_KEYRING, AppSettings
from datatools.version import PRODUCT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run", "--disable-quic"]
REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / "docs" / "img"
TODAY = date(2026, 11, 23)
# `make dist-desktop` points this at a built bundle, so the same tests smoke-test the artifact.
APP_VARIABLE = "DATATOOLS_APP"
# A relative $DATATOOLS_APP means relative to where pytest started; the tests run it from
# temporary folders, where a relative path would name nothing.
STARTED_IN = Path.cwd()


def app_command() -> list[str]:
    """How the tests start DataTools: $DATATOOLS_APP (a built bundle), else `python -m datatools`."""
    given = shlex.split(os.environ.get(APP_VARIABLE, "").strip())
    if not given:
        return [sys.executable, "-m", "datatools"]
    program = Path(given[0]).expanduser()
    return [str(program if program.is_absolute() else STARTED_IN / program), *given[1:]]


class Keys:
    """A test keyring with a trusted key and a withdrawn (denied) one, and a minting helper."""

    def __init__(self, folder: Path):
        self.folder = folder
        license_keys.generate_key(folder, "test-1")
        license_keys.generate_key(folder, "withdrawn-1")
        ring = license_keys.load_keyring(folder / "keyring.json")
        self.keyring = folder / "keyring.json"
        license_keys.write_keyring(self.keyring, codec.Keyring(keys=ring.keys,
                                                               denied=frozenset({"withdrawn-1"})))

    def mint(self, kid: str = "test-1", **overrides) -> str:
        fields = {"lid": "L-0001", "product": PRODUCT, "tier": "pro", "seats": 3,
                  "name": "Zoë Müller", "email": "zoe@example.com", "issued": "2026-11-01",
                  "updates_until": None, "expires": None, **overrides}
        return codec.mint_blob(fields, license_keys.load_private_key(self.folder / f"{kid}.pem"), kid)


@pytest.fixture(scope="session")
def keys(tmp_path_factory) -> Keys:
    return Keys(tmp_path_factory.mktemp("keys"))


@pytest.fixture
def settings(tmp_path, keys) -> AppSettings:
    return AppSettings(home=tmp_path / "home", keyrings=(BUILTIN_KEYRING, keys.keyring),
                       os_language="en", today=lambda: TODAY)


@pytest.fixture
def desktop(settings):
    """The real local server on a loopback port, stopped after the test."""
    running = start_server(settings)
    yield running
    running.stop()


FIXTURES = Path(__file__).with_name("fixtures")

# One end-to-end case per tool: the fixture files it reads and the options it is given.
TOOL_CASES = {
    "encoding": (["latin1.csv"], {"target": "utf-8"}),
    "clean": (["messy.csv"], {"trim": True, "empty_values": True}),
    "profile": (["customers.csv"], {}),
    "compare": (["customers.csv", "customers-new.csv"], {"key": "id"}),
    "dedupe": (["customers.csv"], {"columns": ["name", "email"], "threshold": 85}),
    "match": (["orders.csv", "customers.csv"], {"on": ["customer"], "right_on": ["name"], "threshold": 80}),
}


class Client:
    """HTTP over loopback against a running server, with or without the token."""

    def __init__(self, base_url: str, token: str):
        self.base_url = base_url
        self.token = token

    def call(self, method: str, path: str, body=None, *, token: bool = True, headers=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base_url + path, data=data, method=method)
        if body is not None:
            request.add_header("Content-Type", "application/json")
        if token:
            request.add_header("X-DataTools-Token", self.token)
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, dict(answer.headers), json.loads(answer.read() or b"null")
        except urllib.error.HTTPError as error:
            with error:
                return error.code, dict(error.headers), json.loads(error.read() or b"null")


    def run_tool(self, tool: str, inputs: list[Path], options: dict, timeout: float = 120) -> dict:
        """Start a job and poll it to its end; returns the last status."""
        status, _, job = self.call("POST", "/api/jobs", {
            "tool": tool, "inputs": [{"path": str(p)} for p in inputs], "options": options})
        assert status == 202, job
        return self.wait_for(job["id"], timeout)

    def wait_for(self, job_id: str, timeout: float = 120, kind: str = "jobs") -> dict:
        """Poll a job (`kind` "preview" for a preview) to its end, failing the test after
        `timeout` seconds; the last status."""
        deadline = time.monotonic() + timeout
        # Poll at least once: a quick job may end before the 202 (which carries no result).
        job = self.call("GET", f"/api/{kind}/{job_id}")[2]
        while job["state"] == "running":
            assert time.monotonic() < deadline, f"job {job_id} ({job['tool']}) did not finish"
            time.sleep(0.05)
            job = self.call("GET", f"/api/{kind}/{job_id}")[2]
        return job

    def preview(self, spec: dict, timeout: float = 120) -> tuple[int, dict]:
        """POST /api/preview and poll it: the status of the POST and the preview (or the error)."""
        status, _, job = self.call("POST", "/api/preview", spec)
        if status != 202:
            return status, job
        done = self.wait_for(job["id"], timeout, kind="preview")
        return status, done["result"] if done["state"] == "done" else done


@pytest.fixture
def client(desktop) -> Client:
    return Client(desktop.base_url, desktop.app.token)


@contextlib.contextmanager
def launched_chromium(needed_by: str):
    """Debian's Chromium driven by Playwright, closed on the way out; fails (never skips) when
    it is missing, naming who needs it (`needed_by`, e.g. "the UI tests")."""
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: {needed_by} need Debian's chromium "
                    "(make test installs it as root; see bin/debian-packages).", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium for the whole desktop session (launched_chromium)."""
    with launched_chromium("the UI tests") as browser:
        yield browser


@pytest.fixture
def page(chromium, desktop):
    """A fresh browser tab showing the app, ready (catalog loaded, state rendered)."""
    context = chromium.new_context(viewport={"width": 1280, "height": 800}, accept_downloads=True)
    context.set_default_timeout(15_000)   # every wait here is for local work of a few seconds
    tab = context.new_page()
    errors: list[str] = []
    tab.on("pageerror", lambda error: errors.append(str(error)))
    tab.goto(desktop.url)
    tab.wait_for_selector("body[data-ready]")
    yield tab
    context.close()
    assert errors == [], f"JavaScript errors on the page: {errors}"


@pytest.fixture
def screenshot(tmp_path_factory):
    """`screenshot(page, name)` renders the screen to NAME.png.

    `make screenshots` (DATATOOLS_SCREENSHOTS=1) writes them to docs/img/ for the user guide;
    a plain test run renders them to a temporary folder so it leaves the checkout untouched.
    """
    folder = SCREENSHOTS if os.environ.get("DATATOOLS_SCREENSHOTS") == "1" \
        else tmp_path_factory.mktemp("screenshots")

    def save(tab, name: str, at: str | None = None) -> None:
        """The whole page, or with `at` (a selector) the window scrolled to that element."""
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{name}.png"
        if at:
            tab.evaluate("(selector) => document.querySelector(selector).scrollIntoView()", at)
        tab.screenshot(path=str(target), full_page=at is None)
        assert target.stat().st_size > 0

    return save


@pytest.fixture(scope="session")
def buyer_files(tmp_path_factory):
    """Files of a buyer's size with known answers (tests/desktop/buyer_files.py), made once."""
    from buyer_files import make_buyer_files

    return make_buyer_files(tmp_path_factory.mktemp("buyer"))


def open_app(chromium, url: str, zoom: int = 100):
    """A new tab on `url` at 1280×800 (`zoom` 200: the same window at 200 %), ready; (context, tab)."""
    scale = zoom // 100
    context = chromium.new_context(viewport={"width": 1280 // scale, "height": 800 // scale},
                                   device_scale_factor=scale, accept_downloads=True)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.goto(url)
    tab.wait_for_selector("body[data-ready]")
    return context, tab


@pytest.fixture
def licensed(client, keys):
    """The client of a server activated with a Pro license (whole files, every tool)."""
    status, _, _ = client.call("POST", "/api/license", {"blob": keys.mint(tier="pro")})
    assert status == 200
    return client
