"""Slow clients trickling a request a byte at a time: each request has a deadline, so more
of them than the connection limit cannot keep /health and the webhooks unreachable."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

from licensed.serving import REQUEST_DEADLINE
from licensed.settings import CONNECTION_LIMIT
from tests.daemon.harness import Clock, LiveDaemon, gumroad_sale, http, write_world_files
from tests.faults.load import trickle


def test_more_slow_clients_than_the_connection_limit_cannot_lock_out_health(tmp_path):
    settings = write_world_files(tmp_path, f"sqlite:///{tmp_path}/licenses.db")
    live = LiveDaemon(settings, Clock(datetime(2026, 11, 23, 12, tzinfo=timezone.utc))).start()
    stop, closed = threading.Event(), []
    port = live.server.effective_port
    slow = [threading.Thread(target=trickle, args=(port, stop, closed), daemon=True)
            for _ in range(CONNECTION_LIMIT + 50)]
    try:
        started = time.monotonic()
        for thread in slow:
            thread.start()
        time.sleep(2)  # every slow client is connected (or queued) and trickling
        # A monitor's check and a real sale get through within about one deadline.
        health = http("GET", live.url + "/health", timeout=REQUEST_DEADLINE + 10)
        assert health.status == 200
        sale = live.ping(gumroad_sale("DURING-SLOW-1"))
        assert sale.json() == {"outcome": "minted"}
        waited = time.monotonic() - started
        assert waited < REQUEST_DEADLINE + 10, f"health and a sale took {waited:.0f} s"
        time.sleep(3)
        assert len(closed) >= CONNECTION_LIMIT // 2, f"only {len(closed)} slow clients were closed"
    finally:
        stop.set()
        for thread in slow:
            thread.join(5)
        live.stop()
