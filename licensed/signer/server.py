"""The signer process: a Unix socket (systemd's, or bound here), one thread per connection.

Each connection's peer is checked once with SO_PEERCRED: only the configured client user or
group ([signer] client_user, client_group) is served; anyone else gets one `forbidden` answer
and is disconnected (and logged). The keys live in `<secrets dir>/signing` and are held by
licensed.signing.LiveKeys, the key store `licensed keys` manages: a denied kid signs nothing,
and SIGHUP (or a `reload` request, which `licensed keys reload` sends through the daemon) reads
them again without a restart.
"""

from __future__ import annotations

import grp
import logging
import os
import pwd
import signal
import socket
import socketserver
import struct
import threading
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping

from datatools.revocations import sign_revocation_list
from licensed.errors import ConfigError, SigningKeyDenied
from licensed.keys import SigningKeys
from licensed.products import load_catalog
from licensed.settings import Settings
from licensed.signing import LiveKeys
from licensed.signer.chain import ChainError, SignatureLog
from licensed.signer.limits import RateLimits
from licensed.signer.policy import Policy, PolicyError, check_license_fields, check_revoked_lids
from licensed.signer.protocol import MAX_LINE, ProtocolError, decode, encode, failure

log = logging.getLogger("licensed.signer")

SD_LISTEN_FDS_START = 3  # systemd passes sockets from fd 3 on (sd_listen_fds(3))


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Peer:
    pid: int
    uid: int
    gid: int


def peer_of(sock: socket.socket) -> Peer:
    """The connecting process's pid, uid and gid, from the kernel (SO_PEERCRED)."""
    raw = sock.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return Peer(*struct.unpack("3i", raw))


def _resolve(name: str, lookup: Callable[[str], Any], kind: str) -> int:
    if name.isdigit():
        return int(name)
    try:
        return lookup(name)[2]
    except KeyError:
        raise ConfigError(f"[signer] client_{kind} {name!r} does not exist on this machine") from None


def load_keys(signing_dir: Path) -> LiveKeys:
    """The key named in signing/current, with the deny list watched; ConfigError when it
    cannot sign (missing, denied, readable by others)."""
    store = SigningKeys(signing_dir)
    keyring = store.keyring()
    kid, key = store.load_current(keyring)
    return LiveKeys(signing_dir, kid, key, keyring)


