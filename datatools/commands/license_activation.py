"""`datatools license activate|status|remove`: the window's license screen on the command line.

The same code as the window's (datatools/app/activation.py): the same checks against the same
keyring and revocation list, the same `license.json`, the same error codes and messages.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from datatools import license as codec
from datatools.errors import BadInput

# A license email is a few kilobytes; a megabyte is not one (and /dev/zero never ends).
MAX_PASTE = 1024 * 1024
BLOB_HELP = ("the license: its text (DTLIC2:…), a file holding it, or - to read it from standard "
             "input (default)")


def add_actions(actions: argparse._SubParsersAction) -> None:
    """Add `activate`, `status` and `remove` (alias `deactivate`) to `datatools license`."""
    activate = actions.add_parser(
        "activate",
        help="activate DataTools on this computer with your license",
        description=_wrapped("Check the license from your purchase email on this computer "
                             "(nothing is sent anywhere) and keep it, as the window's Enter "
                             "license does. Line breaks, quote marks and > signs from your "
                             "email program do no harm."),
        epilog="Example: datatools license activate license.txt\n"
               "         datatools license activate < license.txt\n"
               "         datatools license activate 'DTLIC2:eyJ…'",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    activate.add_argument("blob", nargs="?", default="-", metavar="LICENSE", help=BLOB_HELP)
    activate.add_argument("--json", action="store_true",
                          help="print the license now in use as JSON, as `status --json` does")
    activate.set_defaults(run=run_activate)

    status = actions.add_parser(
        "status",
        help="say whose license this computer uses, its edition and until when updates run",
        description=_wrapped("Say who the activated license is for, its edition, seats, "
                             "updates and expiry dates, and where it is kept; without one, "
                             "that DataTools runs as a trial, and why a stored license no "
                             "longer counts."),
        epilog="Example: datatools license status\n"
               "         datatools license status --json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    status.add_argument("--json", action="store_true",
                        help="print it as JSON: license, license_problem, entitlement, "
                             "license_file (for scripts)")
    status.set_defaults(run=run_status)

    remove = actions.add_parser(
        "remove", aliases=["deactivate"],
        help="remove the license from this computer",
        description="Remove the license from this computer, as the window's Remove license "
                    "from this computer does: DataTools runs as a trial again. Enter the same "
                    "license on another computer, or here again, at any time.",
        epilog="Example: datatools license remove",
    )
    remove.set_defaults(run=run_remove)


def _wrapped(text: str) -> str:
    import textwrap

    return textwrap.fill(text, 79)


def read_paste(value: str, stdin: TextIO | None = None, prompt_to: TextIO | None = None) -> str:
    """The license text an argument names: the text itself, a file holding it, or `-` for
    standard input (a terminal is told on `prompt_to` how to end the paste). Raises BadInput
    for a name that is neither a file nor license text, or for input too long to be a license."""
    stdin = stdin or sys.stdin
    if value == "-":
        if stdin.isatty():
            print("Paste your license, then press Enter and Ctrl-D (Ctrl-Z and Enter on Windows):",
                  file=prompt_to or sys.stderr)
        return _bounded(stdin.read(MAX_PASTE + 1), "standard input")
    if codec.normalize_paste(value).upper().startswith("DTLIC"):
        return value
    path = Path(value)
    try:
        is_file = path.is_file()
    except (OSError, ValueError):   # a name too long for a path, or holding a NUL
        is_file = False
    if not is_file and any(c.isspace() for c in value.strip()):
        return value                # text pasted around the license: the checks say what is wrong
    if not is_file:
        raise BadInput(f"{value} is neither a file nor a license: give the license text "
                       "(it starts with DTLIC2:), a file holding it, or - to read standard input.",
                       code="no_such_file", params={"file": value})
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return _bounded(handle.read(MAX_PASTE + 1), str(path))
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror}", code="unreadable",
                       params={"file": str(path)}) from None


def _bounded(text: str, where: str) -> str:
    if len(text) > MAX_PASTE:
        raise BadInput(f"{where} holds more than {MAX_PASTE // 1024} KiB: that is not a license. "
                       "Copy the block from DTLIC2: to the end of your license email.",
                       code="not_a_license")
    return text


def _settings(args: argparse.Namespace):
    from datatools.app.launch import launch_settings

    return launch_settings(tuple(getattr(args, "dev_keyring", ()) or ()))


def refused(blob: str, error: codec.LicenseError, settings) -> BadInput:
    """A license the window would refuse, as the command line's error: the window's code,
    message and params (`--json` prints them), exit code 1."""
    from datatools.app.activation import describe_error

    described = describe_error(codec.normalize_paste(blob), error, settings)
    return BadInput(described["message"], code=described["code"], params=described["params"])


def run_activate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.app import activation

    settings = _settings(args)
    blob = read_paste(args.blob, prompt_to=err)
    try:
        record = activation.activate(blob, settings)
    except codec.LicenseError as exc:
        raise refused(blob, exc, settings) from None
    except OSError as exc:
        raise _unwritable(activation.license_path(settings), exc) from None
    print(f"Thank you, {_shown(record.name)}: DataTools is activated.", file=err)
    return _print_status(activation.LicenseState(record), settings, args.json, out)


def run_status(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.app import activation

    settings = _settings(args)
    return _print_status(activation.current_license(settings), settings, args.json, out)


def run_remove(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.app import activation

    settings = _settings(args)
    path = activation.license_path(settings)
    try:
        removed = activation.deactivate(settings)
    except OSError as exc:
        raise _unwritable(path, exc) from None
    if removed:
        print(f"Removed the license from this computer ({path}): DataTools runs as a trial "
              "again.", file=err)
    else:
        print(f"No license was activated on this computer ({path} does not exist).", file=err)
    return 0


def _unwritable(path: Path, exc: OSError) -> BadInput:
    return BadInput(f"cannot change the license file {path}: {exc.strerror or exc}",
                    code="license_file_unwritable", params={"file": str(path)})


def status_document(state, settings) -> dict[str, Any]:
    """`status --json`: the window's own names (GET /api/state) for the license in use
    (`license`, null for the trial), why a stored one no longer counts (`license_problem`),
    what it opens in the window (`entitlement`), and where it is kept (`license_file`)."""
    from datatools.app.activation import license_path, license_summary
    from datatools.app.tiers import entitlement_for

    return {"license": license_summary(state.license) if state.license else None,
            "license_problem": state.problem,
            "entitlement": entitlement_for(state.license).to_dict(),
            "license_file": str(license_path(settings))}


def _print_status(state, settings, as_json: bool, out: TextIO) -> int:
    document = status_document(state, settings)
    if as_json:
        json.dump(document, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(status_text(document))
    return 0


def status_text(document: dict[str, Any]) -> str:
    """`status` in words: whose license, edition and seats, updates, expiry, id and file; or
    the trial, and the reason a stored license no longer counts. Values from the license are
    shown with their control characters escaped (datatools/terminal.py)."""
    from datatools.app.tiers import TRIAL_ROW_LIMIT

    lic, entitlement = document["license"], document["entitlement"]
    if lic is None:
        lines = [f"No license is activated: DataTools runs as a trial (in the window, the first "
                 f"{TRIAL_ROW_LIMIT:,} rows of each file)."]
        if document["license_problem"]:
            lines.append(f"The stored license no longer counts: "
                         f"{_shown(document['license_problem']['message'])}")
        lines.append(f"  license file  {_shown(document['license_file'])}")
        lines.append("Activate with: datatools license activate LICENSE-FILE")
        return "\n".join(lines) + "\n"
    seats = f"{lic['seats']} seat{'s' if lic['seats'] != 1 else ''}"
    rows = [("edition", f"{_shown(lic['tier']).title()}, {seats}"),
            ("updates", f"until {lic['updates_until']}" if lic["updates_until"] else "every future release"),
            ("expires", lic["expires"] or "never"),
            ("license id", _shown(lic["lid"])),
            ("tools", ", ".join(entitlement["tools"])),
            ("license file", _shown(document["license_file"]))]
    lines = [f"Licensed to {_shown(lic['name'])} <{_shown(lic['email'])}>"]
    lines += [f"  {label:<13} {value}" for label, value in rows]
    if not entitlement["known_tier"]:
        lines.append("This license is for an edition newer than this release. Update DataTools "
                     "to unlock all of it.")
    return "\n".join(lines) + "\n"


def _shown(text: str) -> str:
    from datatools.terminal import shown

    return shown(str(text))
