"""Fixtures of the TUI tests: the editor app built on the test's workspace (SQLite; PostgreSQL where kept)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from tui_support import fixed_time

from bgpub.preview.session import PreviewServer
from bgpub.tui.app import BgpubApp, make_app


@pytest.fixture
def editor(workspace) -> Callable[..., BgpubApp]:
    """Builds the editor on this test's workspace with a fixed clock."""

    def build(project: str | None = None) -> BgpubApp:
        return make_app(workspace, project, format_time=fixed_time, preview=PreviewServer)

    return build


# These tests run on SQLite, apart from a few kept on both databases: see `_editor_on_sqlite` in
# tests/conftest.py.
