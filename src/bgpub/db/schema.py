"""Numbered migrations shipped in the package, run with Peewee's own playhouse.migrations runner.

The schema is only ever created by running these; nothing calls create_tables on the live models.
"""

from __future__ import annotations

from pathlib import Path

from playhouse.migrations import MigrationError, Runner

from bgpub.errors import DatabaseUnavailable

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HISTORY_TABLE = "schema_migrations"


def runner(db) -> Runner:
    return Runner(db, str(MIGRATIONS_DIR), table_name=HISTORY_TABLE)


def pending(db) -> list[str]:
    """Names of migrations not yet applied, in order."""
    return [m.name for m in runner(db).status() if m.applied is None and m.path is not None]


def is_empty(db) -> bool:
    """True for a database with no bgpub tables at all (safe to migrate without asking)."""
    return not runner(db).History.table_exists()


def migrate(db, target: str | None = None) -> list[str]:
    try:
        return runner(db).up(target)
    except MigrationError as exc:
        raise DatabaseUnavailable(str(exc), where="migrations") from exc


def rollback(db, steps: int = 1) -> list[str]:
    """Reverts the last `steps` applied migrations, newest first."""
    done: list[str] = []
    r = runner(db)
    for _ in range(steps):
        if not any(m.applied for m in r.status()):
            break
        done.extend(r.down())
    return done
