"""When PostgreSQL goes away under a running daemon: /health says 503, webhooks ask for a retry."""

from __future__ import annotations

import uuid
from urllib.parse import urlsplit, urlunsplit

from tests.daemon.harness import LiveDaemon, gumroad_sale, http, write_world_files


def test_health_and_webhooks_answer_503_while_the_database_is_down(pg_server, tmp_path, clock):
    import psycopg

    name = f"datatools_health_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = urlunsplit(urlsplit(pg_server)._replace(path="/" + name))
    live = LiveDaemon(write_world_files(tmp_path, url), clock).start()
    try:
        assert http("GET", f"{live.url}/health").status == 200
        with psycopg.connect(pg_server, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        health = http("GET", f"{live.url}/health")
        assert health.status == 503
        body = health.json()
        assert (body["database"], body["error"]["code"]) == ("unreachable", "database_unreachable")
        ping = live.ping(gumroad_sale("DOWN-1"))
        assert (ping.status, ping.json()["error"]["code"]) == (503, "storage")
    finally:
        live.stop()
