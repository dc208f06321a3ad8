"""The daemon test harness: world files, a hand-moved clock, HTTP helpers, a live daemon on
waitress, and Gumroad-shaped Pings. Fixtures using it live in conftest.py."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from licensed.app import create_app, daemon_of, make_server
from licensed.devworld import write_dev_world
from licensed.settings import Settings, load_settings
from licensed.signer.server import start_signer_process

ADMIN_TOKEN = "admin-token-for-tests"
GUMROAD_SECRET = "gumroad-secret-for-tests"
LEMONSQUEEZY_SECRET = "lemon-signing-secret-1"
STRIPE_SECRET = "whsec_stripe-endpoint-secret-for-tests"
POSTMARK_WEBHOOK = "postmark-hooks:bounce-password-for-tests"
# The team tier has lifetime updates here (the development catalog gives it 12 months). The
# other keys: a Lemon Squeezy variant id, Stripe price ids, and renewal products (Gumroad
# permalink, Lemon Squeezy variant, Stripe price).
PRODUCTS = {
    "datatools-pro": {"tier": "pro", "seats": 1, "updates_months": 12},
    "datatools-team": {"tier": "team", "seats": 5},
    "401001": {"tier": "pro", "seats": 1, "updates_months": 12},
    "price_1ProEUR": {"tier": "pro", "seats": 1, "updates_months": 12},
    "price_1Team": {"tier": "team", "seats": 5},
    "datatools-renewal": {"renewal": True, "updates_months": 12},
    "401009": {"renewal": True, "updates_months": 12},
    "price_1Renewal": {"renewal": True, "updates_months": 12},
}


class Clock:
    """A clock the test moves by hand, so stored times are exact."""

    def __init__(self, start: datetime):
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def write_world_files(root: Path, database_url: str,
                      products: dict[str, Any] | None = None) -> Settings:
    """A development world under `root` (licensed/devworld.py, as bin/dev-run writes it) with
    the tests' fixed tokens and catalog (or `products`); returns its loaded settings."""
    world = write_dev_world(root, database_url, kid="test-1", admin_token=ADMIN_TOKEN,
                            gumroad_secret=GUMROAD_SECRET, products=products or PRODUCTS,
                            writer="tests/daemon/harness.py", webhook_secrets={
                                "lemonsqueezy-secret": LEMONSQUEEZY_SECRET,
                                "stripe-secret": STRIPE_SECRET,
                                "postmark-webhook": POSTMARK_WEBHOOK})
    return load_settings(world.config, {})


@dataclass
class Response:
    status: int
    headers: Any
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def http(method: str, url: str, body: bytes | None = None,
         headers: dict[str, str] | None = None, timeout: float = 30) -> Response:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:
            return Response(answer.status, answer.headers, answer.read())
    except urllib.error.HTTPError as exc:
        with exc:
            return Response(exc.code, exc.headers, exc.read())


class SignerProcess:
    """`licensed signer` for a world, as its own process, socket-activated the way systemd
    starts it: the socket is bound before the process runs, so the daemon may connect at
    once. Its log lines go to `<world>/signer.stderr`."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.process: Any = None

    @property
    def stderr_path(self) -> Path:
        assert self.settings.config_file is not None
        return self.settings.config_file.parent / "signer.stderr"

    def start(self) -> "SignerProcess":
        return self.start_with_env({})

    def start_with_env(self, extra: dict[str, str]) -> "SignerProcess":
        """Start it with `extra` environment variables (LICENSED_* settings)."""
        assert self.settings.config_file is not None
        with open(self.stderr_path, "ab") as stderr:
            self.process = start_signer_process(self.settings.config_file,
                                                self.settings.signer_socket,
                                                stdout=subprocess.DEVNULL, stderr=stderr,
                                                env={**os.environ, **extra})
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.settings.signer_socket.unlink(missing_ok=True)

    def kill(self) -> None:
        """kill -9, as a crash would: no clean-up of any kind."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


_STARTED: list[SignerProcess] = []


def ensure_signer(config: Path) -> None:
    """A signer for the world of `config`, unless one answers on its socket already: for the
    tests that run `licensed serve` as a process (the signer is its own process, as systemd
    runs it). Each one started is stopped when the test session ends."""
    import atexit
    import socket as socket_module

    settings = load_settings(config, {})
    with socket_module.socket(socket_module.AF_UNIX) as probe:
        try:
            probe.connect(str(settings.signer_socket))
            return
        except OSError:
            pass
    if not _STARTED:
        atexit.register(lambda: [process.stop() for process in _STARTED])
    _STARTED.append(SignerProcess(settings).start())


