"""`dtadmin show|revoke|resend|reissue` take a license id, a lid or the storefront's order id.
Lemon Squeezy order ids are all digits, so all digits is read as both an id and an order id,
and a number that is both (different licenses) is refused, naming both (trial I). The
installed `licensed serve` and `dtadmin` run as processes; only what they start runs."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.daemon.admin_harness import write_token
from tests.daemon.harness import LEMONSQUEEZY_SECRET
from tests.daemon.served import Served, serve
from tests.daemon.storefronts import lemon_order

DTADMIN = Path(sys.executable).with_name("dtadmin")


def dtadmin(served: Served, token: Path, *argv: str) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if not key.startswith("DTADMIN_")}
    env.update(DTADMIN_URL=served.url, DTADMIN_TOKEN_FILE=str(token))
    return subprocess.run([str(DTADMIN), *argv], env=env, capture_output=True, text=True,
                          timeout=60)


def lemon_sale(served: Served, order_id: str, email: str) -> None:
    body = json.dumps(lemon_order(order_id, user_email=email)).encode()
    signature = hmac.new(LEMONSQUEEZY_SECRET.encode(), body, hashlib.sha256).hexdigest()
    answer = served.post("/webhooks/lemonsqueezy", body, {
        "Content-Type": "application/json", "X-Event-Name": "order_created",
        "X-Signature": signature})
    assert answer.status == 200, answer.body


def fields(result: subprocess.CompletedProcess) -> dict[str, str]:
    assert result.returncode == 0, result.stderr
    return dict(line.split(None, 1) if " " in line else (line, "")
                for line in result.stdout.splitlines())


def test_an_all_digit_order_id_finds_its_license_and_a_clash_is_refused(tmp_path):
    served = serve(tmp_path / "world", f"sqlite:///{tmp_path}/licenses.db")
    try:
        token = write_token(tmp_path / "token")
        lemon_sale(served, "900001", "ines@example.fr")  # license 1
        lemon_sale(served, "1", "olu@example.ng")  # license 2, order id 1

        shown = fields(dtadmin(served, token, "show", "900001"))
        assert (shown["id"], shown["order_id"], shown["email"]) == ("1", "900001",
                                                                  "ines@example.fr")
        lids = {1: shown["lid"], 2: json.loads(dtadmin(
            served, token, "list", "--order", "1", "--json").stdout)["licenses"][0]["lid"]}

        clash = dtadmin(served, token, "show", "1")
        assert (clash.returncode, clash.stdout) == (1, "")
        assert clash.stderr == (
            f"dtadmin: 1 is both license 1 ({lids[1]}) and the order id of license 2 "
            f"({lids[2]}, lemonsqueezy); give the lid of the one you mean\n")
        assert fields(dtadmin(served, token, "show", lids[2]))["email"] == "olu@example.ng"
        revoke = dtadmin(served, token, "revoke", "1", "--reason", "refund")
        assert (revoke.returncode, revoke.stderr) == (1, clash.stderr)

        revoked = dtadmin(served, token, "revoke", "900001", "--reason", "refund")
        assert (revoked.returncode, revoked.stdout) == (
            0, f"revoked license 1 ({lids[1]}): refund\n")
        resent = dtadmin(served, token, "resend", lids[2])
        assert resent.returncode == 0, resent.stderr
        assert resent.stdout.startswith("queued the email of license 2 to olu@example.ng")

        missing = dtadmin(served, token, "show", "424242")
        assert (missing.returncode, missing.stderr) == (
            1, "dtadmin: no license has the id or order id 424242\n")
    finally:
        served.stop()
