"""SVG snapshots of the Targets screen and the page settings dialog at 80x24 and 120x36.

Data is made through the services with a fixed user name, fixed target paths and generated images, so
the pictures are stable; SQLite only (the screens do not differ by backend). Update with
`pytest --snapshot-update`.
"""

from __future__ import annotations

import getpass
import io

import pytest
from PIL import Image
from textual.widgets import Input
from tui_support import steady, until

from bgpub.services.assets import add_asset
from bgpub.services.pages import update_page
from bgpub.services.projects import create_project
from bgpub.services.targets import add_target
from bgpub.tui.screens.page_settings import PageSettingsModal
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.targets import TargetsScreen

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 36), id="120x36")]
pytestmark = pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)


@pytest.fixture(autouse=True)
def fixed_user(monkeypatch):
    """The first user is named after the login; make it the same on every machine."""
    monkeypatch.setattr(getpass, "getuser", lambda: "editor")


def png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "#3366cc").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def demo(actor, tmp_path) -> str:
    project = create_project(actor, "demo", title="Demo", starter="landing")
    ref = f"{project.organization.slug}/{project.name}"
    for name, size in (("cover.png", (1600, 900)), ("team.png", (1200, 800))):
        (tmp_path / name).write_bytes(png(*size))
        add_asset(actor, ref, tmp_path / name)
    add_target(actor, ref, "live", "dir", path="/srv/www/demo", base_url="https://www.example.org")
    add_target(actor, ref, "staging", "rsync", dest="deploy@staging.example.org:/srv/demo")
    return ref


async def settle(pilot, check) -> None:
    app = pilot.app
    await until(pilot, lambda: check(app), "the screen's data")
    await app.workers.wait_for_complete()
    for field in app.screen.query(Input):
        field.cursor_blink = False  # a blinking cursor would be in one picture and not the next
    await pilot.pause()
    app.clear_notifications()
    await pilot.pause()
    await steady(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_targets_screen(snap_compare, editor, demo, size):
    app = editor(demo)

    async def open_targets(pilot) -> None:
        await until(
            pilot,
            lambda: isinstance(pilot.app.screen, ProjectScreen) and pilot.app.screen.pages.rows,
            "pages",
        )
        await pilot.press("T")
        await settle(
            pilot, lambda a: isinstance(a.screen, TargetsScreen) and len(a.screen.rows) == 2
        )

    assert snap_compare(app, terminal_size=size, run_before=open_targets)


@pytest.mark.parametrize("size", SIZES)
def test_page_settings_modal(snap_compare, editor, demo, actor, size):
    slug = "about"
    update_page(
        actor, demo, slug, seo_title="About the team", social_image="cover.png", noindex=True
    )
    app = editor(demo)

    async def open_settings(pilot) -> None:
        await until(
            pilot,
            lambda: isinstance(pilot.app.screen, ProjectScreen) and pilot.app.screen.pages.rows,
            "pages",
        )
        screen = pilot.app.screen
        screen.pages.focus()
        for _ in range(10):  # bounded: the page is the second of four
            if screen.pages.current is not None and screen.pages.current.slug == slug:
                break
            await pilot.press("down")
        await until(
            pilot, lambda: screen.pages.has_focus and screen.site.title, "the page list settled"
        )
        await pilot.app.workers.wait_for_complete()
        await pilot.press("e")
        await settle(
            pilot,
            lambda a: isinstance(a.screen, PageSettingsModal) and a.screen.focused is not None,
        )

    assert snap_compare(app, terminal_size=size, run_before=open_settings)
