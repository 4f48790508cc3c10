"""The page list's reads, served by one thread on one database connection.

Each filter keypress asks for a window; a thread and a connection per read cost more than the read
(a filter at 100,000 pages waited 250-350 ms under load, mostly for both). One reader serves the
reads in order while they come and stops after `IDLE_S` without one (so no connection idles for the
screen's life). A read asked for before a newer filter or reload is skipped: the list would drop
its answer (only the newest request's generation is shown), so reading it only delays the newest.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bgpub.tui.widgets.page_list import PageList

IDLE_S = (
    1.0  # seconds a reader waits for the next read before it stops and lets go of its connection
)


class PageReads:
    """The queue of the list's reads and whether a reader is serving it (shared with that thread)."""

    def __init__(self, idle: float = IDLE_S) -> None:
        self._idle = idle
        self._queue: queue.SimpleQueue[PageList.RowsWanted | None] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._serving = False

    def ask(self, wanted: PageList.RowsWanted) -> bool:
        """Queues a read; True when no reader is serving, so the caller must start one."""
        with self._lock:
            self._queue.put(wanted)
            if self._serving:
                return False
            self._serving = True
            return True

    def stop(self) -> None:
        """Ends the reader after the read in hand (the screen is going away)."""
        self._queue.put(None)

    def serve(
        self,
        hold: Callable[[], AbstractContextManager[object]],
        read: Callable[[PageList.RowsWanted], None],
        cancelled: Callable[[], bool],
    ) -> None:
        """The reader's loop, in its thread: `read` each request in order within one `hold` (the
        session's connection) until the queue stays empty for a while or the worker is cancelled."""
        idle = False
        try:
            with hold():
                while not cancelled():
                    wanted = self._next()
                    if wanted is None:
                        idle = True
                        return
                    read(wanted)
        finally:
            if not idle:  # cancelled or failed: the next request starts a new reader
                with self._lock:
                    self._serving = False

    def _next(self) -> PageList.RowsWanted | None:
        """The next read of the newest generation asked for; None, with `_serving` cleared under
        the lock (so a request that comes next starts a reader), when there is none or on `stop`."""
        try:
            first = self._queue.get(timeout=self._idle)
        except queue.Empty:
            first = None
        with self._lock:
            pending: list[PageList.RowsWanted | None] = [first] if first is not None else []
            while True:
                try:
                    pending.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            if not pending or any(wanted is None for wanted in pending):
                self._serving = False
                return None
            newest = max(wanted.generation for wanted in pending if wanted is not None)
            current = [w for w in pending if w is not None and w.generation == newest]
            for later in current[1:]:  # the queue is empty and filled only under the lock
                self._queue.put(later)
            return current[0]
