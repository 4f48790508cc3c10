"""Group commit: requests wait for their row to be in the database, and a burst shares one INSERT.

A request adds its row and awaits; the writer takes whatever has gathered (up to `max_rows`, after at
most `max_delay`) and writes it in one transaction on its own thread, then answers every waiting
request. So a 2xx always means the row is stored (a kill -9 loses only requests still waiting, whose
clients see an error), and a thousand views in a burst cost a handful of transactions. Failed writes
are retried while the database is away; rows carry ids fixed beforehand, so a retry never doubles one.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Generic, TypeVar

from bgpub.errors import BgpubError

Row = TypeVar("Row")
T = TypeVar("T")
log = logging.getLogger("bgpub.collect")


class WriteFailed(Exception):
    """The rows could not be stored (the database stayed away past the retry window)."""


class RateLimited(Exception):
    """The row was refused: its client is over its limit this minute (counted with the batch)."""


def write_with_retry(
    write: Callable[[], T], retry_seconds: float, recover: Callable[[], None]
) -> T:
    """`write()`, retried with backoff for up to `retry_seconds` when it fails (a restarted database,
    a dropped connection, a busy SQLite file); `recover()` runs between tries."""
    deadline = time.monotonic() + retry_seconds
    pause = 0.05
    while True:
        try:
            return write()
        except BgpubError:
            raise  # bad input is not retried
        except Exception as exc:  # driver errors differ per backend
            if time.monotonic() + pause > deadline:
                raise WriteFailed(
                    str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
                ) from exc
            log.warning("write failed, retrying: %s", str(exc).strip().splitlines()[:1])
            time.sleep(pause)
            pause = min(pause * 2, 1.0)
            try:
                recover()
            except Exception:  # still away: the next try says so
                pass


class WriteBuffer(Generic[Row]):
    """Rows gathered from many requests, written in batches by one writer thread."""

    def __init__(
        self,
        write: Callable[[list[Row]], set[str] | None],
        recover: Callable[[], None],
        *,
        max_rows: int,
        max_delay: float,
        retry_seconds: float,
    ):
        self._write = write
        self._recover = recover
        self.max_rows = max_rows
        self.max_delay = max_delay
        self.retry_seconds = retry_seconds
        self._pending: list[tuple[Row, asyncio.Future[None]]] = []
        self._wake: asyncio.Event | None = None
        self._full: asyncio.Event | None = None
        self._task: asyncio.Task[None] | None = None
        self._closing = False
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="bgpub-collect-writer")
        self.batches = 0
        self.written = 0

    async def start(self) -> None:
        self._wake, self._full = asyncio.Event(), asyncio.Event()
        self._task = asyncio.create_task(self._run(), name="bgpub-collect-writer")

    async def add(self, row: Row) -> None:
        """Returns once `row` is stored; raises WriteFailed if it could not be, RateLimited if refused."""
        if self._closing or self._task is None:
            raise WriteFailed("the collector is shutting down")
        wake, full = self._signals()
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._pending.append((row, future))
        wake.set()
        if len(self._pending) >= self.max_rows:
            full.set()
        await asyncio.shield(future)

    async def close(self) -> None:
        """Writes everything still pending, then stops the writer (graceful shutdown)."""
        self._closing = True
        if self._task is not None:
            wake, full = self._signals()
            wake.set()
            full.set()
            await self._task
            self._task = None
        self._executor.shutdown(wait=True)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            wake, full = self._signals()
            if not self._pending:
                if self._closing:
                    return
                wake.clear()
                await wake.wait()
                continue
            if len(self._pending) < self.max_rows and not self._closing:
                try:
                    await asyncio.wait_for(full.wait(), self.max_delay)
                except TimeoutError:
                    pass
            batch, self._pending = self._pending[: self.max_rows], self._pending[self.max_rows :]
            if len(self._pending) < self.max_rows:
                full.clear()
            rows = [row for row, _ in batch]
            try:
                refused = await loop.run_in_executor(self._executor, self._store, rows) or set()
            except (
                Exception
            ) as exc:  # answered to every waiting request, never raised into the loop
                error = exc if isinstance(exc, WriteFailed) else WriteFailed(str(exc))
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                continue
            self.batches += 1
            self.written += len(rows) - len(refused)
            for row, future in batch:
                if future.done():
                    continue
                if getattr(row, "id", None) in refused:
                    future.set_exception(RateLimited())
                else:
                    future.set_result(None)

    def _signals(self) -> tuple[asyncio.Event, asyncio.Event]:
        """The wake-up and batch-full events, which `start` makes inside the serving loop."""
        if self._wake is None or self._full is None:
            raise WriteFailed("the page-view writer has not started")
        return self._wake, self._full

    def _store(self, rows: list[Row]) -> set[str] | None:
        """The ids of rows the write refused (rate limits), or None."""
        return write_with_retry(lambda: self._write(rows), self.retry_seconds, self._recover)
