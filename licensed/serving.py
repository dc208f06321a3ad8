"""Waitress, sized and shaped on purpose: JSON errors, a request deadline, N processes on one port.

Waitress answers some requests itself, before the app sees them (431 headers too large, 413
body too large, 400 malformed, 500 when the app breaks): those get the daemon's one error shape
here. A client that trickles a request a byte at a time never trips waitress's idle timeout, so
each connection also has a deadline for the request it is sending (REQUEST_DEADLINE).
"""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import threading
import time
from typing import Any, TextIO

from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ErrorTask

from licensed.errors import LicensedError
from licensed.settings import (CONNECTION_LIMIT, DEFAULT_CONFIG, MAX_REQUEST_BODY, TRUSTED_PROXY,
                               Settings)

log = logging.getLogger("licensed")

# A whole request (headers and body) must arrive within this many seconds of its first byte.
# Gumroad and dtadmin send a request in milliseconds; a client still sending after 5 s is
# holding a connection, not using it.
REQUEST_DEADLINE = 5.0
# How often waitress looks for idle and overdue connections (its default is 30 s).
SWEEP_SECONDS = 1.0
MAX_HEADER_BYTES = 16 * 1024

_CODES = {400: "bad_request", 408: "request_timeout", 413: "payload_too_large",
          431: "headers_too_large", 500: "internal", 501: "not_implemented"}


def error_json(status: int, reason: str, message: str) -> bytes:
    """The daemon's one error shape, `{"error": {"code", "message"}}`, as UTF-8 bytes."""
    code = _CODES.get(status, "http_error")
    return json.dumps({"error": {"code": code, "message": message or reason}},
                      ensure_ascii=False).encode("utf-8")


