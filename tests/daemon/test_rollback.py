"""Rolling back the code over a schema a newer release migrated: refused, in one line naming the
migrations this release does not know (`licensed serve`, `licensed migrate`, and so the install
script), instead of "nothing to do: the schema is up to date" and serving."""

from __future__ import annotations

import io

from licensed import cli as licensed_cli
from licensed.db import open_database
from licensed.migrate import find_migrations


def licensed(world, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = licensed_cli.main([*argv, "--config", str(world.config_file)], out, err)
    return code, out.getvalue(), err.getvalue()


def test_older_code_refuses_a_schema_with_migrations_it_does_not_know(world):
    assert licensed(world, "migrate")[0] == 0
    db = open_database(world.database_url, pool_size=1)
    newest = max(m.version for m in find_migrations(db.dialect))
    try:
        with db.transaction() as tx:  # what the newer release's `licensed migrate` recorded
            for version, name in ((newest + 1, "subscriptions"), (newest + 2, "seat_pools")):
                tx.exec("record_migration", version=version, name=name,
                        applied_at="2026-12-01T00:00:00+00:00")
    finally:
        db.close()
    message = (f"licensed: the database has 2 migration(s) this release does not know "
               f"({newest + 1:03d}_subscriptions, {newest + 2:03d}_seat_pools): a newer release "
               f"upgraded it; run that release, or restore the backup taken before the upgrade "
               f"(docs/SETUP-LICENSE-SERVER.md, \"Upgrade and rollback\")\n")
    assert licensed(world, "migrate") == (1, "", message)
    assert licensed(world, "serve") == (1, "", message)
    assert licensed(world, "serve", "--migrate") == (1, "", message)
