"""The `licensed` command: serve the daemon, migrate and back up its database, manage signing keys."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path
from typing import Sequence, TextIO

from licensed.errors import LicensedError

EXAMPLES = """examples:
  licensed migrate --config /etc/datatools-license/licensed.toml
  licensed serve --config var/licensed.toml --migrate
  licensed deliver --once --config var/licensed.toml
  licensed keys new --kid 2026-11
  licensed keys reload
  licensed keys deny 2026-05
  licensed keys export-keyring > release-keyring.json
  licensed signer --config /etc/datatools-license/signer.toml
  licensed signer verify-log --config /etc/datatools-license/signer.toml
  licensed backup --dir /var/backups/datatools-license --keep 14
  licensed prune-rejected --older-than 30 --config var/licensed.toml"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="licensed", description="The DataTools license daemon.", epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", metavar="FILE", default=None,
                        help="settings file (default: $LICENSED_CONFIG, else "
                             "/etc/datatools-license/licensed.toml)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    serve = commands.add_parser("serve", parents=[common], help="run the daemon (waitress)",
                                description="Serve the daemon until SIGTERM or Ctrl-C.")
    serve.add_argument("--migrate", action="store_true",
                       help="apply pending database migrations before serving")
    serve.set_defaults(run=run_serve)

    deliver = commands.add_parser(
        "deliver", parents=[common], help="send queued license emails",
        description="Send due rows of the email outbox (the daemon also does this itself, in "
                    "a thread). Safe to run beside the daemon: rows are claimed, never shared.",
    )
    deliver.add_argument("--once", action="store_true",
                         help="one pass over the due rows, then exit (for cron and tests)")
    deliver.set_defaults(run=run_deliver)

    migrate = commands.add_parser("migrate", parents=[common], help="apply database migrations",
                                  description="Apply pending migrations from sql/migrations/.")
    migrate.set_defaults(run=run_migrate)

    prune = commands.add_parser(
        "prune-rejected", parents=[common], help="delete old wrong-secret rows from the audit log",
        description="Delete audit rows of deliveries that failed authentication (outcome "
                    "rejected_secret) received more than DAYS days ago. No other row of the "
                    "audit log can be deleted.",
    )
    prune.add_argument("--older-than", metavar="DAYS", type=int, default=30,
                       help="keep the last DAYS days (default 30; 0 removes all of them)")
    prune.set_defaults(run=run_prune_rejected)

    backup = commands.add_parser(
        "backup", parents=[common], help="back up the database (the nightly backup unit)",
        description="Dump the database (PostgreSQL: pg_dump -Fc; SQLite: the online backup "
                    "API) into DIR with a .sha256 checksum file and a .json manifest of row "
                    "counts, then delete all but the newest --keep backups. Restore with "
                    "bin/restore-backup.",
    )
    backup.add_argument("--dir", required=True, type=Path, metavar="DIR",
                        help="backup directory (must exist)")
    backup.add_argument("--keep", type=int, default=14, metavar="N",
                        help="how many backups to keep (default 14)")
    backup.set_defaults(run=run_backup)

    keys = commands.add_parser("keys", help="signing keys in the secrets directory")
    key_actions = keys.add_subparsers(dest="action", metavar="ACTION", required=True)
    new = key_actions.add_parser(
        "new", parents=[common], help="make a signing key and sign new licenses with it",
        description="Create signing/KID.pem (mode 0600), add it to signing/keyring.json and "
                    "name it in signing/current; `licensed keys reload` makes the running "
                    "daemon sign with it. Runs as the owner of signing/ (the service user).",
    )
    new.add_argument("--kid", required=True, help="key id, e.g. 2026-11")
    new.set_defaults(run=run_keys_new)
    listing = key_actions.add_parser("list", parents=[common], help="list signing key ids")
    listing.set_defaults(run=run_keys_list)
    use = key_actions.add_parser(
        "use", parents=[common], help="sign new licenses with another existing key",
        description="Name KID in signing/current; `licensed keys reload` makes the running "
                    "daemon sign with it. Licenses signed before keep verifying while their "
                    "key stays in the keyring.",
    )
    use.add_argument("kid")
    use.set_defaults(run=run_keys_use)
    deny = key_actions.add_parser(
        "deny", parents=[common], help="put a compromised key on the deny list",
        description="Add KID to the deny list of signing/keyring.json: the daemon never signs "
                    "with it again, and the next desktop release refuses its licenses "
                    "(denied_key). Refused for the key signing/current names or the running "
                    "daemon signs with. Reissue the affected licenses with dtadmin reissue.",
    )
    deny.add_argument("kid")
    deny.set_defaults(run=run_keys_deny)
    reload = key_actions.add_parser(
        "reload", parents=[common], help="make the running daemon read its signing keys again",
        description="Ask the daemon on this server (POST /internal/keys/reload, with "
                    "secrets/admin-token) to read signing/current and keyring.json again, "
                    "without a restart; `systemctl reload datatools-license` does the same.",
    )
    reload.set_defaults(run=run_keys_reload)
    export = key_actions.add_parser(
        "export-keyring", parents=[common], help="print the public keyring for the desktop",
        description="Print the public keyring JSON (deny list included) that the desktop "
                    "release embeds as datatools/keyring.json.",
    )
    export.set_defaults(run=run_keys_export)
    from licensed.signer.cli import add_signer_commands

    add_signer_commands(commands, common)
    return parser