@dataclass
class LiveDaemon:
    """The daemon on waitress, 127.0.0.1, a free port, and its signer; stopped by `stop()`."""

    settings: Settings
    clock: Clock
    app: Any = None
    server: Any = None
    thread: threading.Thread | None = None
    url: str = ""
    signer: SignerProcess | None = None
    signer_env: dict[str, str] | None = None  # LICENSED_* variables for the signer alone

    def start(self) -> "LiveDaemon":
        self.signer = SignerProcess(self.settings).start_with_env(self.signer_env or {})
        try:
            self.app = create_app(self.settings, clock=self.clock, apply_migrations=True)
            self.server = make_server(self.app, self.settings)
        except BaseException:
            self.signer.stop()
            raise
        self.url = f"http://127.0.0.1:{self.server.effective_port}"
        self.stopping = False
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()
        return self

    def _serve(self) -> None:
        try:
            self.server.run()
        except (OSError, ValueError):
            # Closing the sockets under a running select() loop is how waitress stops from
            # another thread; what the loop says about it then is noise.
            if not self.stopping:
                raise

    def stop(self) -> None:
        from waitress import wasyncore

        self.stopping = True
        # Closing from inside the loop's own thread (through its trigger) ends it at once.
        server_map = self.server._map
        try:
            self.server.trigger.pull_trigger(lambda: wasyncore.close_all(server_map))
        except OSError:
            # The loop already closed its trigger (seen once in ~2,000 stops under load, EBADF):
            # close the map from here instead; the loop thread then leaves select() with an error.
            wasyncore.close_all(server_map)
        self.server.task_dispatcher.shutdown()
        assert self.thread is not None
        self.thread.join(10)
        daemon_of(self.app).close()
        if self.signer is not None:
            self.signer.stop()

    @property
    def daemon(self):
        return daemon_of(self.app)

    def ping(self, fields: dict[str, str], secret: str = GUMROAD_SECRET,
             content_type: str = "application/x-www-form-urlencoded") -> Response:
        query = urllib.parse.urlencode({"secret": secret})
        body = (json.dumps(fields) if content_type == "application/json"
                else urllib.parse.urlencode(fields)).encode("utf-8")
        return http("POST", f"{self.url}/webhooks/gumroad?{query}", body,
                    {"Content-Type": content_type})

    def post(self, path: str, body: bytes, headers: dict[str, str]) -> Response:
        return http("POST", self.url + path, body, headers)

    def admin(self, method: str, path: str, payload: Any = None,
              token: str = ADMIN_TOKEN) -> Response:
        headers = {"Authorization": f"Bearer {token}"}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode("utf-8")
            headers["Content-Type"] = "application/json"
        return http(method, self.url + path, body, headers)

    def license_for(self, order_id: str) -> dict[str, Any]:
        found = self.admin("GET", "/internal/licenses?" + urllib.parse.urlencode({"order": order_id}))
        assert found.status == 200, found.body
        (only,) = found.json()["licenses"]
        return only


def gumroad_sale(sale_id: str = "FAKE-SALE-0001==", **overrides: str) -> dict[str, str]:
    """A Ping as Gumroad sends it for a sale (shared/reference §3), form fields as strings."""
    fields = {
        "seller_id": "seller-abc", "product_id": "prod-XYZ==", "product_name": "DataTools Pro",
        "permalink": "datatools-pro",
        "product_permalink": "https://example.gumroad.com/l/datatools-pro",
        "short_product_id": "dtpro", "sale_id": sale_id, "order_number": "524242",
        "sale_timestamp": "2026-11-20T09:30:00Z", "email": "zoe@example.com",
        "full_name": "Zoë Ångström-Müller", "price": "4900", "gumroad_fee": "490",
        "currency": "eur", "quantity": "1", "discover_fee_charged": "false",
        "can_contact": "true", "is_gift_receiver_purchase": "false", "refunded": "false",
        "disputed": "false", "dispute_won": "false", "referrer": "direct",
        "card[visual]": "**** 4242", "card[type]": "visa", "variants[Tier]": "Pro",
        "resource_name": "sale",
    }
    fields.update(overrides)
    return fields


def quick(transport: Any, attempts: int = 2) -> Any:
    """The daemon's own Postmark transport, with test-sized timeouts and pauses."""
    transport.timeout, transport.attempts, transport.backoff_base = 0.5, attempts, 0.001
    return transport
