"""The one database handle: a proxy initialised once from a URL, SQLite or PostgreSQL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from peewee import DatabaseProxy, PostgresqlDatabase, SqliteDatabase

from bgpub.errors import DatabaseUnavailable, InvalidInput

database = DatabaseProxy()

SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10000,
    "synchronous": "normal",
}

# Custom column types: JSON is JSONB on PostgreSQL and JSON text on SQLite; string arrays are TEXT[].
SQLITE_FIELD_TYPES = {"JSONB": "JSON", "TEXTARRAY": "JSON"}
POSTGRES_FIELD_TYPES = {"JSONB": "JSONB", "TEXTARRAY": "TEXT[]"}


def connect_url(url: str):
    """A new, unbound Database for the URL; used for the main handle and for side connections (locks, LISTEN)."""
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme == "sqlite":
        raw = url[len("sqlite:///"):] if url.startswith("sqlite:///") else parsed.path
        if not raw or raw == ":memory:":
            raise InvalidInput("an in-memory SQLite database cannot be shared; give a file path", where=url)
        path = Path(raw).expanduser()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise DatabaseUnavailable(
                f"cannot create the folder {str(path.parent)!r}: {exc.strerror or exc}", where=url
            ) from exc
        return SqliteDatabase(str(path), pragmas=SQLITE_PRAGMAS, field_types=SQLITE_FIELD_TYPES)
    if scheme in ("postgres", "postgresql"):
        if not parsed.path.strip("/"):
            raise InvalidInput("the PostgreSQL URL names no database", where=url)
        return PostgresqlDatabase(
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


def redact(url: str) -> str:
    """The URL with any password hidden, fit for error messages and logs."""
    parsed = urlparse(url)
    if parsed.password:
        return url.replace(f":{parsed.password}@", ":***@")
    return url