class JsonErrorTask(ErrorTask):
    """Waitress's own error answers (431, 413, 400, 500) in the daemon's JSON shape."""

    def execute(self) -> None:
        error = self.request.error
        # Waitress's texts are safe to show ("Header section too large", …); tracebacks are
        # never exposed (expose_tracebacks stays off), so the 500 text is waitress's fixed one.
        message = str(error.body).strip().splitlines()[0] if str(error.body).strip() else ""
        body = error_json(error.code, error.reason, message)
        self.status = f"{error.code} {error.reason}"
        self.response_headers.append(("Content-Type", "application/json; charset=utf-8"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class DeadlineChannel(HTTPChannel):
    """An HTTP connection whose request in progress must be complete within REQUEST_DEADLINE,
    counted from its first byte; a new connection must send that first byte within
    REQUEST_DEADLINE of being accepted. Connections that send nothing used to sit out
    waitress's 30 s idle timeout, and the connection limit's worth of them kept /health out."""

    error_task_class = JsonErrorTask
    request_started: float | None = None
    silent: bool = True  # nothing received yet on this connection

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accepted_at = time.monotonic()

    def received(self, data: bytes) -> bool:
        if data:
            self.silent = False
        if self.request is None and data:
            self.request_started = time.monotonic()
        accepted = super().received(data)
        if self.request is None:  # the request completed (or nothing is pending)
            self.request_started = None
        return accepted

    def overdue(self, now: float) -> bool:
        if self.silent:
            return now - self.accepted_at > REQUEST_DEADLINE
        started = self.request_started
        return started is not None and self.request is not None and now - started > REQUEST_DEADLINE


class DaemonServer(TcpWSGIServer):
    """Waitress's TCP server with DeadlineChannel connections and an optional shared port."""

    channel_class = DeadlineChannel

    def maintenance(self, now: float) -> None:
        super().maintenance(now)
        moment = time.monotonic()
        for channel in list(self.active_channels.values()):
            if isinstance(channel, DeadlineChannel) and channel.overdue(moment):
                # Nothing was answered yet, so closing is the whole answer: the client was
                # still sending, and a response it is not reading would only wait in a buffer.
                channel.will_close = True


class EveryFewSeconds(logging.Filter):
    """Lets one record through per `seconds`, adding how many it held back since the last.

    Waitress warns "Task queue depth is N" (logger `waitress.queue`) for every request that
    finds no idle thread: under a burst that is one line per request, a tenth of a
    webhook's CPU at 16 connections (bench/server/profile.py), and a flood in the journal
    saying one thing. One line every few seconds still says it."""

    def __init__(self, seconds: float = 10.0, clock=time.monotonic):
        super().__init__()
        self.seconds, self.clock = seconds, clock
        self._next = float("-inf")
        self._held = 0
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        now = self.clock()
        with self._lock:
            if now < self._next:
                self._held += 1
                return False
            held, self._held, self._next = self._held, 0, now + self.seconds
        if held:
            record.msg = f"{record.msg} ({held} more like it in the last {self.seconds:g} s)"
        return True


QUEUE_WARNINGS = EveryFewSeconds()


def listening_socket(host: str, port: int, *, reuse_port: bool) -> socket.socket:
    """A bound TCP socket (not yet listening); with `reuse_port` several processes share the port
    and the kernel spreads new connections over them (SO_REUSEPORT)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if reuse_port:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    sock.bind((host, port))
    return sock


def make_server(app: Any, settings: Settings, *, sock: socket.socket | None = None) -> DaemonServer:
    """A waitress server for `app`, sized deliberately (not waitress's 100 connections / 1 GiB).

    `sock`, when given, is a bound socket to serve on (one of several SO_REUSEPORT processes).
    """
    from waitress.adjustments import Adjustments

    queue_log = logging.getLogger("waitress.queue")
    if QUEUE_WARNINGS not in queue_log.filters:
        queue_log.addFilter(QUEUE_WARNINGS)
    options: dict[str, Any] = dict(
        threads=settings.threads, connection_limit=CONNECTION_LIMIT,
        max_request_body_size=MAX_REQUEST_BODY, max_request_header_size=MAX_HEADER_BYTES,
        channel_timeout=30, cleanup_interval=SWEEP_SECONDS, ident="licensed",
        # poll() has no 1,024-descriptor ceiling, unlike select().
        asyncore_use_poll=True,
        # nginx on the same host passes the client's address; only a peer at 127.0.0.1 is
        # believed, and waitress drops the headers from anyone else (DECISIONS 66).
        trusted_proxy=TRUSTED_PROXY, trusted_proxy_count=1,
        trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto"},
        clear_untrusted_proxy_headers=True,
    )
    if sock is None:
        options.update(host=settings.host, port=settings.port)
        return DaemonServer(app, adj=Adjustments(**options))
    sock.listen(1024)
    sock.setblocking(False)
    return DaemonServer(app, _sock=sock, adj=Adjustments(**options), bind_socket=False,
                        sockinfo=(sock.family, sock.type, sock.proto, sock.getsockname()))


def settings_source(settings: Settings) -> str:
    """Where the settings came from, for the start-up line. A missing default file is said
    outright: a daemon that quietly runs on the default port and database because its
    licensed.toml sits elsewhere is hard to spot otherwise."""
    if settings.config_file is None:
        return (f"no settings file at {DEFAULT_CONFIG}: built-in defaults and LICENSED_* "
                "variables only; name one with --config or $LICENSED_CONFIG")
    return f"settings from {settings.config_file}"


def serve(settings: Settings, *, apply_migrations: bool, err: TextIO) -> int:
    """Run the daemon until SIGTERM or Ctrl-C: one process, or `[server] processes` of them
    sharing the port (SO_REUSEPORT; each with its own threads, pool, mail worker and portal queue)."""
    if settings.processes == 1:
        return _serve_one(settings, apply_migrations=apply_migrations, err=err, sock=None)
    if apply_migrations:
        _migrate_once(settings)
    # Bound first here, so port 0 means one port for all; the children bind it again.
    probe = listening_socket(settings.host, settings.port, reuse_port=True)
    port = probe.getsockname()[1]
    children: list[int] = []
    for _ in range(settings.processes):
        pid = os.fork()
        if pid == 0:
            probe.close()
            code = 1
            try:
                sock = listening_socket(settings.host, port, reuse_port=True)
                code = _serve_one(settings, apply_migrations=False, err=err, sock=sock, quiet=True)
            except LicensedError as exc:
                print(f"licensed: {exc.message}", file=err, flush=True)
            finally:
                os._exit(code)
        children.append(pid)
    probe.close()
    print(f"licensed: listening on http://{settings.host}:{port} ({settings.processes} "
          f"processes; {settings_source(settings)})", file=err, flush=True)
    return _supervise(children)


def _serve_one(settings: Settings, *, apply_migrations: bool, err: TextIO,
               sock: socket.socket | None, quiet: bool = False) -> int:
    from licensed.app import create_app, daemon_of
    from licensed.runlock import hold_for_serving
    from licensed.secrets import read_secret

    # Held until this process exits: bin/restore-backup refuses to run beside it.
    serving = hold_for_serving(settings.database_url,
                               read_secret(settings.secrets_dir / "db-password", required=False))
    try:
        app = create_app(settings, apply_migrations=apply_migrations)
    except BaseException:
        serving.close()
        raise
    server = make_server(app, settings, sock=sock)

    def stop(signum: int, frame: Any) -> None:  # systemd stops us with SIGTERM: leave like Ctrl-C
        # Once: systemd signals every process of the unit and the supervisor passes it on
        # too; a second SIGTERM must not interrupt the shutdown itself.
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    daemon = daemon_of(app)
    signal.signal(signal.SIGHUP, lambda signum, frame: _reload_keys(daemon))
    daemon.start()
    if not quiet:
        print(f"licensed: listening on http://{settings.host}:{server.effective_port} "
              f"({settings_source(settings)})", file=err, flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        daemon.close()
        serving.close()
    return 0


def _reload_keys(daemon: Any) -> None:
    """SIGHUP (`systemctl reload`): the signer reads its keys again (the daemon holds none), in
    a thread of its own, so the handler never waits for a lock a request thread holds."""
    def reload() -> None:
        try:
            previous, kid = daemon.keys.reload()
        except LicensedError as exc:
            log.error("signing keys not reloaded: %s", exc.message)
            return
        if kid != previous:
            log.warning("signing key reloaded: new licenses are signed with %s (was %s)",
                        kid, previous)
        else:
            log.info("signing key reloaded: still %s", kid)

    threading.Thread(target=reload, name="keys-reload", daemon=True).start()


def _migrate_once(settings: Settings) -> None:
    from licensed.app import utc_now
    from licensed.db import open_database
    from licensed.migrate import migrate
    from licensed.secrets import read_secret

    password = read_secret(settings.secrets_dir / "db-password", required=False)
    db = open_database(settings.database_url, password=password, pool_size=1)
    try:
        migrate(db, utc_now())
    finally:
        db.close()


def _supervise(children: list[int]) -> int:
    """Wait for the children; SIGTERM/SIGINT is passed on to all. When one dies by itself the
    others are stopped too and the exit code is 1, so systemd restarts the whole daemon."""
    stopping = False

    def pass_on(signum: int, frame: Any) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            try:
                os.kill(pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def reload_all(signum: int, frame: Any) -> None:
        for pid in children:
            try:
                os.kill(pid, signal.SIGHUP)
            except ProcessLookupError:
                pass

    signal.signal(signal.SIGTERM, pass_on)
    signal.signal(signal.SIGINT, pass_on)
    signal.signal(signal.SIGHUP, reload_all)
    code = 0
    alive = set(children)
    while alive:
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        alive.discard(pid)
        if not stopping:
            code = 1
            pass_on(signal.SIGTERM, None)
        elif os.waitstatus_to_exitcode(status) not in (0, -signal.SIGTERM):
            code = 1
    return code