class SignerService:
    """What the signer does with a request, apart from the socket: check, sign, log."""

    def __init__(self, settings: Settings, clock: Callable[[], datetime] = utc_now):
        self.settings = settings
        self.clock = clock
        self.keys = load_keys(settings.signing_dir)
        catalog = load_catalog(settings.products_file)
        # Every tier a sale can mint: each product's, and each of its variants'.
        tiers = {offer.tier for product in catalog.products.values() if not product.renewal
                 for offer in product.variants.values()} | set(catalog.tiers())
        self.policy = Policy(tiers=frozenset(tiers),
                             max_seats=settings.policy_max_seats,
                             max_updates_months=settings.policy_max_updates_months,
                             earliest_issued=date.fromisoformat(settings.policy_earliest_issued))
        self.limits = RateLimits(settings.signer_per_minute, settings.signer_per_day)
        self.client_uid = _resolve(settings.signer_client_user, pwd.getpwnam, "user")
        self.client_gid = _resolve(settings.signer_client_group, grp.getgrnam, "group")
        self.log = SignatureLog(settings.signer_log)
        self._limited_said: str | None = None

    def allows(self, peer: Peer) -> bool:
        """The daemon's user or group, and the signer's own user (who owns the keys anyway:
        `licensed keys reload`/`deny` with signer.toml ask it which key it signs with)."""
        return peer.uid in (self.client_uid, os.geteuid()) or peer.gid == self.client_gid

    def handle(self, request: Mapping[str, Any]) -> dict[str, Any]:
        try:
            return self._handle(request)
        except ChainError as exc:  # a signature whose entry may not be on disk is never given
            log.error("refused: %s", exc)
            return failure("log_unwritable", str(exc))

    def _handle(self, request: Mapping[str, Any]) -> dict[str, Any]:
        op = request.get("op")
        if op == "sign":
            return self.sign(request.get("fields"))
        if op == "revocations":
            return self.sign_revocations(request.get("lids"))
        if op == "status":
            return self.status()
        if op == "reload":
            return self.reload()
        return failure("unknown_op", "op must be sign, revocations, status or reload")

    def sign(self, fields: Any) -> dict[str, Any]:
        now = self.clock()
        try:
            checked = check_license_fields(fields, self.policy, now.date())
        except PolicyError as exc:
            log.warning("refused: outside policy: %s", exc.message)
            return failure("outside_policy", exc.message)
        why = self.limits.take(now)
        if why is not None:
            if why != self._limited_said:  # one line per limit hit, not one per request
                log.warning("rate limit hit: %s", why)
                self._limited_said = why
            return failure("rate_limited", why)
        signer = self.keys.signer()
        try:
            blob = signer.sign(checked)
        except SigningKeyDenied as exc:
            log.error("refused: %s", exc.message)
            return failure("signing_key_denied", exc.message)
        entry = self.log.append(kind="license", lid=checked["lid"], kid=signer.kid, blob=blob,
                                now=now)
        log.info("signed lid=%s kid=%s seq=%d", checked["lid"], signer.kid, entry.seq)
        return {"ok": True, "blob": blob, "kid": signer.kid, "seq": entry.seq}

    def sign_revocations(self, lids: Any) -> dict[str, Any]:
        now = self.clock()
        try:
            checked = check_revoked_lids(lids)
        except PolicyError as exc:
            return failure("outside_policy", exc.message)
        signer = self.keys.signer()
        if signer.denied is not None and signer.kid in signer.denied():
            return failure("signing_key_denied", f"signing key {signer.kid} is denied")
        text = sign_revocation_list(checked, now.date(), signer.key, signer.kid)
        entry = self.log.append(kind="revocations", lid=None, kid=signer.kid, blob=text, now=now)
        log.info("signed revocation list lids=%d kid=%s seq=%d", len(checked), signer.kid,
                 entry.seq)
        return {"ok": True, "list": text, "kid": signer.kid, "seq": entry.seq}

    def status(self) -> dict[str, Any]:
        state = self.limits.state(self.clock())
        try:
            keyring = self.keys.keyring()
        except ConfigError as exc:
            return failure("keys_unreadable", exc.message)
        return {"ok": True, "kid": self.keys.kid, "limits": state.as_json(),
                "keyring": keyring.to_json(), "seq": self.log.seq,
                "syncs": self.log.syncs}

    def reload(self) -> dict[str, Any]:
        """Read signing/current and the keyring again; the key in use stays when the named one
        cannot sign."""
        try:
            previous, kid = self.keys.reload()
        except (ConfigError, SigningKeyDenied) as exc:
            log.error("signing keys not reloaded (still %s): %s", self.keys.kid, exc.message)
            return failure("keys_not_reloaded", exc.message)
        return {"ok": True, "previous_kid": previous, "kid": kid}


class _Connection(socketserver.StreamRequestHandler):
    server: "SignerServer"

    def handle(self) -> None:
        service = self.server.service
        peer = peer_of(self.request)
        if not service.allows(peer):
            log.warning("refused a connection from pid=%d uid=%d gid=%d: not the daemon's user "
                        "or group", peer.pid, peer.uid, peer.gid)
            self.wfile.write(encode(failure("forbidden", "this user may not ask for signatures")))
            return
        while True:
            line = self.rfile.readline(MAX_LINE + 1)
            if not line:
                return
            try:
                request = decode(line)
            except ProtocolError as exc:
                self.wfile.write(encode(failure("bad_request", str(exc))))
                return
            self.wfile.write(encode(service.handle(request)))


