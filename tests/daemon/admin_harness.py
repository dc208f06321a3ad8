"""Running `dtadmin` and `dtmint` in-process against a live daemon, with their real streams."""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dtadmin import cli as dtadmin_cli
from tests.daemon.harness import ADMIN_TOKEN, LiveDaemon

LID_RE = re.compile(r"L-[A-Z2-7]{16}")


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


@dataclass
class Admin:
    """`dtadmin` pointed at one live daemon through DTADMIN_URL and DTADMIN_TOKEN_FILE."""

    live: LiveDaemon
    token_file: Path
    environ: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.environ = {"DTADMIN_URL": self.live.url, "DTADMIN_TOKEN_FILE": str(self.token_file)}

    def __call__(self, *argv: str, **environ: str) -> Result:
        out, err = io.StringIO(), io.StringIO()
        code = dtadmin_cli.main(list(argv), out, err, environ={**self.environ, **environ})
        return Result(code, out.getvalue(), err.getvalue())

    def stand_ins(self, text: str) -> str:
        """`text` with each license's random lid replaced by `L-LID<id>XXX…` (same width), so
        expected tables are exact and still say which lid sits on which row."""
        lids = {}
        for lic in self.live.admin("GET", "/internal/licenses?limit=500").json()["licenses"]:
            lids[lic["lid"]] = "L-" + f"LID{lic['id']}".ljust(16, "X")
        return LID_RE.sub(lambda m: lids.get(m.group(0), m.group(0)), text)


def write_token(path: Path, token: str = ADMIN_TOKEN, mode: int = 0o600) -> Path:
    path.write_text(token + "\n")
    path.chmod(mode)
    return path
