"""`licensed signer` (run the signer) and `licensed signer verify-log` (check its chain)."""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path
from typing import Any, TextIO

SIGNER_DESCRIPTION = """\
Run the signer: the only process that reads the private keys (<secrets dir>/signing). It
listens on [signer] socket (or the socket systemd passes), serves only [signer] client_user or
client_group, signs license fields within [policy], at most [signer] per_minute and per_day
signatures, and appends each to the log [signer] log.

With an action: verify-log checks that log's hash chain."""


def add_signer_commands(commands: Any, common: argparse.ArgumentParser) -> None:
    """`licensed signer …` on the `licensed` parser's subcommands."""
    signer = commands.add_parser(
        "signer", parents=[common], help="run the signer, or check its log",
        description=SIGNER_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="examples:\n  licensed signer --config /etc/datatools-license/signer.toml\n"
               "  licensed signer verify-log --config /etc/datatools-license/signer.toml")
    signer.set_defaults(run=run_signer)
    actions = signer.add_subparsers(dest="signer_action", metavar="ACTION")
    verify = actions.add_parser(
        "verify-log", parents=[common], help="check the signature log's hash chain",
        description="Check every entry of the signer's log: its hash, the previous entry's "
                    "hash it names, the sequence, and the head file. Exit 1 and one line per "
                    "problem when an entry was edited, removed or inserted.")
    verify.add_argument("--log", type=Path, default=None, metavar="FILE",
                        help="the log to check (default: [signer] log of the settings)")
    verify.add_argument("--json", action="store_true", help="the report as JSON on stdout")
    verify.set_defaults(run=run_verify_log)


def _settings(args: argparse.Namespace):
    from licensed.settings import load_settings

    return load_settings(args.config, os.environ)


def run_signer(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from licensed.logs import configure_logging
    from licensed.signer.chain import ChainError
    from licensed.errors import ConfigError
    from licensed.signer.server import serve_signer

    configure_logging(err)
    settings = _settings(args)
    try:
        return serve_signer(settings, os.environ, err)
    except ChainError as exc:
        raise ConfigError(str(exc)) from None
    except OSError as exc:  # the log's or the socket's folder: missing rights, full disk
        raise ConfigError(f"cannot start: {exc.filename or settings.signer_log}: "
                          f"{exc.strerror}") from None


def run_verify_log(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from licensed.errors import LicensedError
    from licensed.signer.chain import verify_log

    path = args.log or _settings(args).signer_log
    try:
        report = verify_log(path)
    except OSError as exc:
        raise LicensedError(f"cannot read the log {path}: {exc.strerror}") from None
    if args.json:
        json.dump({"log": str(path), "entries": report.entries, "problems": report.problems,
                   "last_hash": report.last_hash}, out, indent=2)
        out.write("\n")
    for problem in report.problems:
        print(f"licensed signer verify-log: {path}: {problem}", file=err)
    if not report.problems and not args.json:
        print(f"{path}: {report.entries} entries, chain intact (last hash {report.last_hash})",
              file=out)
    return 1 if report.problems else 0
