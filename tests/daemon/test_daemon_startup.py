"""`licensed serve|migrate|keys`: settings layering and the refusals that keep a bad daemon down."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from licensed.cli import main
from licensed.errors import ConfigError
from licensed.migrate import find_migrations
from licensed.settings import Settings, load_settings
from tests.daemon.harness import write_world_files


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def sqlite_world(tmp_path) -> Settings:
    return write_world_files(tmp_path, f"sqlite:///{tmp_path}/licenses.db")


def test_settings_layer_defaults_then_file_then_environment(tmp_path):
    config = tmp_path / "licensed.toml"
    config.write_text('[server]\nport = 9000\nthreads = 4\n[secrets]\ndir = "s"\n')
    settings = load_settings(config, {"LICENSED_SERVER_PORT": "9100",
                                      "LICENSED_DATABASE_URL": "postgresql://db/licenses"})
    assert (settings.host, settings.port, settings.threads) == ("127.0.0.1", 9100, 4)
    assert settings.database_url == "postgresql://db/licenses"
    assert settings.secrets_dir == tmp_path / "s"  # relative to the config file
    assert settings.mail_sender == "DataTools <licenses@example.com>"
    assert load_settings(None, {"LICENSED_CONFIG": str(config)}).port == 9000


@pytest.mark.parametrize("text, message", [
    ("[server]\nprot = 1\n", "unknown setting [server] prot"),
    ("[server]\nport = 'eighty'\n", "[server] port must be a whole number, not 'eighty'"),
    ("[database]\nurl = 'mysql://x'\n", "[database] url must start with sqlite:/// or postgresql:// (got mysql:…)"),
    ("[server\n", "is not valid TOML"),
])
def test_bad_settings_are_named_in_one_message(tmp_path, text, message):
    config = tmp_path / "licensed.toml"
    config.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_settings(config, {})
    assert message in caught.value.message


def test_the_signer_refuses_a_signing_key_readable_by_others(sqlite_world):
    key = sqlite_world.secrets_dir / "signing" / "test-1.pem"
    os.chmod(key, 0o640)
    code, _, err = run("signer", "--config", str(sqlite_world.config_file))
    assert code == 1
    assert err == (f"licensed: signing key {key} is readable by group or others (mode 0640); "
                   f"run: chmod 400 {key}\n")


def test_serve_refuses_a_missing_secret(sqlite_world):
    (sqlite_world.secrets_dir / "gumroad-secret").unlink()
    code, _, err = run("serve", "--config", str(sqlite_world.config_file))
    assert (code, err) == (1, f"licensed: secret file {sqlite_world.secrets_dir}/gumroad-secret is missing\n")


def test_serve_refuses_an_unmigrated_or_unreachable_database(sqlite_world, monkeypatch):
    code, _, err = run("serve", "--config", str(sqlite_world.config_file))
    count = len(find_migrations("sqlite"))  # every migration in sql/migrations/, in order
    assert (code, err) == (1, f"licensed: the database lacks {count} migration(s) (first: "
                              f"001_core); run: licensed migrate\n")
    monkeypatch.setenv("LICENSED_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/licenses")
    code, _, err = run("serve", "--config", str(sqlite_world.config_file))
    assert code == 1
    assert err.startswith("licensed: cannot reach PostgreSQL at 127.0.0.1:1/licenses: ")
    assert "refused" in err and err.count("\n") == 1


def test_migrate_applies_once_then_has_nothing_to_do(sqlite_world):
    applied = "".join(f"applied {m.version:03d}_{m.name}\n" for m in find_migrations("sqlite"))
    assert applied.startswith("applied 001_core\napplied 002_outbox\n")
    assert run("migrate", "--config", str(sqlite_world.config_file)) == (0, applied, "")
    assert run("migrate", "--config", str(sqlite_world.config_file)) == (
        0, "", "nothing to do: the schema is up to date\n")


def test_keys_new_adds_a_key_and_makes_it_current(sqlite_world):
    code, out, _ = run("keys", "new", "--kid", "2026-12", "--config", str(sqlite_world.config_file))
    signing = sqlite_world.secrets_dir / "signing"
    assert (code, out) == (0, f"{signing}/2026-12.pem\n")
    assert (signing / "current").read_text() == "2026-12\n"
    assert oct((signing / "2026-12.pem").stat().st_mode & 0o777) == "0o600"
    assert run("keys", "list", "--config", str(sqlite_world.config_file))[1] == (
        "2026-12  (current)\ntest-1\n")
    again = run("keys", "new", "--kid", "2026-12", "--config", str(sqlite_world.config_file))
    assert again == (1, "", f"licensed: {signing}/2026-12.pem exists; a key is never replaced\n")


def test_usage_errors_exit_2():
    assert run("frobnicate")[0] == 2
    assert run()[0] == 2


def test_no_path_in_settings_defaults_points_at_a_real_host():
    defaults = Settings()
    assert "example.com" in defaults.mail_sender
    assert Path(str(defaults.secrets_dir)) == Path("/srv/datatools-license/secrets")


def test_deliver_once_sends_what_is_due_and_says_how_it_went(sqlite_world):
    from tests.daemon.harness import Clock, LiveDaemon, gumroad_sale
    from datetime import datetime, timezone

    live = LiveDaemon(sqlite_world, Clock(datetime.now(timezone.utc))).start()
    try:
        live.ping(gumroad_sale("CRON-1"))
    finally:
        live.stop()
    config = str(sqlite_world.config_file)
    assert run("deliver", "--once", "--config", config)[:2] == (
        0, "sent 0, spooled 1, retrying 0, failed 0, cancelled 0\n")
    assert run("deliver", "--once", "--config", config)[:2] == (
        0, "sent 0, spooled 0, retrying 0, failed 0, cancelled 0\n")
    assert len(list(sqlite_world.mail_spool_dir.glob("*.eml"))) == 1


def test_serve_with_a_broken_query_file_prints_one_line_and_exits_1(sqlite_world, tmp_path):
    # An installed copy of the daemon (licensed/ with sql/ as its package data licensed/sql/,
    # as the wheel lays it out) whose SQL an operator's bad edit broke: a query without its kind.
    root = Path(__file__).resolve().parents[2]
    install = tmp_path / "install"
    shutil.copytree(root / "licensed", install / "licensed",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "sql", install / "licensed" / "sql")
    broken = install / "licensed" / "sql" / "queries" / "licenses.sql"
    broken.write_text(broken.read_text().replace("-- name: license_by_id :one -> License",
                                                 "-- name: license_by_id"))
    line = broken.read_text().splitlines().index("-- name: license_by_id") + 1
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(install), str(root)])}
    result = subprocess.run(
        [sys.executable, "-m", "licensed", "serve", "--config", str(sqlite_world.config_file)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == (f"licensed: {broken}:{line}: query license_by_id needs a kind, one "
                             "of :one, :many, :scalar, :exec\n")


def test_several_processes_need_postgresql(tmp_path):
    config = tmp_path / "licensed.toml"
    config.write_text('[server]\nprocesses = 2\n[database]\nurl = "sqlite:///x.db"\n')
    with pytest.raises(ConfigError, match="processes above 1 needs PostgreSQL"):
        load_settings(config, {})
    with pytest.raises(ConfigError, match=r"processes must be 1-16, not 0"):
        load_settings(config, {"LICENSED_SERVER_PROCESSES": "0"})


def test_the_start_line_says_where_the_settings_came_from_or_that_none_were_found(sqlite_world, tmp_path,
                                                                                  monkeypatch):
    import licensed.serving
    import licensed.settings
    from licensed.serving import settings_source

    assert settings_source(sqlite_world) == f"settings from {sqlite_world.config_file}"
    # The default path points into tmp_path, so no licensed.toml on this machine can answer.
    missing = tmp_path / "etc" / "licensed.toml"
    monkeypatch.setattr(licensed.settings, "DEFAULT_CONFIG", str(missing))
    monkeypatch.setattr(licensed.serving, "DEFAULT_CONFIG", str(missing))
    bare = load_settings(None, {"LICENSED_SECRETS_DIR": str(sqlite_world.secrets_dir)})
    assert bare.config_file is None
    assert settings_source(bare).startswith(f"no settings file at {missing}: built-in defaults")
