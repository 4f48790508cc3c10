"""SVG snapshots of the Sections screen at 80x24 and 120x36 (SQLite: the screen does not differ by
backend). Update with `pytest tests/sections --snapshot-update`, then look at the pictures."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parents[1] / "tui"))

from tui_support import fixed_time, steady, until  # noqa: E402

from bgpub.services.section_lift import lift_sections  # noqa: E402
from bgpub.services.sections import create_section, place_section  # noqa: E402
from bgpub.tui.app import make_app  # noqa: E402
from bgpub.tui.screens.project import ProjectScreen  # noqa: E402
from bgpub.tui.screens.sections import SectionsScreen  # noqa: E402

pytestmark = pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)


@pytest.fixture(autouse=True)
def fixed_user(monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "editor")


@pytest.mark.parametrize("size", [(80, 24), (120, 36)])
def test_sections_screen(snap_compare, workspace, actor, site, size):
    lift_sections(actor, "demo")
    create_section(
        actor, "demo", "offer", [{"component": "rich-text", "props": {"body": "Half price"}}]
    )
    place_section(actor, "demo", "about", "offer")
    app = make_app(workspace, site.name, format_time=fixed_time)

    async def run_before(pilot) -> None:
        await until(
            pilot,
            lambda: isinstance(app.screen, ProjectScreen) and app.screen.pages.current_slug,
            "project",
        )
        await pilot.press("H")
        await until(
            pilot,
            lambda: isinstance(app.screen, SectionsScreen) and len(app.screen.rows) == 3,
            "sections",
        )
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
