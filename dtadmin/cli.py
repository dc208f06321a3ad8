"""The `dtadmin` command: the daemon's /internal API as a command line (standard library only)."""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any, Mapping, Sequence, TextIO

from dtadmin import views
from dtadmin.client import DEFAULT_TOKEN_FILE, DEFAULT_URL, AdminClient, AdminError, read_token, \
    token_path
from dtadmin.imports import import_file
from dtadmin.tables import render_fields, render_table, shown

EXAMPLES = """examples:
  ssh -N -L 8090:127.0.0.1:8090 license.example.com &      # the tunnel, once
  dtadmin list --email zoe@example.com
  dtadmin mint --name "Zoë Ångström" --email zoe@example.com --tier pro > zoe.txt
  dtadmin revoke 12 --reason "chargeback"
  dtadmin outbox --status failed

The token is read from --token-file, else $DTADMIN_TOKEN_FILE, else
~/.config/datatools-admin/token (mode 0600). Exit codes: 0 ok, 1 error, 2 usage."""

PAGE = 500  # the daemon's largest page


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--url", default=argparse.SUPPRESS,
                        help=f"the daemon, through the tunnel (default: $DTADMIN_URL, else "
                             f"{DEFAULT_URL})")
    common.add_argument("--token-file", default=argparse.SUPPRESS, metavar="FILE",
                        help=f"file holding the admin token (default: $DTADMIN_TOKEN_FILE, else "
                             f"{DEFAULT_TOKEN_FILE})")
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS,
                        help="print the daemon's JSON answer instead of a table")
    parser = argparse.ArgumentParser(
        prog="dtadmin", parents=[common], epilog=EXAMPLES,
        description="Operate the DataTools license daemon through its /internal API.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, run, help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[common], help=help, description=help + ".")
        sub.set_defaults(run=run)
        return sub

    mint = command("mint", run_mint, "mint a license by hand and print its blob")
    mint.add_argument("--name", required=True)
    mint.add_argument("--email", required=True)
    mint.add_argument("--tier", required=True, help="a tier of products.toml, e.g. pro")
    mint.add_argument("--seats", type=positive, help="default: the tier's seats in products.toml")
    mint.add_argument("--note", help="why it was minted (kept with the license)")
    mint.add_argument("--order-id", help="an invoice number: minting it again is a no-op")

    listing = command("list", run_list, "list licenses, newest first")
    listing.add_argument("--email", help="exact address, any case")
    listing.add_argument("--order", help="the storefront's order id")
    listing.add_argument("--status", choices=("active", "suspended", "revoked"))
    listing.add_argument("--source", help="gumroad, manual, offline, …")
    listing.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD",
                         help="created on or after this day (UTC)")
    listing.add_argument("--search", "-q", help="part of a name, email, order id or lid")
    paging(listing)

    show = command("show", run_show,
                   "show one license: by id (digits), lid (L-…) or the storefront's order id")
    show.add_argument("ref", metavar="ID|LID|ORDER")

    revoke = command("revoke", run_revoke, "revoke a license (the record stays)")
    revoke.add_argument("ref", metavar="ID|LID|ORDER")
    revoke.add_argument("--reason", required=True)

    resend = command("resend", run_resend, "queue a license's email again")
    resend.add_argument("ref", metavar="ID|LID|ORDER")
    resend.add_argument("--reactivated", action="store_true",
                        help="the address bounced and was reactivated at Postmark since: "
                             "lift the suppression and send")

    events = command("events", run_events, "the webhook audit log, newest first")
    events.add_argument("--outcome", help="minted, duplicate, unknown_product, invalid, …")
    events.add_argument("--source", help="gumroad, …")
    events.add_argument("--order", help="the storefront's order id")
    events.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD")
    paging(events)

    reissue = command("reissue", run_reissue,
                      "re-sign a license with the current key (same lid), mail it, print it")
    reissue.add_argument("ref", metavar="ID|LID|ORDER")

    replay = command("replay", run_replay, "run a stored webhook body through its adapter again")
    replay.add_argument("event_id", type=int)

    outbox = command("outbox", run_outbox, "email not sent yet (or --status sent)")
    outbox.add_argument("--status", choices=("pending", "sending", "sent", "spooled", "failed",
                                             "cancelled", "bounced"))
    paging(outbox)

    imports = command("import", run_import, "store licenses minted offline by dtmint")
    imports.add_argument("file", type=Path, help="an issued.jsonl written by dtmint")

    command("stats", run_stats, "licenses by tier, source and month; revenue by currency")

    actions = command("actions", run_actions, "the operator actions log, newest first")
    actions.add_argument("--action", help="mint, revoke, resend, replay, reissue, import")
    actions.add_argument("--token", help="the token's name")
    actions.add_argument("--since", type=date.fromisoformat, metavar="YYYY-MM-DD")
    paging(actions)

    command("health", run_health, "is the daemon up, its database and its signer?")

    signatures = command("signatures", run_signatures,
                         "compare the signer's chain with the licenses table")
    signatures.add_argument("--log", type=Path, required=True, metavar="FILE",
                            help="the signer's signatures.log (copied from the server)")
    signatures.add_argument("--explained", type=Path, metavar="FILE",
                            help="signatures without a license you have explained, one "
                                 "`SEQ LID why` line each (e.g. sales minted again after a "
                                 "restore): counted apart, not as problems")
    return parser


