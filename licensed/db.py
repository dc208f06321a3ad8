"""Database access: one interface over PostgreSQL (psycopg 3 pool) and SQLite (stdlib, WAL).

Callers open `db.transaction()` and run named queries on it: `tx.one("license_by_id", id=3)`.
Rows come back as the record the query names (licensed/records.py) with the same Python types
on both databases: timestamps as ISO 8601 UTC strings, booleans as bool, blobs as bytes.
No SQL text here: statements, PRAGMAs and transaction starts are named queries in sql/.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import weakref
from contextlib import contextmanager, nullcontext
from datetime import datetime, timezone
from typing import Any, Iterator, Mapping
from urllib.parse import unquote, urlsplit

from licensed.errors import BadRequest, StorageError
from licensed.queries import Query, load_queries
from licensed.records import RECORDS, from_row


def timestamp(moment: datetime) -> str:
    """The one spelling of a moment both databases store and return (sorts as text on SQLite)."""
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return timestamp(value)
    if isinstance(value, memoryview):
        return bytes(value)
    return value


def _column_names(cursor: Any, dialect: str) -> list[str]:
    """The result's column names. On PostgreSQL read from the result itself (psycopg's
    `Cursor.pgresult`, `PGresult.fname`): `cursor.description` builds a Column object with
    its type information for each column on every access, a fifth of a mint's CPU in the
    profile of decision 185 (licenses rows have 25 columns)."""
    if dialect == "pg":
        result = cursor.pgresult
        return [result.fname(i).decode() for i in range(result.nfields)]
    return [d[0] for d in cursor.description]


class Transaction:
    """Runs named queries inside one open transaction."""

    def __init__(self, cursor: Any, queries: Mapping[str, Query], dialect: str):
        self._cursor = cursor
        self._queries = queries
        self.dialect = dialect

    def _run(self, name: str, params: dict[str, Any], kind: str) -> Any:
        query = self._queries[name]
        if query.kind != kind:
            raise TypeError(f"query {name} is :{query.kind}, called as :{kind}")
        if set(params) != query.params:
            raise TypeError(
                f"query {name} ({query.origin}) takes {sorted(query.params)}, got {sorted(params)}"
            )
        if self.dialect == "sqlite":
            params = {k: timestamp(v) if isinstance(v, datetime) else v for k, v in params.items()}
        self._cursor.execute(query.sql, params)
        return self._cursor

    def _records(self, name: str, cursor: Any) -> list[Any]:
        record = RECORDS[self._queries[name].record or ""]
        columns = _column_names(cursor, self.dialect)
        return [
            from_row(record, {c: _plain(v) for c, v in zip(columns, row)})
            for row in cursor.fetchall()
        ]

    def one(self, name: str, /, **params: Any) -> Any:
        """The first row as the query's record (licensed/records.py), or None."""
        rows = self._records(name, self._run(name, params, "one"))
        return rows[0] if rows else None

    def many(self, name: str, /, **params: Any) -> list[Any]:
        """Every row, each as the query's record."""
        return self._records(name, self._run(name, params, "many"))

    def scalar(self, name: str, /, **params: Any) -> Any:
        """The first column of the first row, or None when there is no row."""
        row = self._run(name, params, "scalar").fetchone()
        return None if row is None else _plain(row[0])

    def exec(self, name: str, /, **params: Any) -> int:
        """Run a statement; returns the driver's row count."""
        return self._run(name, params, "exec").rowcount

    def script(self, sql: str) -> None:
        """Run a migration script (several statements, no parameters) in this transaction."""
        if self.dialect == "pg":
            self._cursor.execute(sql)
            return
        # executescript() would COMMIT first; run statement by statement to stay atomic.
        pending = ""
        for line in sql.splitlines(keepends=True):
            pending += line
            if sqlite3.complete_statement(pending):
                self._cursor.execute(pending)
                pending = ""
        if pending.strip() and not all(
            part.strip().startswith("--") or not part.strip() for part in pending.splitlines()
        ):
            raise StorageError("migration script ends in an unfinished statement")


def _create_private(path: str) -> None:
    """Create a missing database file with mode 0600 before SQLite opens it.

    It holds buyers' names, e-mail addresses and license blobs. Under systemd the unit's
    UMask=0077 gives the same, but a daemon started by hand (or by `make run`) would get 0644
    from a usual umask. SQLite gives its -wal and -shm files the database file's mode
    (os_unix.c, findCreateFileMode). An existing file keeps its mode.
    """
    if path == ":memory:" or path.startswith("file:"):
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        pass
    except OSError as exc:
        raise StorageError(f"cannot open SQLite database {path}: {exc.strerror}") from exc


