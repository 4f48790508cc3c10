"""Helpers of the TUI tests: a fixed clock, waiting for workers, typing into fields."""

from __future__ import annotations

import asyncio
import gc
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import datetime
from typing import Any

import pytest
import textual.app
import textual.pilot
from textual._context import active_app
from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Input

SIZE = (100, 30)


def fixed_time(moment: datetime | None) -> str:
    """Snapshots and assertions must not depend on the clock."""
    return "2026-01-02 09:00" if moment else "—"


def run(coroutine: Coroutine[Any, Any, None]) -> None:
    """Pilot tests are coroutines; the suite has no asyncio plugin, so each runs its own loop."""
    asyncio.run(coroutine)


STEP = 0.01  # seconds between checks: a check costs far less than the wait it saves (~220 waits)


async def until(pilot, check: Callable[[], object], what: str, *, timeout: float = 30.0) -> None:
    """Lets the app run (workers, messages, refreshes) until `check()` is true; fails naming `what`.

    Checked every STEP, so a settled state is seen within milliseconds; at least `timeout` seconds pass
    before giving up, however busy the machine."""
    for _ in range(int(timeout / STEP)):
        try:
            if check():
                return
        except Exception:  # the widget may not be mounted yet
            pass
        await pilot.pause(STEP)
    raise AssertionError(f"timed out waiting for {what}")


def notifications(app) -> list[str]:
    return [n.message for n in app._notifications]


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if c == " " else c for c in text])


async def fill(pilot, app, selector: str, text: str, *, typing: bool = False) -> None:
    """Focuses an input and sets its value (or types it key by key); Changed messages flow as for a user."""
    widget = app.screen.query_one(selector, Input)
    widget.focus()
    if typing:
        widget.value = ""
        await pilot.pause()
        await type_text(pilot, text)
    else:
        widget.value = text
    await pilot.pause()


def tables_sized(app) -> bool:
    """Whether every DataTable on the screen has measured the rows and cells it was given: it does
    so when its messages run out, and two pictures in a row taken before that (a loaded machine)
    are the same, cut columns and all ("edi" for "editor")."""
    from textual.widgets import DataTable

    return all(
        not (table._require_update_dimensions or table._new_rows or table._updated_cells)
        for table in app.screen.query(DataTable)
    )


async def steady(pilot, *, attempts: int = 50) -> None:
    """Lets the screen settle before a snapshot: a DataTable sizes its columns to content a refresh
    after its rows arrive, so a picture taken one frame early shows them cut ("2026" for a date).
    Waits until the tables are measured, then until two pictures in a row are the same (bounded:
    the snapshot then shows what differs)."""
    for _ in range(attempts):
        if tables_sized(pilot.app):
            break
        await pilot.pause(STEP)
    last = pilot.app.export_screenshot()
    for _ in range(attempts):
        await pilot.pause(STEP)
        picture = pilot.app.export_screenshot()
        if picture == last:
            return
        last = picture


# The page list's reader serves reads while they come and waits a second for the next before it ends
# (bgpub.tui.page_reads): it is idle while it waits, so `settled` does not wait for it to end; the
# tests wait for the list itself (`PageList.settled`), and one holds a read back on purpose.
SERVING_GROUPS = frozenset({"project-pages"})


def _pumps(app: App[Any]) -> Iterator[Any]:
    yield app
    for screen in app.screen_stack:
        yield from screen.walk_children(with_self=True)


def _unpainted(app: App[Any]) -> bool:
    """Whether the screen has changes not yet laid out or painted, or callbacks waiting for that."""
    screen = app.screen
    return bool(
        screen._callbacks
        or screen._layout_required
        or screen._scroll_required
        or screen._repaint_required
        or screen._recompose_required
        or screen._dirty_widgets
    )


async def settled(app: App[Any], *, timeout: float = 30.0) -> None:
    """Returns once the app has done everything it was given: every message pump of the screen
    stack has run its messages (and those they posted), the workers started have finished (but for
    `SERVING_GROUPS`), and the screen is laid out and painted (callbacks after a refresh run).

    This is what Textual's `wait_for_idle` guesses from the process's CPU clock (a key press waits
    until 1 ms of CPU goes by in 20 ms of sleep, at least 2 x 20 ms a key, up to 1 s when a worker
    or the collector keeps the CPU busy): 60% of the TUI tests' time went to those guesses. Waiting
    for the events themselves is at least as sure and costs no sleep. Textual 8.2.8 is pinned:
    the private fields read here are its own (`Pilot._wait_for_screen`, `Worker._task`, the
    screen's refresh flags and message queues)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    pilot = Pilot(app)
    while loop.time() < deadline:
        if app._exception is not None or not await pilot._wait_for_screen(timeout):
            return  # the app failed: `run_test` raises its error
        working = [
            worker
            for worker in app.workers
            if not worker.is_finished and worker.group not in SERVING_GROUPS
        ]
        if working:
            tasks = {worker._task for worker in working if worker._task is not None}
            if tasks:  # a thread worker's task ends when its thread returns; never cancelled here
                await asyncio.wait(tasks, timeout=max(deadline - loop.time(), 0))
            else:
                await asyncio.sleep(0)  # a worker not started yet: the loop starts it
        elif any(not pump._message_queue.empty() for pump in _pumps(app)):
            continue
        elif _unpainted(app):
            app.screen._on_timer_update()  # what the screen's refresh timer does; `Pilot.pause` too
        else:
            return
    busy = [worker.name for worker in app.workers if not worker.is_finished]
    raise AssertionError(f"the editor did not settle within {timeout} s (workers: {busy})")


_piloted: list[App[Any]] = []  # the apps running under `run_test` (two in test_concurrent)


async def _settled_waits(min_sleep: float = 0.0, max_sleep: float = 1.0) -> None:
    """Stands in for `textual._wait.wait_for_idle` (same signature) while a Pilot test runs. That
    one waits for the whole process to go idle, so it covers every app of the test (two editors in
    test_concurrent): each is settled in its own context (`self.app` of a widget is the context's)."""
    for app in list(_piloted) or [active_app.get()]:
        with app._context():
            await settled(app)


def wait_on_events(monkeypatch: pytest.MonkeyPatch) -> None:
    """For the test `monkeypatch` belongs to, Pilot's `press`, `pause()` and
    `wait_for_scheduled_animations` wait with `settled` instead of Textual's CPU-clock guess
    (`wait_for_idle`, imported by name into textual.app and .pilot). The keys still go through the
    driver one by one, as a terminal sends them."""
    run_test = App.run_test

    @asynccontextmanager
    async def piloted(app: App[Any], **options: Any) -> AsyncIterator[Pilot[Any]]:
        async with run_test(app, **options) as pilot:
            _piloted.append(app)
            try:
                yield pilot
            finally:
                _piloted.remove(app)

    monkeypatch.setattr(App, "run_test", piloted)
    monkeypatch.setattr(textual.app, "wait_for_idle", _settled_waits)
    monkeypatch.setattr(textual.pilot, "wait_for_idle", _settled_waits)


@contextmanager
def own_heap() -> Iterator[None]:
    """Collects what earlier tests left, then hides the rest of the heap from the cyclic collector
    until the end of the test (`gc.freeze`): a Textual app makes reference cycles by the hundred
    thousand, and each full collection also walked the ~300,000 objects every test shares (modules,
    classes, fixtures): 30% of the TUI tests' CPU went there (20 tests: 14 s of 48 -> 9 s of 41,
    one collection before each test included). Nothing is collected any later than before the
    test ends; `gc.unfreeze` hands the shared heap back to the collector."""
    gc.collect()
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()
