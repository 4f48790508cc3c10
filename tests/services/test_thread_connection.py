"""`thread_connection`, how the editor's worker threads reach the database, on both databases: a
thread without a connection gets one for the call and none afterwards (an idle one would pin a
PostgreSQL backend); a thread that already had one keeps it. The editor's tests run on SQLite only,
so this is the PostgreSQL proof."""

from __future__ import annotations

import threading

from bgpub.db.connection import database
from bgpub.services.projects import create_project, list_projects
from bgpub.services.workspace import thread_connection


def test_a_worker_thread_holds_a_connection_only_for_the_call(actor):
    create_project(actor, "demo")
    seen: dict[str, object] = {}

    def worker() -> None:
        seen["before"] = database.is_closed()
        with thread_connection():
            seen["during"] = database.is_closed()
            seen["names"] = [p.name for p in list_projects(actor)]
        seen["after"] = database.is_closed()

    thread = threading.Thread(target=worker)
    thread.start()
    thread.join(timeout=60)
    assert seen == {"before": True, "during": False, "names": ["demo"], "after": True}


def test_a_thread_that_had_a_connection_keeps_it(actor):
    create_project(actor, "demo")
    assert not database.is_closed()
    with thread_connection():
        assert [p.name for p in list_projects(actor)] == ["demo"]
    assert not database.is_closed()
