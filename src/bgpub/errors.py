"""The errors users can read: every failure that reaches the CLI, the TUI or the preview is one of these."""

from __future__ import annotations

from bgpub.domain.locations import Location


class BgpubError(Exception):
    """Base of every error meant for a person: the message says what is wrong and where.

    `where` is free text (`themes/aurora/templates/base.html:12`) or a structured `Location`; either
    way `self.where` is the text people read, and `self.location` keeps the fields (project, page,
    block, prop path) for front ends that point at the place instead of printing it.
    """

    exit_code = 1

    def __init__(
        self, message: str, *, where: str | Location | None = None, field: str | None = None
    ):
        self.message = message
        self.location = where if isinstance(where, Location) else None
        self.where = None if where is None else str(where)
        self.field = field
        super().__init__(self.__str__())

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class NotFound(BgpubError):
    """A named thing (project, page, user, version...) does not exist."""


class Conflict(BgpubError):
    """The change collides with existing data: a duplicate, a stale edit, a publish already running."""


class InvalidInput(BgpubError):
    """A value given by the user is malformed or outside what is allowed."""

    exit_code = 2


class PermissionDenied(BgpubError):
    """The acting user's role (or the organization's subscription) does not allow the operation."""


class LimitExceeded(PermissionDenied):
    """A subscription limit (projects, storage) would be exceeded."""


class RenderError(BgpubError):
    """A project cannot be rendered: a bad prop, a missing asset, a broken template."""


class PublishError(BgpubError):
    """A deploy could not be completed or verified."""


class DatabaseUnavailable(BgpubError):
    """The configured database cannot be reached or is not migrated."""


class DatabaseBusy(DatabaseUnavailable):
    """Another writer held the database longer than this one waits, or a concurrent change collided."""


# -- driver errors as readable ones ---------------------------------------------------------------
# The one place where a database driver's exception (Peewee, sqlite3, psycopg2) becomes a line a
# person can act on: front ends (the CLI's main, the editor's exception hook) call `database_fault`.
# The drivers are recognised by module, not imported: this module stays importable from every layer.
DRIVER_MODULES = frozenset({"peewee", "sqlite3", "_sqlite3", "psycopg2", "psycopg"})
BUSY_CODES = frozenset(
    {"40001", "40P01", "55P03"}
)  # serialization failure, deadlock, lock not available
LOST_PHRASES = (
    "server closed the connection",
    "terminating connection",
    "connection already closed",
    "could not connect",
    "connection refused",
    "ssl connection has been closed",
    "connection timed out",
    "no connection to the server",
    "the database system is",
    "lost synchronization with server",
    "connection is closed",
    "cannot operate on a closed",
)


def _driver_chain(exc: BaseException) -> list[BaseException]:
    """The driver exceptions behind `exc`: Peewee wraps the DB-API error it re-raises."""
    found: list[BaseException] = []
    todo: list[BaseException | None] = [exc]
    while todo and len(found) < 8:
        item = todo.pop(0)
        if item is None or item in found:
            continue
        if not any(cls.__module__.split(".")[0] in DRIVER_MODULES for cls in type(item).__mro__):
            continue
        found.append(item)
        todo += [
            item.__cause__,
            item.__context__,
            *(a for a in item.args[:1] if isinstance(a, BaseException)),
        ]
    return found


def database_fault(exc: BaseException) -> DatabaseUnavailable | None:
    """The readable error for a database driver's exception (what failed, what to do), else None."""
    chain = _driver_chain(exc)
    if not chain:
        return None
    lines = (str(exc).strip() or type(exc).__name__).splitlines()
    detail = lines[0].strip()
    text = " ".join(str(e) for e in chain).lower()
    codes = {getattr(e, "pgcode", None) or "" for e in chain}
    names = {type(e).__name__ for e in chain}
    sqlite_names = {getattr(e, "sqlite_errorname", "") or "" for e in chain}
    if (
        "database is locked" in text
        or "database table is locked" in text
        or any(n.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) for n in sqlite_names)
    ):
        return DatabaseBusy(
            "another process kept the database locked for longer than bgpub waits for it; the step that"
            " needed it wrote nothing. Run the command again when the other one ends"
            " (BGPUB_SQLITE_BUSY_TIMEOUT sets the wait, in seconds)",
            where="database",
        )
    if codes & BUSY_CODES:
        return DatabaseBusy(
            f"a concurrent change collided with this one ({detail}); it was rolled back."
            " Run the command again",
            where="database",
        )
    if (
        "InterfaceError" in names
        or any(c.startswith(("08", "57P")) for c in codes)
        or any(phrase in text for phrase in LOST_PHRASES)
    ):
        return DatabaseUnavailable(
            f"lost the connection to the database ({detail}); the unfinished step was rolled back."
            " Check that the database server is running and reachable, then run the command again",
            where="database",
        )
    return DatabaseUnavailable(
        f"the database refused the operation ({type(chain[0]).__name__}: {detail}); it was rolled back."
        " If it happens again, check 'bgpub db status'",
        where="database",
    )


def failure_text(exc: BaseException) -> str:
    """What a front end shows for an exception that is not a BgpubError: the readable database line when
    a driver raised it, else the exception's type and message (never a traceback)."""
    fault = database_fault(exc)
    return str(fault) if fault is not None else f"{type(exc).__name__}: {exc}"
