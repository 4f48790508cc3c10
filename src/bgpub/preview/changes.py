"""Noticing that a project changed in the database, whichever process or machine changed it.

Every content-changing service bumps `Project.revision`. On PostgreSQL, migration 0006 makes that
bump send `NOTIFY bgpub_project_changed, '<project id>'`, which a listener on its own connection
receives at commit. On SQLite (one machine, no NOTIFY) a poller reads the counter; a primary-key
read costs microseconds, so polling every few tens of milliseconds is cheap. On PostgreSQL the
poller also runs, slowly, as a safety net for a dropped LISTEN connection.
"""

from __future__ import annotations

import select
import sys
import threading
from collections.abc import Callable

CHANNEL = "bgpub_project_changed"

ReadRevision = Callable[[], int | None]


class RevisionPoller:
    """Calls `on_change` when `read_revision()` returns a different value than last time."""

    def __init__(self, read_revision: ReadRevision, on_change: Callable[[], None], *, interval: float = 0.05):
        self._read = read_revision
        self._on_change = on_change
        self.interval = interval
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._last: int | None = None
        self._last_problem: str | None = None

    def start(self) -> RevisionPoller:
        self._last = self._safe_read()
        self._thread = threading.Thread(target=self._run, name="bgpub-preview-poll", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def check(self) -> bool:
        """One poll: True (and `on_change` called) when the revision moved."""
        value = self._safe_read()
        if value is None or value == self._last:
            return False
        self._last = value
        self._on_change()
        return True

    def _safe_read(self) -> int | None:
        try:
            value = self._read()
        except Exception as exc:  # a locked or lost database: try again on the next tick
            message = f"preview: cannot read the project revision: {exc}"
            if message != self._last_problem:  # said once, not 40 times a second
                print(message, file=sys.stderr)
            self._last_problem = message
            return None
        self._last_problem = None
        return value

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.check()


class ProjectListener:
    """LISTENs on PostgreSQL for the project's change notices; reconnects (and re-renders) after a drop."""

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
        self._conn = None

    def start(self, wait: float = 5.0) -> ProjectListener:
        """Starts listening; returns once LISTEN is active (so no change after start() is missed)."""
        self._thread = threading.Thread(target=self._run, name="bgpub-preview-listen", daemon=True)
        self._thread.start()
        self._listening.wait(wait)
        return self

    @property
    def listening(self) -> bool:
        return self._listening.is_set()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _connect(self):
        from bgpub.db.connection import connect_url

        db = connect_url(self.database_url)
        db.connect()
        conn = db.connection()
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f"LISTEN {CHANNEL}")
        return db, conn

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

    def _pump(self, conn) -> None:
        while not self._stop.is_set():
            ready, _, _ = select.select([conn], [], [], 0.25)
            if not ready:
                continue
            conn.poll()
            hit = False
            while conn.notifies:
                notice = conn.notifies.pop(0)
                hit = hit or notice.payload == self.project_id
            if hit:
                self._on_change()