class SqliteDatabase:
    """SQLite in WAL mode: one connection per thread, and one writer at a time in this process.

    The in-process write lock keeps concurrent webhooks from spinning on SQLITE_BUSY (a long
    tail: WAL admits one writer at a time, sqlite.org/wal.html); `busy_timeout` covers other
    processes such as `licensed deliver --once`.
    """

    dialect = "sqlite"

    def __init__(self, path: str):
        self.path = path
        _create_private(path)
        self.queries = load_queries("sqlite")
        self._local = threading.local()
        self._write_lock = threading.Lock()
        self._connections: list[sqlite3.Connection] = []
        self._connections_lock = threading.Lock()

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                # Used by its own thread only; close() may run on another one at shutdown.
                # timeout= is SQLite's busy timeout; isolation_level=None: we start
                # transactions ourselves (sqlite_begin_*), never the driver implicitly.
                conn = sqlite3.connect(self.path, isolation_level=None, timeout=30,
                                       check_same_thread=False)
                conn.execute(self.queries["sqlite_journal_wal"].sql)
                conn.execute(self.queries["sqlite_foreign_keys"].sql)
            except sqlite3.Error as exc:
                raise StorageError(f"cannot open SQLite database {self.path}: {exc}") from exc
            self._local.conn = conn
            with self._connections_lock:
                self._connections.append(conn)
        return conn

    @contextmanager
    def transaction(self, *, write: bool = True, timeout: float | None = None,
                    snapshot: bool = True) -> Iterator[Transaction]:
        """One transaction on this thread's connection (`snapshot` is PostgreSQL's; a read
        transaction costs SQLite no round trip)."""
        conn = self._connection()
        lock = self._write_lock if write else None
        if lock is not None:
            lock.acquire()
        try:
            cursor = conn.cursor()
            try:
                cursor.execute(self.queries["sqlite_begin_write" if write else "sqlite_begin_read"].sql)
                yield Transaction(cursor, self.queries, self.dialect)
                conn.commit()
            except BaseException:
                conn.rollback()
                raise
        except (OverflowError, sqlite3.DataError) as exc:
            # A value past SQLite's 64-bit integers (or a blob too big): the input's fault.
            raise BadRequest(f"a value cannot be stored: {first_line(exc)}",
                             code="invalid_value") from exc
        except sqlite3.Error as exc:
            raise StorageError(f"database error: {exc}") from exc
        finally:
            if lock is not None:
                lock.release()

    def close(self) -> None:
        with self._connections_lock:
            for conn in self._connections:
                conn.close()
            self._connections.clear()


# Seconds after a connection finished a transaction during which the pool hands it out again
# without its check (an empty query: one more round trip per transaction, a tenth of a mint's
# SQL in the profile of DECISIONS 185). A connection that broke meanwhile fails its next
# statement instead: that request answers 503 (the storefront retries), and the pool discards
# the connection when it comes back. One idle for longer is checked as before, so after an
# outage of more than this the first requests find fresh connections.
RECENTLY_USED = 2.0


