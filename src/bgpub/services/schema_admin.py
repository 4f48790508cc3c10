"""Database administration for `bgpub db`: migration status, migrate, roll back, the ER diagram.

These act on the schema, not on a project, so they take the open database handle rather than an
actor (the login's own privileges decide: a login that may not change the schema gets one clear
error from `db.schema`). They live here so the CLI never touches peewee or the migration runner, and
so a driver error becomes one `DatabaseUnavailable` line instead of a traceback.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from peewee import PeeweeException

from bgpub.db import schema
from bgpub.db.connection import database
from bgpub.errors import DatabaseUnavailable

T = TypeVar("T")


@dataclass(frozen=True)
class MigrationState:
    """One shipped or applied migration: `applied` is None while pending; `shipped` is False when the
    database knows a migration this bgpub does not (the database is newer)."""

    name: str
    applied: datetime | None
    shipped: bool


def _driver_errors() -> tuple[type[BaseException], ...]:
    errors: tuple[type[BaseException], ...] = (PeeweeException,)
    try:
        import psycopg2

        errors += (psycopg2.Error,)
    except ImportError:  # SQLite-only installs
        pass
    return errors


@contextmanager
def driver_errors_as(where: str) -> Iterator[None]:
    """Turns any database driver error inside the block into one `DatabaseUnavailable` naming `where`."""
    try:
        yield
    except _driver_errors() as exc:
        detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        raise DatabaseUnavailable(detail, where=where) from exc


def _on_database(action: Callable[[object], T]) -> T:
    return action(database.obj)


def migration_states() -> list[MigrationState]:
    """Every migration in order: applied (with its UTC date) or pending."""
    return [
        MigrationState(m.name, m.applied, m.path is not None) for m in _on_database(schema.status)
    ]


def migrate(target: str | None = None) -> list[str]:
    """Applies pending migrations in order (through `target`); returns their names."""
    return _on_database(lambda db: schema.migrate(db, target))


def applied_newest_first(steps: int) -> list[str]:
    """The names `rollback(steps)` would revert, newest first."""
    return list(_on_database(schema.applied))[::-1][:steps]


def rollback(steps: int) -> list[str]:
    """Reverts the last `steps` applied migrations, newest first; returns their names."""
    return _on_database(lambda db: schema.rollback(db, steps))


def entity_diagram(*, all_columns: bool = False) -> str:
    """A Mermaid ER diagram of every table, generated from the models (no database needed)."""
    from bgpub.db.erd import mermaid_erd

    return mermaid_erd(all_columns=all_columns)
