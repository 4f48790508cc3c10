"""Noticing that a project changed in the database, whichever process or machine changed it.

Every content-changing service bumps `Project.revision`. On PostgreSQL, migrations 0006 and 0009
make that bump send `NOTIFY bgpub_project_changed` with an empty payload (any login may LISTEN, so
a notice names nothing another organization may not see); a listener on its own connection receives
it at commit and re-reads its own project's revision under its own login, so row-level security
decides what it may learn. On SQLite (one machine, no NOTIFY) a poller reads the counter; a primary-key
read costs microseconds, so polling every few tens of milliseconds is cheap. On PostgreSQL the
poller also runs, slowly, as a safety net for a dropped LISTEN connection; the listener itself
(`services/change_feed.py`) is a query, so it lives in services.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable

from bgpub.services.change_feed import ProjectListener

__all__ = ["ProjectListener", "RevisionPoller"]

ReadRevision = Callable[[], int | None]


class RevisionPoller:
    """Calls `on_change` when `read_revision()` returns a different value than last time."""

    def __init__(
        self, read_revision: ReadRevision, on_change: Callable[[], None], *, interval: float = 0.05
    ):
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
