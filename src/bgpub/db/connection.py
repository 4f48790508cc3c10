"""The one database handle: a proxy initialised once from a URL, SQLite or PostgreSQL."""

from __future__ import annotations

import math
import os
from pathlib import Path
from urllib.parse import urlparse

from peewee import DatabaseProxy, IndexMetadata, PostgresqlDatabase, SqliteDatabase

from bgpub.errors import DatabaseUnavailable, InvalidInput

database = DatabaseProxy()

BUSY_TIMEOUT_ENV = "BGPUB_SQLITE_BUSY_TIMEOUT"
DEFAULT_BUSY_TIMEOUT = 10.0  # seconds a SQLite writer waits for another process's write lock

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "normal",
}

# Every SQLite transaction takes the write lock when it begins (BEGIN IMMEDIATE), waiting the busy
# timeout for it. A deferred BEGIN that has read and then writes cannot wait: SQLite refuses the
# upgrade at once ("database is locked") when another connection holds the write lock, since
# waiting could deadlock or write over a stale snapshot.
SQLITE_LOCK_TYPE = "IMMEDIATE"

# Custom column types: JSON is JSONB on PostgreSQL and JSON text on SQLite; string arrays are TEXT[].
SQLITE_FIELD_TYPES = {"JSONB": "JSON", "TEXTARRAY": "JSON"}
POSTGRES_FIELD_TYPES = {"JSONB": "JSONB", "TEXTARRAY": "TEXT[]"}


class PartitionAwarePostgresqlDatabase(PostgresqlDatabase):
    """PostgreSQL whose introspection also lists a partitioned table's indexes (Peewee's reads only
    plain tables'; page_views is partitioned by month since migration 0016)."""

    def get_indexes(self, table, schema=None):
        found = super().get_indexes(table, schema)
        if found:
            return found
        rows = self.execute_sql(
            "SELECT i.relname, pg_get_indexdef(idx.indexrelid), idx.indisunique, ARRAY("
            "SELECT pg_get_indexdef(idx.indexrelid, k + 1, TRUE) "
            "FROM generate_subscripts(idx.indkey, 1) AS k ORDER BY k) "
            "FROM pg_class t JOIN pg_namespace n ON t.relnamespace = n.oid "
            "JOIN pg_index idx ON t.oid = idx.indrelid JOIN pg_class i ON idx.indexrelid = i.oid "
            "WHERE t.relname = %s AND t.relkind = 'p' AND n.nspname = COALESCE(%s, current_schema()) "
            "ORDER BY idx.indisunique DESC, i.relname",
            (table, schema),
        ).fetchall()
        return [
            IndexMetadata(name, sql.rstrip(" ;"), [c.strip('"') for c in cols], unique, table)
            for name, sql, unique, cols in rows
        ]


def connect_url(url: str):
    """A new, unbound Database for the URL; used for the main handle and for side connections (locks, LISTEN)."""
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme == "sqlite":
        raw = url[len("sqlite:///") :] if url.startswith("sqlite:///") else parsed.path
        if not raw or raw == ":memory:":
            raise InvalidInput(
                "an in-memory SQLite database cannot be shared; give a file path", where=url
            )
        path = Path(raw).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"cannot create the folder {str(path.parent)!r}: {exc.strerror or exc}", where=url
            ) from exc
        timeout = busy_timeout()
        # busy_timeout first: the pragmas after it (journal_mode) may already need a lock
        pragmas = {"busy_timeout": int(timeout * 1000), **SQLITE_PRAGMAS}
        return SqliteDatabase(
            str(path),
            pragmas=pragmas,
            timeout=timeout,
            lock_type=SQLITE_LOCK_TYPE,
            field_types=SQLITE_FIELD_TYPES,
        )
    if scheme in ("postgres", "postgresql"):
        if not parsed.path.strip("/"):
            raise InvalidInput("the PostgreSQL URL names no database", where=url)
        return PartitionAwarePostgresqlDatabase(
            parsed.path.lstrip("/"),
            user=parsed.username,
            password=parsed.password,
            host=parsed.hostname,
            port=parsed.port,
            field_types=POSTGRES_FIELD_TYPES,
            connect_timeout=5,
        )
    raise InvalidInput(
        f"unsupported database URL scheme {scheme or '(none)'!r}; use sqlite:///PATH or postgresql://...",
        where="database URL",
    )


def busy_timeout() -> float:
    """Seconds a SQLite writer waits for the write lock: BGPUB_SQLITE_BUSY_TIMEOUT, else 10."""
    raw = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not raw:
        return DEFAULT_BUSY_TIMEOUT
    try:
        value = float(raw)
    except ValueError:
        value = -1.0
    if not math.isfinite(value) or value < 0:
        raise InvalidInput(
            f"must be a number of seconds (0 or more), got {raw!r}", where=BUSY_TIMEOUT_ENV
        )
    return value


def init_database(url: str):
    """Points the proxy at the database named by URL and checks that it answers."""
    db = connect_url(url)
    database.initialize(db)
    try:
        db.connect(reuse_if_open=True)
    except Exception as exc:  # the driver's own error types differ per backend
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseUnavailable(f"cannot connect: {detail}", where=redact(url)) from exc
    return db


def is_postgres() -> bool:
    return isinstance(database.obj, PostgresqlDatabase)


def connection_usable() -> bool:
    """Whether the handle's connection still answers (False once the server dropped it)."""
    return database.obj is not None and database.obj.is_connection_usable()


def reconnect() -> None:
    """Drops the handle's dead connection and opens a new one (outside any transaction); raises
    DatabaseUnavailable when the database still cannot be reached."""
    db = database.obj
    try:
        db.close()
    except Exception:  # closing a broken connection may fail; Peewee forgets it either way
        pass
    try:
        db.connect()
    except Exception as exc:  # the driver's own error types differ per backend
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise DatabaseUnavailable(f"cannot reconnect: {detail}", where="database") from exc


def redact(url: str) -> str:
    """The URL with any password hidden, fit for error messages and logs."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url
