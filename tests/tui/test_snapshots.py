"""SVG snapshots of the main screens at 80x24 (the smallest terminal the editor supports).

Data is made through the services with a fixed user name and clock, so the pictures are stable;
SQLite only (the screens do not differ by backend). Update with `pytest --snapshot-update`.
"""

from __future__ import annotations

import getpass

import pytest
from tui_support import steady, until

from bgpub.services import blocks as block_service
from bgpub.services.organizations import change_tier
from bgpub.services.projects import create_project
from bgpub.services.publishing import publish_project
from bgpub.tui.screens.page_editor import PageEditorScreen
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.versions import VersionsScreen
from bgpub.tui.screens.workspace import WorkspaceScreen

SNAP_SIZE = (80, 24)
pytestmark = pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)


@pytest.fixture(autouse=True)
def fixed_user(monkeypatch):
    """The first user is named after the login; make it the same on every machine."""
    monkeypatch.setattr(getpass, "getuser", lambda: "editor")


@pytest.fixture
def demo(actor, home) -> str:
    project = create_project(actor, "demo", title="Demo", starter="landing")
    return f"{project.organization.slug}/{project.name}"


def settle(check):
    async def run_before(pilot) -> None:
        app = pilot.app
        await until(pilot, lambda: check(app), "the screen's data")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        await steady(pilot)

    return run_before


def test_workspace_screen(snap_compare, editor, demo, actor):
    change_tier(actor, demo.split("/")[0], "PRO")
    create_project(actor, "notes", title="Team notes")
    app = editor()
    assert snap_compare(
        app,
        terminal_size=SNAP_SIZE,
        run_before=settle(
            lambda a: isinstance(a.screen, WorkspaceScreen) and len(a.screen.rows) == 2
        ),
    )


def test_project_screen(snap_compare, editor, demo):
    app = editor(demo)
    assert snap_compare(
        app,
        terminal_size=SNAP_SIZE,
        run_before=settle(
            lambda a: (
                isinstance(a.screen, ProjectScreen)
                and a.screen.pages.rows
                and a.screen.site.title
                and a.screen.pages.has_focus
            )
        ),
    )


def test_page_editor_screen(snap_compare, editor, demo, actor):
    block_service.add_block(
        actor, demo, "home", "hero", {"heading": "Hello", "primary_url": "/about/"}, at=0
    )
    app = editor(demo)

    async def open_home(pilot) -> None:
        await until(
            pilot,
            lambda: isinstance(pilot.app.screen, ProjectScreen) and pilot.app.screen.pages.rows,
            "pages",
        )
        pilot.app.open_page(demo, "home")
        await settle(
            lambda a: isinstance(a.screen, PageEditorScreen) and a.screen.form is not None
        )(pilot)

    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=open_home)


def test_versions_screen(snap_compare, editor, demo, actor, home):
    # pages last edited in 2020: the new hero then moves home's sitemap lastmod (whole seconds) however
    # fast the test runs, so the diff always counts 2 files (the page and the sitemap)
    from datetime import datetime

    from bgpub.db.models import Page

    assert Page.update(updated_at=datetime(2020, 1, 1)).execute() > 0
    publish_project(actor, demo, message="first", workspace=home)
    block_service.add_block(actor, demo, "home", "hero", {"heading": "Hello again"}, at=0)
    publish_project(actor, demo, message="new hero", workspace=home)
    app = editor(demo)

    async def open_versions(pilot) -> None:
        await until(
            pilot,
            lambda: isinstance(pilot.app.screen, ProjectScreen) and pilot.app.screen.pages.rows,
            "project",
        )
        pilot.app.open_versions(demo)
        await settle(
            lambda a: (
                isinstance(a.screen, VersionsScreen)
                and len(a.screen.rows) == 2
                and "→" in str(a.screen.query_one("#diff").content)
            )
        )(pilot)

    assert snap_compare(app, terminal_size=SNAP_SIZE, run_before=open_versions)
