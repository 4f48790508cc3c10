"""Numbered migrations shipped in the package, run with Peewee's own playhouse.migrations runner.

The schema is only ever created by running these; nothing calls create_tables on the live models.
Each migration runs in one transaction together with its history row, so a failure leaves the
database as it was (PostgreSQL and SQLite both have transactional DDL).
"""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from peewee import PostgresqlDatabase, SqliteDatabase
from playhouse.migrations import Migration, MigrationError, Runner

from bgpub.db.fields import utcnow
from bgpub.errors import DatabaseUnavailable, InvalidInput

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
HISTORY_TABLE = "schema_migrations"
# Serialises concurrent `migrate`/`rollback` runs against one PostgreSQL database.
PG_LOCK_KEY = 0x6267707562  # "bgpub"


class BgpubRunner(Runner):
    """playhouse's Runner with UTC history dates, a foreign-key check on SQLite and readable errors."""

    def _run(self, name: str, module, direction: str, fake: bool = False) -> None:
        atomic = getattr(module, "atomic", True)
        try:
            with self.migrator.migration_context(atomic):
                getattr(module, direction)(self.migrator, self.database)
                self._check_foreign_keys(name)
                if direction == "up":
                    self.History.create(name=name, applied=utcnow())
                else:
                    self.History.delete().where(self.History.name == name).execute()
        except (
            Exception
        ) as exc:  # driver errors differ per backend; migration code may raise anything
            if _is_privilege_error(exc):
                raise _owner_error(exc, f"migration {name}") from exc
            detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            state = (
                "nothing was changed" if atomic else "it is NOT atomic and may be partly applied"
            )
            verb = "applying" if direction == "up" else "reverting"
            raise DatabaseUnavailable(
                f"{verb} failed ({state}): {detail}", where=f"migration {name}"
            ) from exc

    def up(self, target: str | None = None, fake: bool = False) -> list[str]:
        """Applies pending migrations; with nothing pending it touches nothing (no history table is
        created), so a member's login without CREATE rights can ask safely."""
        rows = [m for m in self.status() if m.path is not None]
        if target is not None and target not in {m.name for m in rows}:
            raise MigrationError(f'unknown migration "{target}".')
        waiting = []
        for m in rows:
            if m.applied is None:
                waiting.append(m)
            if m.name == target:
                break
        if not waiting:
            return []
        try:
            self.History.create_table()
        except Exception as exc:  # driver errors differ per backend
            raise _owner_error(exc, "migrations") from exc
        return super().up(target, fake)

    def _check_foreign_keys(self, name: str) -> None:
        """SQLite turns foreign keys off while migrating (a table rebuild needs it); check before commit."""
        if isinstance(self.database, SqliteDatabase):
            broken = self.database.execute_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                table, rowid, parent, _ = broken[0]
                raise ValueError(
                    f"{len(broken)} row(s) break a foreign key, e.g. {table} rowid {rowid} -> {parent}"
                )


def _is_privilege_error(exc: BaseException) -> bool:
    """PostgreSQL's insufficient_privilege (SQLSTATE 42501), whichever driver wrapper carries it."""
    for err in (exc, getattr(exc, "orig", None), exc.__cause__, exc.__context__):
        if getattr(err, "pgcode", None) == "42501":
            return True
    return "permission denied" in str(exc).lower()


def _owner_error(exc: BaseException, where: str) -> DatabaseUnavailable:
    """A migration attempted under a login without the rights to change the schema."""
    if _is_privilege_error(exc):
        return DatabaseUnavailable(
            "permission denied: this database login may not change the schema; migrations must be run "
            "by the database owner",
            where=where,
        )
    detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return DatabaseUnavailable(f"applying failed (nothing was changed): {detail}", where=where)


def runner(db, directory: Path | str | None = None) -> BgpubRunner:
    return BgpubRunner(_unwrap(db), str(directory or MIGRATIONS_DIR), table_name=HISTORY_TABLE)


def _unwrap(db):
    return getattr(db, "obj", None) or db


@contextmanager
def _exclusive(db):
    """On PostgreSQL a session advisory lock keeps two `bgpub db migrate` runs from interleaving."""
    db = _unwrap(db)
    if not isinstance(db, PostgresqlDatabase):
        yield
        return
    db.execute_sql("SELECT pg_advisory_lock(%s)", (PG_LOCK_KEY,))
    try:
        yield
    finally:
        db.execute_sql("SELECT pg_advisory_unlock(%s)", (PG_LOCK_KEY,))


def status(db, directory: Path | str | None = None) -> list[Migration]:
    """Every migration in order with its UTC `applied` time (None when pending; `path` None when the
    database knows a migration this bgpub does not ship)."""
    return runner(db, directory).status()


def pending(db, directory: Path | str | None = None) -> list[str]:
    """Names of migrations not yet applied, in order."""
    return [m.name for m in status(db, directory) if m.applied is None and m.path is not None]


def applied(db, directory: Path | str | None = None) -> dict[str, datetime]:
    return {m.name: m.applied for m in status(db, directory) if m.applied is not None}


def is_empty(db) -> bool:
    """True for a database with no bgpub tables at all (safe to migrate without asking)."""
    return not runner(db).History.table_exists()


def migrate(db, target: str | None = None, directory: Path | str | None = None) -> list[str]:
    """Applies pending migrations in order (through `target` if given); returns their names."""
    with _exclusive(db):
        try:
            return runner(db, directory).up(target)
        except MigrationError as exc:
            raise InvalidInput(str(exc), where="migrations") from exc


def rollback(db, steps: int = 1, directory: Path | str | None = None) -> list[str]:
    """Reverts the last `steps` applied migrations, newest first; each in its own transaction."""
    if steps < 1:
        raise InvalidInput(f"cannot roll back {steps} migrations; give 1 or more", where="rollback")
    with _exclusive(db):
        r = runner(db, directory)
        done = [m.name for m in r.status() if m.applied][::-1][:steps]
        if not done:
            return []
        try:
            return r.down(done[-1])
        except MigrationError as exc:
            raise InvalidInput(str(exc), where="rollback") from exc
