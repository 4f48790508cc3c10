"""Helpers of the TUI tests: a fixed clock, waiting for workers, typing into fields."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from datetime import datetime
from typing import Any

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