class PostgresDatabase:
    """PostgreSQL through a psycopg_pool connection pool sized to the server's threads."""

    dialect = "pg"

    def __init__(self, url: str, *, password: str | None, size: int, timeout: float = 5.0,
                 wait: float = 1.0):
        import psycopg
        from psycopg_pool import ConnectionPool, PoolTimeout

        self._errors: tuple[type[BaseException], ...] = (psycopg.Error, PoolTimeout)
        # Failures that say the server is gone (not that one statement was wrong).
        self._outages: tuple[type[BaseException], ...] = (
            PoolTimeout, psycopg.OperationalError, psycopg.InterfaceError)
        self._data_errors: tuple[type[BaseException], ...] = (psycopg.DataError,)
        self.queries = load_queries("pg")
        # How long a request waits for a connection: short, so a webhook answers 503 well
        # inside Gumroad's 5 s (a timeout is never retried; a 503 is).
        self.timeout = wait
        self.health = Health()
        kwargs: dict[str, Any] = {"autocommit": True, "connect_timeout": max(1, int(timeout))}
        if password is not None:
            kwargs["password"] = password
        place = pg_place(url)
        try:
            # One direct connection first: it fails at once, with the server's own reason,
            # where the pool would retry quietly until its timeout.
            psycopg.connect(url, **kwargs).close()
        except psycopg.Error as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise StorageError(f"cannot reach PostgreSQL at {place}: {reason}") from exc
        # When each pooled connection last finished a transaction (time.monotonic()).
        self._finished: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        self._check_connection = ConnectionPool.check_connection
        self._pool = ConnectionPool(
            url, min_size=1, max_size=size, kwargs=kwargs, open=False, timeout=timeout,
            check=self._check, name="licensed",
        )
        try:
            self._pool.open(wait=True, timeout=timeout)
        except self._errors as exc:
            self._pool.close()
            raise StorageError(f"cannot reach PostgreSQL at {place} within {timeout:g} s") from exc

    @contextmanager
    def transaction(self, *, write: bool = True, timeout: float | None = None,
                    snapshot: bool = True) -> Iterator[Transaction]:
        """One transaction on a pooled connection. While the server is known to be down, only
        one caller at a time probes it (waiting at most `timeout`); the rest fail at once.

        `snapshot=False` with `write=False`: reads that need no common view, each statement
        on its own (autocommit), without the BEGIN and COMMIT round trips."""
        probing = self.health.enter()
        try:
            with self._pool.connection(timeout=timeout or self.timeout) as conn:
                with conn.transaction() if write or snapshot else nullcontext():
                    with conn.cursor() as cursor:
                        yield Transaction(cursor, self.queries, self.dialect)
                self._finished[conn] = time.monotonic()
        except self._data_errors as exc:
            self.health.leave(probing, up=True)
            raise BadRequest(f"a value cannot be stored: {first_line(exc)}",
                             code="invalid_value") from exc
        except self._errors as exc:
            self.health.leave(probing, up=not isinstance(exc, self._outages), reason=first_line(exc))
            raise StorageError(f"database error: {first_line(exc)}") from exc
        except BaseException:
            self.health.leave(probing, up=True)
            raise
        self.health.leave(probing, up=True)

    def _check(self, conn: Any) -> None:
        """The pool's check on checkout, skipped for a connection used RECENTLY_USED ago."""
        finished = self._finished.get(conn)
        if finished is not None and time.monotonic() - finished < RECENTLY_USED:
            return
        self._check_connection(conn)

    def close(self) -> None:
        self._pool.close()


Database = SqliteDatabase | PostgresDatabase


def first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


class Health:
    """Whether the database server answered last time, shared by every thread of a process.

    After an outage (a connection that failed or could not be had in time) the server is
    "down": one request at a time probes it, every other one is refused at once — so a
    webhook answers 503 in microseconds instead of queueing for the pool's timeout, and the
    storefront's 5 s deadline is never reached. The first success marks it up again.
    """

    def __init__(self) -> None:
        self.down = False
        self.reason = ""
        self._probe = threading.Lock()

    def enter(self) -> bool:
        """Before a transaction: False when the server is up; True when this caller is the
        probe. Raises StorageError when it is down and another caller is probing already."""
        if not self.down:
            return False
        if not self._probe.acquire(blocking=False):
            raise StorageError(f"database unavailable: {self.reason}")
        return True

    def leave(self, probing: bool, *, up: bool, reason: str = "") -> None:
        if up:
            self.down = False
        else:
            self.down, self.reason = True, reason
        if probing:
            self._probe.release()


def pg_place(url: str) -> str:
    """`host:port/database` of a PostgreSQL URL, for messages (no user, no password)."""
    where = urlsplit(url)
    return f"{where.hostname or 'localhost'}:{where.port or 5432}/{unquote(where.path.lstrip('/'))}"


def sqlite_path(url: str) -> str:
    """The file a `sqlite:///path` URL names; the path is absolute (`sqlite:////x` works too)."""
    path = unquote(url.removeprefix("sqlite://"))
    return "/" + path.lstrip("/")


def open_database(url: str, *, password: str | None = None, pool_size: int = 8) -> Database:
    """Connect to the database a `sqlite:///path` or `postgresql://…` URL names.

    Raises StorageError when it cannot be reached, so a daemon refuses to start without it.
    """
    if url.startswith("sqlite:///"):
        db = SqliteDatabase(sqlite_path(url))
        with db.transaction(write=False) as tx:
            tx.scalar("ping")
        return db
    return PostgresDatabase(url, password=password, size=pool_size)
