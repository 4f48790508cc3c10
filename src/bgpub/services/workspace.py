"""Opening a workspace: settings, the migrated database and the acting user, shared by every front end."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING

from bgpub.config import Settings, load_settings
from bgpub.db import schema
from bgpub.db.connection import init_database, redact
from bgpub.errors import DatabaseUnavailable

if TYPE_CHECKING:
    from pathlib import Path

    from bgpub.db.models import User


@dataclass
class Workspace:
    """The services' view of one database: built once by a front end (CLI, TUI, preview, tests)."""

    settings: Settings
    as_email: str | None = None
    _actor: User | None = field(default=None, repr=False)

    @cached_property
    def actor(self) -> User:
        from bgpub.services.actors import resolve_actor

        return resolve_actor(self.settings, self.as_email)


def open_workspace(
    database_url: str | None = None,
    as_email: str | None = None,
    *,
    workspace_path: Path | None = None,
    migrate_new: bool = True,
    check_migrations: bool = True,
) -> Workspace:
    """Connects, migrates a brand-new database, and refuses to run on one with pending migrations."""
    settings = load_settings(database_url, workspace_path)
    db = init_database(settings.database_url)
    if check_migrations:
        if migrate_new and schema.is_empty(db):
            schema.migrate(db)
        waiting = schema.pending(db)
        if waiting:
            raise DatabaseUnavailable(
                f"{len(waiting)} migration(s) pending ({', '.join(waiting)}); run 'bgpub db migrate'",
                where=redact(settings.database_url),
            )
    return Workspace(settings=settings, as_email=as_email)


@contextmanager
def thread_connection() -> Iterator[None]:
    """This thread's database connection for one call, closed afterwards if the call opened it.

    A front end that calls services from worker threads (the editor) holds no connection between
    calls: Peewee's connections are per thread, and an idle one would pin a PostgreSQL backend."""
    from bgpub.db.connection import database

    opened = database.is_closed()
    if opened:
        database.connect()
    try:
        yield
    finally:
        if opened and not database.is_closed():
            database.close()
