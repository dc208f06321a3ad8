"""`datatools` with no subcommand: start the local server and show it (window, browser or URL)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from datatools.app.settings import AppSettings


def add_launch_options(parser: argparse.ArgumentParser) -> None:
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--browser", action="store_true",
                      help="open the app in your web browser instead of its own window")
    mode.add_argument("--serve", action="store_true",
                      help="only start the app's local server and print its address")
    mode.add_argument("--self-test", action="store_true",
                      help="open the window, check that the start screen loads, close it and "
                           "report (exit 0 when it worked)")
    parser.add_argument("--dev-keyring", action="append", type=Path, default=[], metavar="FILE",
                        help="development aid: also trust the license keys in FILE")


def launch_settings(dev_keyrings: tuple[Path, ...] = ()) -> AppSettings:
    """The settings of a run of `datatools` (the window, or a `license` command that reads or
    writes the activated license): `settings_from_env` with the `--dev-keyring` files, each of
    which must exist. Raises BadInput naming a missing keyring."""
    from datatools.app.settings import settings_from_env
    from datatools.errors import BadInput

    settings = settings_from_env(dev_keyrings=dev_keyrings)
    for path in settings.keyrings:
        if not path.is_file():
            raise BadInput(f"keyring {path} does not exist")
    return settings


def has_display() -> bool:
    if sys.platform != "linux":
        return True
    return bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
                or os.environ.get("QT_QPA_PLATFORM"))


def run_desktop(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from datatools.app.server import start_server
    settings = launch_settings(tuple(args.dev_keyring))
    if args.self_test:
        return _self_test(settings, out)
    if not (args.serve or args.browser) and not has_display():
        print("datatools: no display found, so no window; open the address below in a browser.",
              file=err)
        args.serve = True
    if args.serve or args.browser:
        # Listen for SIGTERM before anyone can know the address, so a quick stop is clean too.
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        running = start_server(settings)
        if args.browser:
            import webbrowser

            # The browser's command line is readable by every local user (`ps`): it gets a
            # one-time launch code, which the page trades for the token (DECISIONS 100).
            print(running.launch_url(), file=out, flush=True)
            webbrowser.open(running.launch_url())
        else:
            print(running.url, file=out, flush=True)
        return _serve_until_stopped(running, stop)

    from datatools.app.window import WindowDialogs, open_window

    dialogs = WindowDialogs()
    running = start_server(settings, dialogs=dialogs)
    try:
        open_window(running, dialogs)
    finally:
        running.stop()
    return 0


def _self_test(settings, out: TextIO) -> int:
    """`--self-test`: the window's whole path (server, Qt, WebEngine, the UI) in a few seconds."""
    from datatools.app.server import start_server
    from datatools.app.window import WindowDialogs, check_window
    from datatools.version import RELEASE_DATE, __version__

    if not has_display():
        print("window: no display found; run it on the desktop, or with QT_QPA_PLATFORM=offscreen",
              file=out)
        return 1
    reported: list[dict] = []

    def report(seen: dict) -> None:
        print(f"window: {_window_verdict(seen)}", file=out, flush=True)
        reported.append(seen)

    dialogs = WindowDialogs()
    running = start_server(settings, dialogs=dialogs)
    try:
        seen = check_window(running, dialogs, on_ready=report)
    finally:
        running.stop()
    if not reported:
        report(seen)
    passed = "error" not in seen
    print(f"datatools {__version__} (released {RELEASE_DATE.isoformat()}): "
          f"self-test {'passed' if passed else 'FAILED'}", file=out)
    return 0 if passed else 1


def _window_verdict(seen: dict) -> str:
    if "error" in seen:
        return seen["error"]
    return f"ok, the start screen shows {seen['tools']} tools"


def _serve_until_stopped(running, stop: threading.Event) -> int:
    """Serve until Ctrl-C or SIGTERM, then stop cleanly (jobs' temporary files go too)."""
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
    return 0