def _settings(args: argparse.Namespace):
    from licensed.settings import load_settings

    return load_settings(args.config, os.environ)


def run_serve(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from licensed.logs import configure_logging
    from licensed.serving import serve

    configure_logging(err)
    return serve(_settings(args), apply_migrations=args.migrate, err=err)


def run_deliver(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from licensed.app import open_daemon
    from licensed.logs import configure_logging

    configure_logging(err)
    daemon = open_daemon(_settings(args))
    worker = daemon.worker
    assert worker is not None
    try:
        if args.once:
            report = worker.run_once()
            print(f"sent {report.sent}, spooled {report.spooled}, retrying {report.retrying}, "
                  f"failed {report.failed}, cancelled {report.cancelled}", file=out)
            return 0
        signal.signal(signal.SIGTERM, lambda signum, frame: worker.stop(timeout=0))
        worker.start()
        worker.wait()
    except KeyboardInterrupt:
        pass
    finally:
        daemon.close()
    return 0


def run_migrate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from licensed.app import utc_now
    from licensed.db import open_database
    from licensed.migrate import migrate
    from licensed.secrets import read_secret

    settings = _settings(args)
    password = read_secret(settings.secrets_dir / "db-password", required=False)
    db = open_database(settings.database_url, password=password, pool_size=1)
    try:
        applied = migrate(db, utc_now())
    finally:
        db.close()
    for migration in applied:
        print(f"applied {migration.version:03d}_{migration.name}", file=out)
    if not applied:
        print("nothing to do: the schema is up to date", file=err)
    return 0


def run_prune_rejected(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datetime import timedelta

    from licensed.app import utc_now
    from licensed.db import open_database
    from licensed.secrets import read_secret

    if args.older_than < 0:
        raise LicensedError("--older-than must be 0 or more days")
    settings = _settings(args)
    password = read_secret(settings.secrets_dir / "db-password", required=False)
    before = utc_now() - timedelta(days=args.older_than)
    db = open_database(settings.database_url, password=password, pool_size=1)
    try:
        with db.transaction() as tx:
            removed = tx.exec("prune_rejected_events", before=before)
    finally:
        db.close()
    print(f"removed {removed} rejected attempt(s) received before {before:%Y-%m-%d %H:%M} UTC",
          file=out)
    return 0


def run_backup(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from licensed.app import daemon_version, utc_now
    from licensed.backup import backup_database, prune_backups
    from licensed.secrets import read_secret

    if args.keep < 1:
        print("licensed backup: --keep must be at least 1", file=err)
        return 2
    settings = _settings(args)
    if not args.dir.is_dir():
        raise LicensedError(f"backup directory {args.dir} does not exist")
    password = read_secret(settings.secrets_dir / "db-password", required=False)
    made = backup_database(settings.database_url, password, args.dir, utc_now(),
                           version=daemon_version())
    removed = prune_backups(args.dir, args.keep)
    counts = " ".join(f"{table}={n}" for table, n in made.row_counts.items())
    print(made.path, file=out)
    print(f"backup {made.path.name} sha256={made.sha256} {counts} pruned={len(removed)}",
          file=err)
    return 0


def _owner_only(args: argparse.Namespace, settings) -> Path:
    """The signing folder, once this process is known to run as its owner."""
    from licensed.keyadmin import require_owner

    signing = settings.signing_dir
    require_owner(signing, args.argv, settings)
    return signing


def _reload_hint(settings) -> str:
    config = f" --config {settings.config_file}" if settings.config_file is not None else ""
    return f"licensed keys reload{config}"


def run_keys_new(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools import license_keys
    from licensed.files import write_private_text

    settings = _settings(args)
    signing = _owner_only(args, settings)
    try:
        key_path = license_keys.generate_key(signing, args.kid)
    except FileExistsError:
        raise LicensedError(f"{signing / (args.kid + '.pem')} exists; a key is never replaced")
    except (ValueError, OSError) as exc:
        raise LicensedError(str(exc)) from None
    write_private_text(signing / "current", args.kid + "\n")
    print(key_path, file=out)
    print(f"new licenses will be signed with {args.kid} once the daemon reloads its keys "
          f"({_reload_hint(settings)}); ship {signing / 'keyring.json'} in the next desktop "
          f"release", file=err)
    return 0


def _signing_keys(args: argparse.Namespace):
    from licensed.keys import SigningKeys

    return SigningKeys(_settings(args).signing_dir)


def run_keys_list(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    keys = _signing_keys(args)
    current, denied = keys.current(), keys.keyring().denied
    for kid in keys.kids():
        marks = [mark for mark, on in (("current", kid == current), ("denied", kid in denied))
                 if on]
        print(kid + "".join(f"  ({mark})" for mark in marks), file=out)
    return 0


def run_keys_use(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from licensed.keys import SigningKeys

    settings = _settings(args)
    SigningKeys(_owner_only(args, settings)).use(args.kid)
    print(f"new licenses will be signed with {args.kid} once the daemon reloads its keys "
          f"({_reload_hint(settings)})", file=err)
    return 0


def _admin_token(settings) -> str:
    from licensed.secrets import read_secret

    token = read_secret(settings.secrets_dir / "admin-token", required=True)
    assert token is not None
    return token


def _admin_token_if_here(settings) -> str | None:
    """The admin token, or None where the settings' secrets folder has none: the signer's
    settings (signer.toml), whose user owns the keys but may not read the daemon's secrets."""
    if not (settings.secrets_dir / "admin-token").exists():
        return None
    return _admin_token(settings)


def _signer_kid(settings) -> str | None:
    """The kid the signer at `[signer] socket` signs with; None when it is not running."""
    from licensed.signer.client import SignerClient, SignerUnavailable

    client = SignerClient(settings.signer_socket)
    try:
        return client.current_kid()
    except SignerUnavailable:
        return None        # not running: it reads signing/current when it starts
    finally:
        client.close()


def _reload_signer(settings, err: TextIO) -> int:
    """`keys reload` with the signer's settings: the signer reads signing/current again."""
    from licensed.signer.client import SignerClient, SignerKeys, SignerUnavailable

    client = SignerClient(settings.signer_socket)
    try:
        previous, kid = SignerKeys(client).reload()
    except SignerUnavailable as exc:
        raise LicensedError(f"{exc.message}; a stopped signer reads its keys when it starts "
                            "(systemctl start datatools-license-signer.socket)") from None
    finally:
        client.close()
    change = f"now signs with {kid} (was {previous})" if kid != previous else f"still signs with {kid}"
    print(f"the signer {change}", file=err)
    return 0


def run_keys_deny(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from licensed.keyadmin import DaemonUnreachable, ask_daemon, daemon_url
    from licensed.keys import SigningKeys

    settings = _settings(args)
    keys = SigningKeys(_owner_only(args, settings))
    if args.kid == keys.current():
        keys.deny(args.kid)  # refuses, naming the commands that come first
    token = _admin_token_if_here(settings)
    if token is None:      # the signer's own settings (signer.toml): ask the signer itself
        running, who = _signer_kid(settings), f"the signer at {settings.signer_socket}"
    else:
        try:
            running = ask_daemon(settings, "GET", "/internal/keys", token)["kid"]
        except DaemonUnreachable:
            running = None  # not running here: it reads signing/current when it starts
        who = f"the daemon at {daemon_url(settings)}"
    if running == args.kid:
        raise LicensedError(f"{who} still signs with {args.kid}; first run: {_reload_hint(settings)}")
    keys.deny(args.kid)
    print(f"{args.kid} is denied in {keys.keyring_path}; ship `licensed keys export-keyring` "
          f"in the next desktop release and reissue its licenses (dtadmin reissue ID)", file=err)
    return 0


def run_keys_reload(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from licensed.keyadmin import DaemonUnreachable, ask_daemon

    settings = _settings(args)
    if _admin_token_if_here(settings) is None:     # the signer's own settings: tell the signer
        return _reload_signer(settings, err)
    try:
        answer = ask_daemon(settings, "POST", "/internal/keys/reload", _admin_token(settings))
    except DaemonUnreachable as exc:
        raise LicensedError(f"{exc.message}; a stopped daemon reads its keys when it starts "
                            f"(systemctl start datatools-license)") from None
    kid, previous = answer["kid"], answer["previous_kid"]
    change = f"now signs with {kid} (was {previous})" if kid != previous else \
        f"still signs with {kid}"
    print(f"the daemon {change}; denied: {', '.join(answer['denied']) or 'none'}", file=err)
    return 0


def run_keys_export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    out.write(_signing_keys(args).export_keyring())
    return 0


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = build_parser()
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    args.argv = argv  # the command as typed, for the `runuser` line a refusal shows
    try:
        return args.run(args, out, err)
    except LicensedError as exc:
        print(f"licensed: {exc.message}", file=err)
        return 1
    except BrokenPipeError:
        sys.stdout = None  # type: ignore[assignment]
        return 0


if __name__ == "__main__":
    sys.exit(main())
