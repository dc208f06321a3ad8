"""The development world (licensed/devworld.py) that bin/dev-run and the test harness write."""

from __future__ import annotations

import stat
from datetime import datetime, timezone

from licensed.devworld import write_dev_world
from licensed.settings import load_settings
from tests.daemon.harness import Clock, LiveDaemon


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_world_under_a_path_with_quotes_and_backslashes_round_trips_and_serves(tmp_path):
    root = tmp_path / 'dev "quoted" \\ back\\slash'
    url = f"sqlite:///{root}/licenses.db"
    world = write_dev_world(root, url, admin_token="tok")
    settings = load_settings(world.config, {})
    assert (settings.database_url, settings.secrets_dir, settings.products_file,
            settings.mail_spool_dir, settings.port) == (
        url, root / "secrets", root / "products.toml", root / "mail", 0)
    assert mode(root / "secrets") == 0o700
    for secret in ("admin-token", "gumroad-secret", "lemonsqueezy-secret", "stripe-secret",
                   "postmark-webhook", "signing/current", "signing/dev-1.pem"):
        assert mode(root / "secrets" / secret) == 0o600, secret
    # The world is one a daemon starts on: a manual mint answers 201 from it.
    live = LiveDaemon(settings, Clock(datetime(2026, 11, 23, tzinfo=timezone.utc))).start()
    try:
        answer = live.admin("POST", "/internal/mint",
                            {"name": "A", "email": "a@example.com", "tier": "pro"}, token="tok")
        assert answer.status == 201, answer.body
    finally:
        live.stop()


def test_writing_again_keeps_the_key_secrets_and_products_and_rewrites_the_config(tmp_path):
    first = write_dev_world(tmp_path, f"sqlite:///{tmp_path}/l.db", port=8090)
    key = (first.secrets_dir / "signing" / "dev-1.pem").read_bytes()
    token = first.secret("admin-token")
    first.products.write_text('[products.mine]\ntier = "pro"\nseats = 2\n')
    second = write_dev_world(tmp_path, f"sqlite:///{tmp_path}/l.db", port=8091)
    assert (second.secrets_dir / "signing" / "dev-1.pem").read_bytes() == key
    assert second.secret("admin-token") == token
    assert "mine" in second.products.read_text()
    assert load_settings(second.config, {}).port == 8091
