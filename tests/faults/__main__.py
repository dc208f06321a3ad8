"""`python -m tests.faults` (make faults): every fault scenario at full length, one line each."""

from __future__ import annotations

import os
import sys

from tests.faults import scenarios

PG = os.environ.get("DATATOOLS_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


def main() -> int:
    runs = [
        lambda: scenarios.kill_during_load(PG, seconds=20, threads=16),
        lambda: scenarios.postgres_restart_during_load(down_seconds=10, threads=16),
        lambda: scenarios.postmark_down(sales=100, down_minutes=120),
        lambda: scenarios.sqlite_volume_full(seconds=10),
        lambda: scenarios.sqlite_volume_read_only(),
        lambda: scenarios.slow_clients(extra=200, seconds=20),
        lambda: scenarios.idle_connections(extra=200, seconds=20),
        lambda: scenarios.webhook_probe(),
    ]
    results = []
    for run in runs:
        result = run()
        print(result.line(), flush=True)
        results.append(result)
    failed = sum(not r.passed for r in results)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
