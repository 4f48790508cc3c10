"""Hearing, on PostgreSQL, that a project changed in the database, whichever process or machine changed it.

Every content-changing service bumps `Project.revision`; migrations 0006 and 0009 make that bump send
`NOTIFY bgpub_project_changed` with an empty payload (any login may LISTEN, so a notice names nothing
another organization may not see). The listener holds its own connection, receives the notice at
commit and re-reads its own project's revision under its own login, so row-level security decides
what it may learn. It lives in services because it is a query: the preview (a front end) only hands
it a callback.
"""

from __future__ import annotations

import select
import sys
import threading
from collections.abc import Callable
from typing import Any

CHANNEL = "bgpub_project_changed"


class ProjectListener:
    """LISTENs on PostgreSQL for change notices and calls `on_change` when its project's revision moved;
    reconnects (and re-renders) after a drop."""

    def __init__(
        self,
        database_url: str,
        project_id: str,
        on_change: Callable[[], None],
        *,
        reconnect_delay: float = 1.0,
    ):
        self.database_url = database_url
        self.project_id = project_id
        self._on_change = on_change
        self.reconnect_delay = reconnect_delay
        self._stop = threading.Event()
        self._listening = threading.Event()
        self._thread: threading.Thread | None = None
        self._revision: int | None = None

    def start(self, wait: float = 5.0) -> ProjectListener:
        """Starts listening; returns once LISTEN is active (so no change after start() is missed)."""
        self._thread = threading.Thread(target=self._run, name="bgpub-preview-listen", daemon=True)
        self._thread.start()
        self._listening.wait(wait)
        return self

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    @property
    def revision(self) -> int | None:
        """The project's revision last read (None: gone, or not visible to this login)."""
        return self._revision

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _connect(self) -> tuple[Any, Any]:  # (peewee database, its DB-API connection)
        from bgpub.db.connection import connect_url

        db = connect_url(self.database_url)
        db.connect()
        conn = db.connection()
        conn.autocommit = True
        # Read first: a new listener's session then shows its LISTEN in pg_stat_activity; a change
        # committed between the two is caught by the next notice or by the revision poller.
        self._revision = self._read_revision(conn)
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")
        return db, conn

    def _read_revision(self, conn: Any) -> int | None:
        """The project's revision as this login sees it (None when gone or not this login's to see)."""
        with conn.cursor() as cur:
            cur.execute("SELECT revision FROM projects WHERE id = %s", (self.project_id,))
            row = cur.fetchone()
        return row[0] if row else None

    def _run(self) -> None:
        first = True
        while not self._stop.is_set():
            try:
                db, conn = self._connect()
            except Exception as exc:  # server down: keep trying until stopped
                print(f"preview: cannot LISTEN for changes: {exc}", file=sys.stderr)
                self._stop.wait(self.reconnect_delay)
                continue
            self._listening.set()
            if not first:
                self._on_change()  # changes made while disconnected were not announced
            first = False
            try:
                self._pump(conn)
            except Exception as exc:  # connection dropped
                if not self._stop.is_set():
                    print(f"preview: change listener lost its connection: {exc}", file=sys.stderr)
            finally:
                self._listening.clear()
                try:
                    db.close()
                except Exception:
                    pass
            self._stop.wait(self.reconnect_delay if not self._stop.is_set() else 0)

    def _pump(self, conn: Any) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([conn], [], [], 0.25)
            if not ready:
                continue
            conn.poll()
            if not conn.notifies:
                continue
            conn.notifies.clear()  # any project's notice: look whether ours moved
            revision = self._read_revision(conn)
            if revision != self._revision:
                self._revision = revision
                self._on_change()
