"""Fixtures of the TUI tests: the editor app built on the test's workspace (SQLite; PostgreSQL where kept, below)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

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


# The editor is a front end: it reaches the database only through services, whose queries the
# services, CLI and e2e tests run on both databases. The editor's own tests therefore run on SQLite,
# except these modules, kept on both: the whole create/edit/publish flow, and two editors editing one
# page at once (where the databases' locking differs); and any test marked `both_databases` (the
# editor shows something that depends on the database, such as PostgreSQL's organization limits).
# `bench/front_end_pg_coverage.py` checks the choice: on 2026-12-02 the editor's PostgreSQL cases
# ran no line of `bgpub.services` or `bgpub.db` that the rest of the suite's PostgreSQL tests leave
# unrun (after tests/services gained six files for what only the editor had reached), and they
# cost 200 s of a 1,500 s run. BGPUB_TUI_BOTH_DATABASES=1 runs every editor test on both.
BOTH_EVERYWHERE = os.environ.get("BGPUB_TUI_BOTH_DATABASES") == "1"
BOTH_DATABASES = ("test_flow.py", "test_concurrent.py")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselects the editor tests' PostgreSQL cases outside BOTH_DATABASES (as `-k` would)."""
    if BOTH_EVERYWHERE:
        return
    here = Path(__file__).parent
    dropped = [
        item
        for item in items
        if item.path.parent == here
        and item.path.name not in BOTH_DATABASES
        and item.get_closest_marker("both_databases") is None
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("db_target") == "postgres"
    ]
    if dropped:
        gone = set(map(id, dropped))
        items[:] = [item for item in items if id(item) not in gone]
        config.hook.pytest_deselected(items=dropped)