def positive(text: str) -> int:
    """argparse type: a whole number ≥ 1 (anything else is a usage error, exit 2)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {value}")
    return value


def paging(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--limit", type=positive, default=50, help="rows to show (default 50)")
    group.add_argument("--all", action="store_true", help="every row, fetched page by page")


# --------------------------------------------------------------------------- commands


def emit(out: TextIO, args: argparse.Namespace, data: Any, text: str) -> None:
    if getattr(args, "json", False):
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")
    else:
        out.write(text)


def run_mint(client: AdminClient, args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    body = {"name": args.name, "email": args.email, "tier": args.tier}
    for field in ("seats", "note", "order_id"):
        if getattr(args, field) is not None:
            body[field] = getattr(args, field)
    answer = client.request("POST", "/internal/mint", body=body)
    lic = answer.data["license"]
    emit(out, args, answer.data, lic["blob"] + "\n")
    if answer.status == 201:
        print(f"minted license {lic['id']} ({lic['lid']}) for {shown(str(lic['email']))}; its "
              "email is queued", file=err)
    else:
        print(f"order {shown(str(lic['order_id']))} already has license {lic['id']} "
              f"({lic['lid']}); nothing minted", file=err)
    return 0


def fetch_pages(client: AdminClient, path: str, key: str, query: dict[str, Any],
                args: argparse.Namespace) -> tuple[list[dict[str, Any]], bool]:
    """Rows of a paged list up to --limit (or --all); True when more rows remain."""
    wanted = None if args.all else args.limit
    rows: list[dict[str, Any]] = []
    cursor = None
    while True:
        size = PAGE if wanted is None else min(PAGE, wanted - len(rows))
        data = client.request("GET", path, query={**query, "limit": size,
                                                  "before": cursor}).data
        rows.extend(data[key])
        cursor = data.get("next")
        if cursor is None or (wanted is not None and len(rows) >= wanted):
            return rows, cursor is not None


def list_command(client, args, out, err, *, path: str, key: str, query: dict[str, Any],
                 columns, empty: str | None = None) -> list[dict[str, Any]]:
    """Fetch a list and print it as a table (`--json`: as the daemon's JSON); `empty`, when
    given, is the line printed instead of a bare header when nothing was found. Returns the
    rows shown."""
    rows, more = fetch_pages(client, path, key, query, args)
    emit(out, args, {key: rows}, render_table(columns, rows) if rows or empty is None else empty)
    if more:
        print(f"{len(rows)} shown, more exist: --limit N or --all", file=err)
    return rows


def since(args: argparse.Namespace) -> str | None:
    return args.since.isoformat() if args.since else None


def run_list(client, args, out, err) -> int:
    query = {"email": args.email, "order": args.order, "status": args.status,
             "source": args.source, "since": since(args), "q": args.search}
    list_command(client, args, out, err, path="/internal/licenses", key="licenses",
                 query=query, columns=views.LICENSES)
    return 0


def run_events(client, args, out, err) -> int:
    query = {"outcome": args.outcome, "source": args.source, "order": args.order,
             "since": since(args)}
    list_command(client, args, out, err, path="/internal/events", key="events",
                 query=query, columns=views.EVENTS)
    return 0


# What `spooled` means, said where the operator sees it: the license never reached the buyer.
SPOOLED_NOTE = ("{count} {emails} shown went to the mail spool folder on the server, not to the "
                "buyer: no Postmark token was set (docs/SETUP-LICENSE-SERVER.md, step 4, Mail). "
                "Once it is set, `dtadmin resend LICENSE` (the LICENSE column) sends one again.")
MAIL_SPOOL_ONLY = ("no Postmark token is set: license emails go to the mail spool folder on "
                   "the server, not to buyers (docs/SETUP-LICENSE-SERVER.md, step 4, Mail)")


def run_outbox(client, args, out, err) -> int:
    empty = (f"no {args.status} email\n" if args.status
             else "nothing pending: every email has been sent\n")
    rows = list_command(client, args, out, err, path="/internal/outbox", key="outbox",
                        query={"status": args.status}, columns=views.OUTBOX, empty=empty)
    spooled = sum(row.get("status") == "spooled" for row in rows)
    if spooled and not getattr(args, "json", False):
        print(SPOOLED_NOTE.format(count=spooled, emails="email" if spooled == 1 else "emails"),
              file=err)
    return 0


def run_actions(client, args, out, err) -> int:
    query = {"action": args.action, "token": args.token, "since": since(args)}
    list_command(client, args, out, err, path="/internal/actions", key="actions",
                 query=query, columns=views.ACTIONS)
    return 0


def find_license(client: AdminClient, ref: str) -> dict[str, Any]:
    """One license (the daemon's JSON record) by database id, lid (L-…) or the storefront's
    order id.

    All digits is read as both an id and an order id (Lemon Squeezy's order ids are all
    digits): the one that exists is the license; when both exist and differ, AdminError names
    both and their lids, which always say which one (trial I: `show 900001` answered 404 and a
    small order id showed another buyer's license). Raises AdminError when nothing matches or
    an order id is shared by several storefronts.
    """
    if ref.upper().startswith("L-"):
        found = client.request("GET", "/internal/licenses", query={"lid": ref.upper()}
                               ).data["licenses"]
        if not found:
            raise AdminError(f"no license has the lid {ref}")
        return found[0]
    by_order = client.request("GET", "/internal/licenses", query={"order": ref}).data["licenses"]
    by_id = license_by_id(client, ref) if ref.isdigit() else None
    if len(by_order) > 1:
        ids = ", ".join(f"{lic['id']} ({lic['lid']})" for lic in by_order)
        raise AdminError(f"order id {ref} is used by several storefronts (licenses {ids}); "
                         f"give the lid of the one you mean")
    if by_id is not None and by_order and by_order[0]["id"] != by_id["id"]:
        other = by_order[0]
        raise AdminError(f"{ref} is both license {by_id['id']} ({by_id['lid']}) and the order id of "
                         f"license {other['id']} ({other['lid']}, {other['source']}); give the "
                         f"lid of the one you mean")
    if by_id is not None:
        return by_id
    if by_order:
        return by_order[0]
    what = "id or order id" if ref.isdigit() else "order id"
    raise AdminError(f"no license has the {what} {ref}")


def license_by_id(client: AdminClient, ref: str) -> dict[str, Any] | None:
    """The license whose database id is `ref` (digits), None when there is none."""
    answer = client.request("GET", f"/internal/licenses/{ref}", ok=(404,))
    return None if answer.status == 404 else answer.data["license"]


def run_show(client, args, out, err) -> int:
    lic = find_license(client, args.ref)
    emit(out, args, {"license": lic}, render_fields(list(lic.items())))
    return 0


def run_revoke(client, args, out, err) -> int:
    number = find_license(client, args.ref)["id"]
    answer = client.request("POST", f"/internal/licenses/{number}/revoke",
                            body={"reason": args.reason})
    lic = answer.data["license"]
    emit(out, args, answer.data, f"revoked license {lic['id']} ({lic['lid']}): "
                                 f"{lic['revoke_reason']}\n")
    return 0


def run_resend(client, args, out, err) -> int:
    # The daemon refuses a bounced address (409 address_suppressed) unless told it was
    # reactivated at Postmark; only then is the body sent, so a plain resend stays as it was.
    body = {"reactivated": True} if args.reactivated else None
    number = find_license(client, args.ref)["id"]
    answer = client.request("POST", f"/internal/licenses/{number}/resend", body=body)
    row = answer.data["outbox"]
    emit(out, args, answer.data, f"queued the email of license {row['license_id']} to "
                                 f"{row['recipient']} (outbox {row['id']})\n")
    return 0


def run_reissue(client, args, out, err) -> int:
    number = find_license(client, args.ref)["id"]
    answer = client.request("POST", f"/internal/licenses/{number}/reissue")
    lic = answer.data["license"]
    emit(out, args, answer.data, lic["blob"] + "\n")
    print(f"re-signed license {lic['id']} ({lic['lid']}) with key {lic['kid']} (was "
          f"{answer.data['previous_kid']}); its email is queued", file=err)
    return 0


def run_replay(client, args, out, err) -> int:
    answer = client.request("POST", f"/internal/events/{args.event_id}/replay")
    data = answer.data
    lic = data.get("license")
    about = f": license {lic['id']} ({lic['lid']})" if lic else ""
    emit(out, args, data, f"event {args.event_id} replayed as event {data['event_id']}, "
                          f"outcome {data['outcome']}{about}\n")
    return 0


def run_import(client, args, out, err) -> int:
    report = import_file(client, args.file)
    if getattr(args, "json", False):
        emit(out, args, report, "")
    else:
        if report["rejected"]:
            err.write(render_table(views.IMPORT_REJECTS, report["rejected"]))
        out.write(f"imported {len(report['imported'])}, already there "
                  f"{len(report['existing'])}, rejected {len(report['rejected'])}\n")
    return 1 if report["rejected"] else 0


def run_stats(client, args, out, err) -> int:
    stats = client.request("GET", "/internal/stats").data
    parts = [render_table(views.count_table(heading), stats[key])
             for heading, key in (("TIER", "by_tier"), ("SOURCE", "by_source"),
                                  ("MONTH", "by_month"))]
    parts.append(render_table(views.REVENUE, stats["revenue"]))
    emit(out, args, stats, "\n".join(parts))
    return 0


def run_health(client, args, out, err) -> int:
    answer = client.request("GET", "/health", ok=(503,))
    data = answer.data
    signer = (data.get("signer") or {}).get("status", "unknown")
    transport = (data.get("mail") or {}).get("transport", "unknown")
    mail = "spool only" if transport == "spool" else transport
    text = (f"{data.get('status')}: database {data.get('database')}, signer {signer}, mail "
            f"{mail}, version {data.get('version')}\n")
    if answer.status != 200:
        message = (data.get("error") or {}).get("message", "")
        raise AdminError(f"the daemon answered {answer.status}: database "
                         f"{data.get('database')}, signer {signer}: {message}".rstrip(": "))
    emit(out, args, data, text)
    if transport == "spool" and not getattr(args, "json", False):
        print(MAIL_SPOOL_ONLY, file=err)
    return 0


def run_signatures(client, args, out, err) -> int:
    from dtadmin.signatures import ExplanationsError, compare, read_explained, render

    explained = {}
    if args.explained is not None:
        try:
            explained = read_explained(args.explained)
        except OSError as exc:
            raise AdminError(f"cannot read {args.explained}: {exc.strerror}") from None
        except (ExplanationsError, UnicodeDecodeError) as exc:
            raise AdminError(str(exc)) from None
    rows, _ = fetch_pages(client, "/internal/licenses", "licenses", {},
                          argparse.Namespace(all=True, limit=None))
    try:
        report = compare(args.log, rows, explained)
    except OSError as exc:
        raise AdminError(f"cannot read {args.log}: {exc.strerror}") from None
    emit(out, args, report.as_json(), render(report))
    return 1 if report.problems else 0


# --------------------------------------------------------------------------- entry point


def make_client(args: argparse.Namespace, environ: Mapping[str, str]) -> AdminClient:
    url = getattr(args, "url", None) or environ.get("DTADMIN_URL") or DEFAULT_URL
    if not url.startswith(("http://", "https://")):
        raise AdminError(f"--url must start with http:// or https://, not {url[:40]!r}")
    if args.run is run_health:  # /health needs no token, so it works before one is set up
        return AdminClient(url, None)
    path = token_path(getattr(args, "token_file", None), environ)
    return AdminClient(url, read_token(path), token_source=f"the token in {path}")


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None,
         stderr: TextIO | None = None, *, environ: Mapping[str, str] | None = None) -> int:
    """Run one dtadmin command; 0 ok, 1 an error (one line on stderr), 2 usage."""
    out, err = stdout or sys.stdout, stderr or sys.stderr
    parser = build_parser()
    try:
        # argparse writes usage and --help itself: send them to our streams.
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        client = make_client(args, os.environ if environ is None else environ)
        return args.run(client, args, out, err)
    except AdminError as exc:
        print(f"dtadmin: {shown(exc.message)}", file=err)
        return 1
    except BrokenPipeError:
        sys.stdout = None  # type: ignore[assignment]  # `| head` closed the pipe: not an error
        return 0


if __name__ == "__main__":
    sys.exit(main())
