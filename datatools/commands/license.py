"""`datatools license keygen|verify|keys` (and activate|status|remove, license_activation.py):
make signing keys, check license blobs, show trusted keys."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path
from typing import TextIO

from datatools import license as codec
from datatools import license_keys
from datatools.commands.license_activation import BLOB_HELP, add_actions, read_paste
from datatools.errors import CommandError
from datatools.version import PRODUCT, RELEASE_DATE


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "license",
        help="activate your license, see its status; make signing keys, verify license blobs",
        description="Activate DataTools with your license, see or remove it; check a DTLIC2 "
                    "license offline; make Ed25519 signing keys (for the license server's "
                    "operator).",
        epilog="Example: datatools license activate license.txt",
    )
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    add_actions(actions)    # the buyer's: activate, status, remove

    keygen = actions.add_parser(
        "keygen",
        help="create a signing key and add it to a keyring",
        description="Create DIR/KID.pem (mode 0600) and add its public key to DIR/keyring.json.",
        epilog="Example: datatools license keygen --kid dev-2026 --out var/keys",
    )
    keygen.add_argument("--kid", required=True, help="key id written into every license it signs")
    keygen.add_argument("--out", required=True, type=Path, metavar="DIR", help="key folder")
    keygen.set_defaults(run=run_keygen)

    verify = actions.add_parser(
        "verify",
        help="check a license blob and print its contents",
        description="Verify a DTLIC2 blob offline and say whose license it is and what it "
                    "covers; --json prints its signed payload as JSON.",
        epilog="Example: datatools license verify license.txt\n"
               "         datatools license verify --json < license.txt\n"
               "         datatools license verify license.txt --keyring var/keys/keyring.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    verify.add_argument("blob", nargs="?", default="-", metavar="LICENSE", help=BLOB_HELP)
    verify.add_argument("--keyring", type=Path,
                        help="check against this keyring JSON file alone (the operator's); "
                             "default: the keys this release trusts, and its revocation list, "
                             "as activation does")
    verify.add_argument("--product", default=PRODUCT, help=f"expected product (default {PRODUCT})")
    verify.add_argument("--today", type=date.fromisoformat, default=None,
                        help="check expiry as of this date (default: today)")
    verify.add_argument("--release-date", type=date.fromisoformat, default=RELEASE_DATE,
                        help=f"check the updates window for this release date "
                             f"(default: this release, {RELEASE_DATE.isoformat()})")
    verify.add_argument("--json", action="store_true",
                        help="print the license's signed payload as JSON (for scripts)")
    verify.set_defaults(run=run_verify)

    keys = actions.add_parser(
        "keys",
        help="print the keys this release trusts",
        description="Print the keyring built into this release: the public keys license blobs "
                    "are checked against (by key id), and the keys it refuses. --json prints it "
                    "in the keyring format of the license server's `licensed keys export-keyring`.",
        epilog="Example: datatools license keys --json > trusted-keyring.json",
    )
    keys.add_argument("--json", action="store_true",
                      help="print the keyring file itself (JSON: public keys by id, then `denied`)")
    keys.set_defaults(run=run_keys)


def run_keygen(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        key_path = license_keys.generate_key(args.out, args.kid)
    except FileExistsError:
        raise CommandError(f"{args.out / (args.kid + '.pem')} exists; a signing key is never replaced")
    except (ValueError, OSError) as exc:
        raise CommandError(str(exc))
    print(f"wrote {key_path} (private, mode 0600) and {args.out / 'keyring.json'}", file=err)
    return 0


def run_verify(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    text = read_paste(args.blob, prompt_to=err)
    try:
        record = _verified(text, args)
    except codec.LicenseError as exc:
        raise CommandError(f"{exc.message} [{exc.code}]")
    if args.json:
        json.dump(record.to_payload(), out, ensure_ascii=False, indent=2, sort_keys=True)
        out.write("\n")
    else:
        out.write(license_text(record))
    return 0


def _verified(text: str, args: argparse.Namespace) -> codec.License:
    """`--keyring FILE`: the codec's checks against FILE alone (the operator checking a blob).
    Without it: activation's own check (the built-in keyring plus `--dev-keyring`, and the
    release's revocation list), as of `--today` for `--product` and `--release-date`."""
    when = args.today or date.today()
    if args.keyring is None:
        from dataclasses import replace

        from datatools.app.activation import verify_license
        from datatools.app.launch import launch_settings

        settings = replace(launch_settings(tuple(args.dev_keyring)), product=args.product,
                           release_date=args.release_date, today=lambda: when)
        return verify_license(text, settings)
    try:
        keyring = license_keys.load_keyring(args.keyring)
    except (OSError, ValueError) as exc:
        raise CommandError(f"cannot read keyring {args.keyring}: {exc}")
    return codec.verify_blob(text, keyring, product=args.product, today=when,
                             release_date=args.release_date)


def license_text(record: codec.License) -> str:
    """A verified license in words, one field a line: whose it is, what it covers, until when
    and which key signed it. Name and e-mail come from the blob: their control characters are
    escaped (datatools/terminal.py)."""
    from datatools.terminal import shown

    seats = f"{record.seats} seat{'s' if record.seats != 1 else ''}"
    updates = f"until {record.updates_until.isoformat()}" if record.updates_until else "every future release"
    rows = [("licensed to", f"{shown(record.name)} <{shown(record.email)}>"),
            ("tier", f"{shown(record.tier)}, {seats}"), ("issued", record.issued.isoformat()),
            ("updates", updates),
            ("expires", record.expires.isoformat() if record.expires else "never"),
            ("signing key", shown(record.kid))]
    return (f"Valid {shown(record.product)} license {shown(record.lid)}\n"
            + "".join(f"  {label:<12} {value}\n" for label, value in rows))


def run_keys(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.app.settings import BUILTIN_KEYRING

    try:
        keyring = license_keys.load_keyring(BUILTIN_KEYRING)
    except (OSError, ValueError) as exc:
        raise CommandError(f"this installation's keyring {BUILTIN_KEYRING} is damaged: {exc}")
    out.write(keyring.to_json() if args.json else keyring_text(keyring))
    return 0


def keyring_text(keyring: codec.Keyring) -> str:
    """The keyring in words: the trusted keys (id and public key, base64url), then the denied
    key ids. An empty keyring is a development build's: a release always trusts a key
    (packaging/release.py refuses to build without one)."""
    trusted = sorted(set(keyring.keys) - keyring.denied)
    if trusted:
        lines = [f"This copy trusts {len(trusted)} license key{'s' if len(trusted) != 1 else ''} "
                 "(id, public key):"]
        lines += [f"  {kid}  {codec.public_key_b64(keyring.keys[kid])}" for kid in trusted]
    else:
        lines = ["This copy trusts no license key: its keyring is empty, as in a development build."]
    if keyring.denied:
        lines.append("It refuses licenses signed with the denied key"
                     f"{'s' if len(keyring.denied) != 1 else ''} {', '.join(sorted(keyring.denied))}.")
    else:
        lines.append("No key is denied.")
    return "\n".join(lines) + "\n"
