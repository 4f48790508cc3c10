"""Every database driver error that reaches a front end is one readable line (what failed, what to do),
never a traceback: the CLI exits non-zero, the editor shows a notification and keeps running."""

from __future__ import annotations

import asyncio
import importlib
import sqlite3

import peewee
import psycopg2
import pytest

from bgpub.errors import DatabaseBusy, DatabaseUnavailable, database_fault


def wrapped_by_peewee(error: Exception) -> Exception:
    """What Peewee really raises: its own class, wrapping the DB-API error it caught."""
    try:
        with peewee.__exception_wrapper__:
            raise error
    except peewee.PeeweeException as exc:
        return exc
    raise AssertionError("not wrapped")


# name -> (a factory of the error, a word the line must carry)
FAULTS = {
    "sqlite locked": (lambda: peewee.OperationalError("database is locked"), "locked"),
    "sqlite locked, raw driver": (lambda: sqlite3.OperationalError("database is locked"), "locked"),
    "sqlite table locked": (
        lambda: wrapped_by_peewee(sqlite3.OperationalError("database table is locked")),
        "locked",
    ),
    "postgres terminated": (
        lambda: wrapped_by_peewee(
            psycopg2.OperationalError(
                "terminating connection due to administrator command\nserver closed the connection unexpectedly"
            )
        ),
        "lost the connection",
    ),
    "postgres closed, raw driver": (
        lambda: psycopg2.InterfaceError("connection already closed"),
        "lost the connection",
    ),
    "peewee interface": (
        lambda: peewee.InterfaceError("connection already closed"),
        "lost the connection",
    ),
    "postgres down": (
        lambda: psycopg2.OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        ),
        "lost the connection",
    ),
    "integrity": (lambda: peewee.IntegrityError("UNIQUE constraint failed: pages.slug"), "refused"),
    "permission": (lambda: peewee.ProgrammingError("permission denied for table pages"), "refused"),
    "data": (lambda: peewee.DataError("value too long for type character varying(200)"), "refused"),
    "disk": (lambda: peewee.DatabaseError("database disk image is malformed"), "refused"),
    "not supported": (lambda: peewee.NotSupportedError("RETURNING is not supported"), "refused"),
}

# command -> (arguments, module and service the command calls)
COMMANDS = {
    "page set": (
        ["page", "set", "demo", "home", "--title", "New"],
        "bgpub.services.pages",
        "update_page",
    ),
    "page list": (["page", "list", "demo"], "bgpub.services.pages", "list_pages"),
    "publish": (["publish", "demo"], "bgpub.services.publishing", "publish_project"),
    "rollback": (["rollback", "demo", "1"], "bgpub.services.publishing", "rollback_project"),
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_database_errors_from_a_service_are_one_line(command, bgpub, monkeypatch):
    assert bgpub("new", "demo").code == 0
    args, module, name = COMMANDS[command]
    for fault, (make, word) in FAULTS.items():

        def failing(*_args, make=make, **_kwargs):
            raise make()

        monkeypatch.setattr(importlib.import_module(module), name, failing)
        done = bgpub(*args)
        lines = [line for line in done.err.splitlines() if line.strip()]
        assert done.code != 0, fault
        assert "Traceback" not in done.err + done.out, fault
        assert len(lines) == 1 and lines[0].startswith("error: database: "), (fault, done.err)
        assert word in lines[0], (fault, lines[0])


def test_the_mapping_knows_drivers_only():
    """Other errors stay what they are (a bug is not dressed up as a database problem)."""
    for error in (ValueError("database is locked"), KeyError("x"), OSError("disk I/O error")):
        assert database_fault(error) is None
    for fault, (make, _) in FAULTS.items():
        readable = database_fault(make())
        assert isinstance(readable, DatabaseUnavailable), fault
        assert isinstance(readable, DatabaseBusy) == ("locked" in fault), fault
        assert "\n" not in str(readable), fault


@pytest.mark.editor  # the faults are injected: SQLite only, like tests/tui
def test_the_editor_notifies_instead_of_stopping(workspace):
    """A driver error escaping a worker becomes a notification; the editor keeps running."""
    from bgpub.tui.app import make_app

    async def scenario() -> None:
        app = make_app(workspace)
        async with app.run_test(size=(100, 30)) as pilot:
            for fault, (make, word) in FAULTS.items():

                def fail(make=make):
                    raise make()

                app.run_worker(fail, thread=True, exit_on_error=True)
                for _ in range(1000):  # checked every 10 ms, for 10 s at least
                    if any(word in n.message for n in app._notifications):
                        break
                    await pilot.pause(0.01)
                messages = [n.message for n in app._notifications]
                assert any(word in m and m.startswith("database: ") for m in messages), (
                    fault,
                    messages,
                )
                assert app.is_running and app.return_code is None, fault
                app.clear_notifications()

    asyncio.run(scenario())
