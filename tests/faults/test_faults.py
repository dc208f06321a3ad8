"""Short runs of the fault scenarios (tests/faults/scenarios.py); `make faults` runs them long."""

from __future__ import annotations

import logging

import pytest

from tests.faults import scenarios


@pytest.fixture(autouse=True)
def quiet_daemon_logs(caplog):
    # The in-process scenarios log every refused mail; the result line says what matters.
    caplog.set_level(logging.CRITICAL, logger="licensed")


def check(result: scenarios.Result) -> None:
    print(result.line())
    assert result.passed, result.line()


def test_kill_9_during_load_then_restart_mints_every_order_once(pg_server):
    check(scenarios.kill_during_load(pg_server, seconds=4, threads=6))


def test_postgres_restart_during_load_is_503_fast_then_recovers_losing_nothing():
    check(scenarios.postgres_restart_during_load(down_seconds=2, threads=6))


def test_postmark_down_then_back_mails_every_license_once():
    check(scenarios.postmark_down(sales=10, down_minutes=10))


def test_a_full_sqlite_volume_mid_burst_is_5xx_never_a_crash_or_damage():
    check(scenarios.sqlite_volume_full(seconds=2, threads=4))


def test_a_read_only_sqlite_volume_is_a_clear_refusal():
    check(scenarios.sqlite_volume_read_only())


def test_idle_connections_past_the_limit_do_not_keep_health_out():
    check(scenarios.idle_connections(extra=20, seconds=8))


def test_a_prober_cannot_tell_webhook_routes_from_no_route():
    check(scenarios.webhook_probe())
