"""Fixtures of the TUI tests: the editor app built on the test's workspace (SQLite; PostgreSQL where kept)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from tui_support import fixed_time, own_heap, wait_on_events

from bgpub.preview.session import PreviewServer
from bgpub.tui.app import BgpubApp, make_app


@pytest.fixture(autouse=True)
def _pilot_on_events(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pilot waits for what the app does instead of guessing from the CPU clock, and the collector
    skips the heap that was there before the test (`tui_support.wait_on_events`, `own_heap`)."""
    wait_on_events(monkeypatch)
    with own_heap():
        yield


@pytest.fixture
def editor(workspace) -> Callable[..., BgpubApp]:
    """Builds the editor on this test's workspace with a fixed clock."""

    def build(project: str | None = None) -> BgpubApp:
        return make_app(workspace, project, format_time=fixed_time, preview=PreviewServer)

    return build


# These tests run on SQLite, apart from a few kept on both databases: see `_editor_on_sqlite` in
# tests/conftest.py.
