"""`dtmint`, the break-glass minter: sign a license with a local key, no server, and log it.

Every license it mints is appended to an issued.jsonl (one JSON record a line, mode 0600 from
the first write) that `dtadmin import` later loads into the daemon, so the server's records stay
complete. It signs with the same codec as the daemon and reads the key with the same checks.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import stat
import sys
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence, TextIO

from datatools import license as codec
from datatools import license_keys
from datatools.version import PRODUCT
from licensed.events import add_months

DEFAULT_LOG = "~/.datatools-creator/issued.jsonl"

EXAMPLES = """example:
  dtmint --key ~/.datatools-creator/2026-11.pem --name "Zoë Ångström" \\
         --email zoe@example.com --tier pro > zoe.txt
  dtadmin import ~/.datatools-creator/issued.jsonl      # once the server is back

Exit codes: 0 ok, 1 error, 2 usage."""


class MintError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dtmint", epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Mint a DataTools license offline with a copy of a signing key, and record "
                    "it in issued.jsonl for `dtadmin import`.",
    )
    parser.add_argument("--key", required=True, type=Path, metavar="PEM",
                        help="the signing key (mode 0600/0400); its file name is the kid")
    parser.add_argument("--kid", help="key id, when the file is not named KID.pem")
    parser.add_argument("--keyring", type=Path, metavar="FILE", default=None,
                        help="the server's signing/keyring.json, copied with the key (default: "
                             "keyring.json beside the key); a key it denies or lacks is refused")
    parser.add_argument("--name", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--tier", required=True, help="a tier of the server's products.toml")
    parser.add_argument("--seats", type=int, default=1, help="default 1")
    updates = parser.add_mutually_exclusive_group()
    updates.add_argument("--updates-months", type=int, default=12,
                         help="updates until issued + this many months (default 12)")
    updates.add_argument("--lifetime-updates", action="store_true")
    parser.add_argument("--lid", help="license id to use (default: a new random one); refused "
                                      "when issued.jsonl already has it")
    parser.add_argument("--note", help="why it was minted (kept with the record)")
    parser.add_argument("--issued-log", type=Path, metavar="FILE", default=None,
                        help=f"where the record is appended (default: $DTMINT_LOG, else "
                             f"{DEFAULT_LOG})")
    return parser


def issued_lids(handle) -> set[str]:
    """Every lid already in the log (unreadable lines are the import's business, not ours)."""
    handle.seek(0)
    lids = set()
    for line in handle:
        with contextlib.suppress(ValueError, AttributeError, TypeError):
            lids.add(json.loads(line)["lid"])
    return lids


def open_log(path: Path):
    """The log opened for reading and appending: created 0600 (its folder 0700), and refused
    when an existing one is readable by group or others."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
    mode = os.fstat(fd).st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        os.close(fd)
        raise MintError(f"{path} is readable by group or others (mode {stat.S_IMODE(mode):04o}); "
                        f"run: chmod 600 {path}")
    return os.fdopen(fd, "a+", encoding="utf-8")


def check_standing(kid: str, key, keyring_path: Path, warn: Callable[[str], None]) -> None:
    """Refuse a key that the server's keyring (the copy at `keyring_path`) denies, lacks or
    holds another public key for, or that this release's built-in keyring denies; warn when
    there is no keyring copy to check against (ADMIN.md, "Break-glass")."""
    builtin = Path(codec.__file__).resolve().parent / "keyring.json"
    if builtin.is_file() and kid in license_keys.load_keyring(builtin).denied:
        raise MintError(f"key {kid} is denied by this DataTools release (its licenses are "
                        f"refused as denied_key); mint with the key the server signs with now")
    if not keyring_path.is_file():
        warn(f"no keyring at {keyring_path}, so the deny list was not checked; copy the "
             f"server's signing/keyring.json there with the key (--keyring FILE names another)")
        return
    try:
        ring = license_keys.load_keyring(keyring_path)
    except (OSError, ValueError) as exc:
        raise MintError(f"{keyring_path} is not a keyring: {exc}") from None
    refresh = ("copy the key the server signs with now (its signing/current) and its "
               "signing/keyring.json again")
    if kid in ring.denied:
        raise MintError(f"key {kid} is denied in {keyring_path} (the desktop refuses its "
                        f"licenses as denied_key); {refresh}")
    if kid not in ring.keys:
        raise MintError(f"key {kid} is not in {keyring_path}, so the server would refuse its "
                        f"licenses; {refresh}")
    if codec.public_key_b64(ring.keys[kid]) != codec.public_key_b64(key.public_key()):
        raise MintError(f"{keyring_path} holds another public key for {kid}; {refresh}")


def mint_record(args: argparse.Namespace, now: datetime,
                warn: Callable[[str], None] = lambda text: None) -> dict[str, Any]:
    """Sign the license the arguments describe; the record to append, blob included."""
    kid = args.kid or args.key.stem
    try:
        key = license_keys.load_signing_key(args.key)
    except (ValueError, OSError) as exc:
        raise MintError(str(exc)) from None
    check_standing(kid, key, args.keyring or args.key.parent / "keyring.json", warn)
    issued = now.date()
    updates_until = None if args.lifetime_updates else add_months(issued, args.updates_months)
    fields = {
        "lid": args.lid or codec.new_license_id(), "product": PRODUCT, "tier": args.tier,
        "seats": args.seats, "name": args.name, "email": args.email,
        "issued": issued.isoformat(),
        "updates_until": updates_until.isoformat() if updates_until else None, "expires": None,
    }
    try:
        blob = codec.mint_blob(fields, key, kid)
    except codec.LicenseError as exc:
        raise MintError(exc.message) from None
    return {**fields, "kid": kid, "blob": blob, "note": args.note,
            "minted_at": now.isoformat(timespec="seconds")}


def check_arguments(args: argparse.Namespace) -> None:
    if args.seats < 1:
        raise MintError("--seats must be at least 1")
    if args.updates_months < 0:
        raise MintError("--updates-months must not be negative")
    local, at, domain = args.email.rpartition("@")
    if not (at and local and "." in domain) or any(c.isspace() for c in args.email):
        raise MintError(f"--email is not an address: {args.email!r}")
    for name in ("name", "tier"):
        if not getattr(args, name).strip():
            raise MintError(f"--{name} must not be empty")


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None, *, environ: Mapping[str, str] | None = None,
         clock: Callable[[], datetime] | None = None) -> int:
    """Mint one license offline: the blob on stdout, the record appended to the log."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    env = os.environ if environ is None else environ
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    log_path = Path(os.path.expanduser(str(args.issued_log or env.get("DTMINT_LOG")
                                           or DEFAULT_LOG)))
    now = (clock or (lambda: datetime.now(timezone.utc)))()
    try:
        check_arguments(args)
        with open_log(log_path) as log:
            _lock(log)
            if args.lid and args.lid in issued_lids(log):
                raise MintError(f"{log_path} already has license {args.lid}; a license id is "
                                f"never reused (leave out --lid for a new one)")
            record = mint_record(args, now, lambda text: print(f"dtmint: warning: {text}",
                                                               file=err))
            # One write of one line: an interrupted run leaves the log as it was or complete.
            log.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            log.flush()
            os.fsync(log.fileno())
    except MintError as exc:
        print(f"dtmint: {exc.message}", file=err)
        return 1
    except OSError as exc:
        print(f"dtmint: cannot write {log_path}: {exc.strerror}", file=err)
        return 1
    out.write(record["blob"] + "\n")
    print(f"minted {record['lid']} for {record['email']} with key {record['kid']}; recorded in "
          f"{log_path}. Once the server is back: dtadmin import {log_path}", file=err)
    return 0


def _lock(log) -> None:
    """Hold the log's lock until it is closed, so two runs cannot hand out one lid twice."""
    try:
        import fcntl
    except ImportError:  # Windows: no flock; the lid is random, so a clash stays unlikely
        return
    fcntl.flock(log.fileno(), fcntl.LOCK_EX)


if __name__ == "__main__":
    sys.exit(main())
