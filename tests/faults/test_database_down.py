"""PostgreSQL stopping under the daemon (a private cluster, so other tests are untouched):
answers 503 inside the storefront's deadline, recovers without a restart, loses nothing."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone

import pytest

from tests.daemon.harness import Clock, LiveDaemon, gumroad_sale, http, write_world_files
from tests.faults.pgcluster import PrivateCluster

GUMROAD_DEADLINE = 5.0  # seconds: Gumroad gives up on a Ping (and never retries a timeout)


@pytest.fixture
def cluster():
    pg = PrivateCluster().start()
    yield pg
    pg.destroy()


def timed(call):
    started = time.monotonic()
    answer = call()
    return answer, time.monotonic() - started


def test_database_down_answers_503_inside_the_deadline_then_recovers_without_restart(
        tmp_path, cluster):
    settings = write_world_files(tmp_path, cluster.url)
    live = LiveDaemon(settings, Clock(datetime(2026, 11, 23, 12, tzinfo=timezone.utc))).start()
    try:
        assert live.ping(gumroad_sale("BEFORE-1")).status == 200
        cluster.stop()
        health, _ = timed(lambda: http("GET", live.url + "/health"))
        assert health.status == 503 and health.json()["database"] == "unreachable"
        # More webhooks at once than the server has threads, as a storefront's queue would.
        with ThreadPoolExecutor(24) as pool:
            answers = list(pool.map(
                lambda n: timed(lambda: live.ping(gumroad_sale(f"DOWN-{n}"))), range(24)))
        statuses = {answer.status for answer, _ in answers}
        slowest = max(seconds for _, seconds in answers)
        assert statuses == {503}, [a.body for a, _ in answers]
        assert slowest < GUMROAD_DEADLINE, f"the slowest 503 took {slowest:.1f} s"
        assert answers[0][0].json()["error"]["code"] == "storage"

        cluster.start()
        deadline = time.monotonic() + 20
        while http("GET", live.url + "/health").status != 200:
            assert time.monotonic() < deadline, "the daemon did not find the database again"
            time.sleep(0.2)
        # The storefront retries what got a 503: each order mints exactly once.
        retried = {live.ping(gumroad_sale(f"DOWN-{n}")).json()["outcome"] for n in range(24)}
        assert retried == {"minted"}
        licenses = live.admin("GET", "/internal/licenses?limit=500").json()["licenses"]
        assert len(licenses) == 25
        outbox = live.admin("GET", "/internal/outbox?limit=500").json()["outbox"]
        assert len(outbox) == 25
    finally:
        live.stop()
