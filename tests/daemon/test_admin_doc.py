"""docs/ADMIN.md runs as written: every `$ …` line of its console blocks is run, in order, in
a make-run-like world (files under var/, one simulated sale) against a real daemon on loopback,
and its output compared with the document's (random license ids and blobs masked)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import io
import os
import re
import shlex
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import pytest

from datatools import cli as datatools_cli
from dtadmin import cli as dtadmin_cli
from dtadmin import offline as dtmint
from licensed import cli as licensed_cli
from licensed.devworld import write_dev_world
from licensed.settings import load_settings
from tests.daemon.fake_postmark import TOKEN, FakePostmark
from tests.daemon.harness import ADMIN_TOKEN, GUMROAD_SECRET, LiveDaemon

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "ADMIN.md"
PROGRAMS: dict[str, Callable[..., int]] = {
    "dtadmin": dtadmin_cli.main, "dtmint": dtmint.main, "licensed": licensed_cli.main,
    "datatools": datatools_cli.main,
}
ERROR_PREFIXES = tuple(f"{name}: " for name in PROGRAMS)
MASKS = [(re.compile(r"L-[A-Z2-7]{16}"), "L-################"),
         (re.compile(r"DTLIC2:[A-Za-z0-9_.-]+…?"), "DTLIC2:…"),
         (re.compile(r"M-[0-9a-f]{16}"), "M-################")]


def masked(text: str) -> str:
    """`text` with what is random in each run (license ids, blobs, order ids) made alike."""
    for pattern, stand_in in MASKS:
        text = pattern.sub(stand_in, text)
    return text


@dataclass
class Example:
    command: str
    expected: list[str] = field(default_factory=list)


def console_blocks(text: str) -> list[list[Example]]:
    """The ```console blocks of `text`: each `$ command` with the output lines under it."""
    blocks = []
    for body in re.findall(r"```console\n(.*?)```", text, re.S):
        examples: list[Example] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                examples.append(Example(line[2:]))
            else:
                examples[-1].expected.append(line)
        blocks.append(examples)
    return blocks


def dev_run_sale(order_id: str) -> dict[str, str]:
    """bin/dev-run's own simulated sale, so the world is the one `make run` makes."""
    module = sys.modules.get("dev_run")
    if module is None:
        loader = importlib.machinery.SourceFileLoader("dev_run", str(ROOT / "bin" / "dev-run"))
        spec = importlib.util.spec_from_loader("dev_run", loader)
        assert spec is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules["dev_run"] = module  # dataclasses look their module up while it loads
        loader.exec_module(module)
    return module.sale_fields(order_id)


class DocWorld:
    """`make run`'s world under `root/var` (no Postmark token: mail is spooled); the bounce
    example adds a token for Postmark's stand-in (`use_postmark`)."""

    def __init__(self, root: Path, clock, postmark: FakePostmark):
        self.root, self.clock, self.postmark = root, clock, postmark
        world = write_dev_world(root / "var", f"sqlite:///{root / 'var' / 'licenses.db'}",
                                admin_token=ADMIN_TOKEN, gumroad_secret=GUMROAD_SECRET,
                                writer="bin/dev-run")
        self.secrets_dir = world.secrets_dir
        self.products = world.products
        self.config = world.config
        self.live: LiveDaemon | None = None
        self.environ: dict[str, str] = {}
        self.restart()

    def restart(self) -> None:
        """Stop the daemon if it runs and start it again, as systemctl restart does."""
        if self.live is not None:
            self.live.stop()
        settings = load_settings(self.config, {}).replace(mail_api_url=self.postmark.url)
        self.live = LiveDaemon(settings, self.clock).start()
        transport = self.live.daemon.worker.transport
        if not transport.spools:
            transport.timeout, transport.attempts, transport.backoff_base = 0.5, 1, 0.001
        self.environ["DTADMIN_URL"] = self.live.url

    def deliver(self) -> None:
        """What the daemon's mail thread does within a second of each command."""
        assert self.live is not None
        self.live.daemon.worker.run_once()

    def as_documented(self, text: str) -> str:
        """Output as the document shows it: paths relative, the daemon at its usual port."""
        assert self.live is not None
        return text.replace(f"{self.root}/", "").replace(self.live.url, "http://127.0.0.1:8090")

    def run(self, command: str) -> tuple[int, str]:
        """Run one documented command line; (exit code, what the terminal shows)."""
        words = shlex.split(command)
        if words[0] == "export":
            name, _, value = words[1].partition("=")
            self.environ[name] = value
            return 0, ""
        environ = dict(self.environ)
        while "=" in words[0]:
            name, _, value = words.pop(0).partition("=")
            environ[name] = value
        redirect = None
        if ">" in words:
            at = words.index(">")
            redirect, words = Path(words[at + 1]), words[:at]
        out, err = io.StringIO(), io.StringIO()
        program, argv = words[0], words[1:]
        if program == "dtadmin":
            code = dtadmin_cli.main(argv, out, err, environ=environ)
        elif program == "dtmint":
            code = dtmint.main(argv, out, err, environ=environ, clock=self.clock)
        elif program == "licensed":
            # On the server `licensed` finds the daemon at [server] port; here it moved.
            before = os.environ.get("LICENSED_SERVER_PORT")
            os.environ["LICENSED_SERVER_PORT"] = self.live.url.rsplit(":", 1)[1]
            try:
                code = licensed_cli.main(argv, out, err)
            finally:
                if before is None:
                    del os.environ["LICENSED_SERVER_PORT"]
                else:
                    os.environ["LICENSED_SERVER_PORT"] = before
        else:
            code = PROGRAMS[program](argv, out, err)
        shown = err.getvalue()
        if redirect is None:
            shown = out.getvalue() + shown
        else:
            redirect.write_text(out.getvalue(), encoding="utf-8")
        return code, self.as_documented(shown)


def unknown_product_sale(world: DocWorld) -> None:
    assert world.live is not None
    world.live.ping(dev_run_sale("dev-sale-3") | {
        "product_permalink": "https://example.gumroad.com/l/datatools-enterprise"})


def use_postmark(world: DocWorld, refusal: tuple[str, int]) -> None:
    """Set a Postmark token and restart, as the operator does, with Postmark's stand-in
    scripted to refuse the next message with `refusal`."""
    (world.secrets_dir / "postmark-token").write_text(TOKEN + "\n")
    world.restart()
    world.postmark.script.append(refusal)


def add_enterprise_and_restart(world: DocWorld) -> None:
    with world.products.open("a", encoding="utf-8") as products:
        products.write('\n[products.datatools-enterprise]\ntier = "team"\nseats = 25\n')
    world.restart()


# What happens between the documented commands, outside dtadmin: keyed by the next command.
BEFORE: dict[str, Callable[[DocWorld], Any]] = {
    'dtadmin mint --name "Bo Li" --email bo@example.com --tier pro --order-id INV-2026-014 '
    '> bo.txt': lambda world: use_postmark(world, ("422", 406)),
    "dtadmin events --outcome unknown_product": unknown_product_sale,
    "dtadmin replay 4": add_enterprise_and_restart,
}


def first_sale(world: DocWorld) -> None:
    """What `make run` does at start: one simulated sale, its blob saved under var/."""
    assert world.live is not None
    assert world.live.ping(dev_run_sale("dev-sale-1")).status == 200
    blob = world.live.license_for("dev-sale-1")["blob"]
    (world.config.parent / "dev-sale-1.license.txt").write_text(blob + "\n", encoding="ascii")


def run_document(root: Path, clock, postmark: FakePostmark) -> list[tuple[Example, int, str]]:
    """Every example of docs/ADMIN.md run in order: (example, exit code, output)."""
    world = DocWorld(root, clock, postmark)
    results = []
    try:
        first_sale(world)
        world.deliver()
        for block in console_blocks(DOC.read_text(encoding="utf-8")):
            for example in block:
                if example.command in BEFORE:
                    BEFORE[example.command](world)
                code, shown = world.run(example.command)
                world.deliver()
                results.append((example, code, shown))
    finally:
        assert world.live is not None
        world.live.stop()
    return results


@pytest.fixture
def postmark():
    fake = FakePostmark().start()
    yield fake
    fake.stop()


def test_every_example_in_admin_md_gives_the_documented_output(tmp_path, clock, postmark,
                                                                monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LICENSED_CONFIG", raising=False)
    results = run_document(tmp_path, clock, postmark)
    assert len(results) > 30
    for example, code, shown in results:
        expected = "\n".join(example.expected)
        assert masked(shown.rstrip("\n")) == masked(expected), example.command
        failed = any(line.startswith(ERROR_PREFIXES) for line in example.expected)
        assert (code != 0) == failed, (example.command, code)


def test_the_hooks_name_commands_the_document_has():
    commands = {example.command for block in console_blocks(DOC.read_text(encoding="utf-8"))
                for example in block}
    assert set(BEFORE) <= commands


def test_the_document_covers_every_dtadmin_command():
    commands = dtadmin_cli.build_parser()._subparsers._group_actions[0].choices  # type: ignore
    run = {shlex.split(example.command)[1] for block in
           console_blocks(DOC.read_text(encoding="utf-8")) for example in block
           if example.command.split()[0] == "dtadmin"}
    assert sorted(set(commands) - run) == []


def test_the_programs_the_document_runs_are_found_on_the_path_it_sets_up():
    # A checkout after `make run`: the console scripts are in .venv/bin, which a fresh shell's
    # PATH lacks. Only what the document exports counts (the test runner's PATH may have more).
    examples = [example.command for block in console_blocks(DOC.read_text(encoding="utf-8"))
                for example in block]
    path = "/usr/bin:/bin"
    for command in examples:
        words = shlex.split(command)
        if words[:1] == ["export"] and words[1].startswith("PATH="):
            path = words[1][len("PATH="):].replace("$PWD", str(ROOT)).replace("$PATH", path)
    programs = {word for command in examples for word in shlex.split(command)
                if word in PROGRAMS}
    assert programs == set(PROGRAMS)
    missing = sorted(p for p in programs if shutil.which(p, path=path) is None)
    assert missing == [], f"not on the PATH docs/ADMIN.md sets up ({path}): {missing}"