class SignerServer(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True

    def __init__(self, sock: socket.socket, service: SignerService):
        super().__init__(str(sock.getsockname() or ""), _Connection, bind_and_activate=False)
        self.socket.close()
        self.socket = sock
        self.service = service


def listening_socket(path: Path, environ: Mapping[str, str], group: int | None) -> socket.socket:
    """systemd's socket when the signer was socket-activated (LISTEN_FDS/LISTEN_PID, fd 3),
    else `path` bound here, mode 0660 (and the client group, where this user may set it)."""
    fds = environ.get("LISTEN_FDS", "0")
    if environ.get("LISTEN_PID") == str(os.getpid()) and fds.isdigit() and int(fds) >= 1:
        sock = socket.socket(fileno=SD_LISTEN_FDS_START)
        if sock.family != socket.AF_UNIX:
            raise ConfigError("the socket systemd passed is not a Unix socket")
        return sock
    return bind_socket(path, group)


def bind_socket(path: Path, group: int | None = None) -> socket.socket:
    """A listening Unix socket at `path`, mode 0660 from the start (and group `group` where
    this user may set it); a stale socket file is replaced, any other file is refused."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_socket():
        path.unlink()  # a stale socket of an earlier run; anything else is left alone
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o117)
    try:
        sock.bind(str(path))
    except OSError as exc:
        sock.close()
        raise ConfigError(f"cannot listen on {path}: {exc.strerror}") from None
    finally:
        os.umask(old)
    if group is not None:
        try:
            os.chown(path, -1, group)
        except PermissionError:
            pass
    sock.listen(64)
    return sock


def serve_signer(settings: Settings, environ: Mapping[str, str], err: Any) -> int:
    """Run the signer until SIGTERM or Ctrl-C. Raises ConfigError when it must not start."""
    service = SignerService(settings)
    sock = listening_socket(settings.signer_socket, environ, service.client_gid)
    server = SignerServer(sock, service)

    def stop(signum: int, frame: Any) -> None:
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    # SIGHUP (systemctl reload datatools-license-signer): the keys again, in a thread of its
    # own, so the handler never waits for a lock a connection's thread holds.
    signal.signal(signal.SIGHUP, lambda signum, frame: threading.Thread(
        target=service.reload, name="keys-reload", daemon=True).start())
    print(f"licensed signer: signing with {service.keys.kid} on {settings.signer_socket}; "
          f"log {settings.signer_log} (seq {service.log.seq})", file=err, flush=True)
    try:
        server.serve_forever(poll_interval=0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        service.log.close()
    return 0


def start_signer_process(config: Path, socket_path: Path, **popen: Any):
    """`licensed signer --config CONFIG`, socket-activated on `socket_path` (bound here first,
    so the caller may connect at once). For bin/dev-run and the tests; returns the Popen."""
    import sys

    sock = bind_socket(socket_path)
    try:
        return spawn_activated([sys.executable, "-m", "licensed", "signer", "--config",
                                str(config)], sock, **popen)
    finally:
        sock.close()


def spawn_activated(argv: list[str], sock: socket.socket, **popen: Any):
    """Start `argv` the way systemd socket activation does: the bound, listening `sock` as
    fd 3, LISTEN_FDS=1 and LISTEN_PID set to the new process's pid. Connections made before it
    is ready wait in the socket's backlog. For bin/dev-run and the tests; returns the Popen."""
    import subprocess

    fd = sock.fileno()
    move = "" if fd == SD_LISTEN_FDS_START else f"exec 3<&{fd} {fd}<&-; "
    script = move + 'LISTEN_FDS=1 LISTEN_PID=$$ exec "$@"'
    # bash, not sh: dash redirects only single-digit descriptors.
    return subprocess.Popen(["/bin/bash", "-c", script, "signer", *argv], pass_fds=(fd,), **popen)
