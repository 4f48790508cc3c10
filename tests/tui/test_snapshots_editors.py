"""SVG snapshots of issue 12's editors at 80x24 and 120x36: a Markdown prop in its highlighted editor, and
the theme screen with its colour swatches and font pickers.

Data is made through the services with a fixed user name (see test_snapshots.py); SQLite only, the
screens do not differ by backend. Update with `pytest --snapshot-update`.
"""

from __future__ import annotations

import getpass

import pytest
from tui_support import steady, until

from bgpub.services import blocks as block_service
from bgpub.services.pages import add_page
from bgpub.services.projects import create_project, update_project
from bgpub.tui.screens.page_editor import PageEditorScreen
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.theme import ThemeModal
from bgpub.tui.widgets.markdown_field import MarkdownField

SIZES = [(80, 24), (120, 36)]
BODY = (
    "## Our story\n\nWe make **stoneware** by hand in a small studio, and fire it twice.\n\n"
    "- bowls and mugs\n- plates, in *four* glazes\n\n> Every piece is a little different.\n\n"
    "See [the shop](/shop/) or `email us`."
)
pytestmark = pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)


@pytest.fixture(autouse=True)
def fixed_user(monkeypatch):
    """The first user is named after the login; make it the same on every machine."""
    monkeypatch.setattr(getpass, "getuser", lambda: "editor")


@pytest.fixture
def story(actor) -> str:
    project = create_project(actor, "pottery", title="Pottery")
    ref = f"{project.organization.slug}/pottery"
    add_page(actor, ref, "story", "Our story")
    block_service.add_block(actor, ref, "story", "rich-text", {"body": BODY})
    update_project(
        actor,
        ref,
        theme="aurora",
        theme_overrides={"color-primary": "#aa3300", "color-border": "banana"},
    )
    return ref


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


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_markdown_editor(snap_compare, editor, story, size):
    app = editor(story)

    async def open_story(pilot) -> None:
        await until(
            pilot,
            lambda: isinstance(pilot.app.screen, ProjectScreen) and pilot.app.screen.pages.rows,
            "pages",
        )
        pilot.app.open_page(story, "story")
        await settle(
            lambda a: (
                isinstance(a.screen, PageEditorScreen)
                and a.screen.form is not None
                and a.screen.form.ready
                and a.screen.form.query(MarkdownField)
            )
        )(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_story)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_theme_screen(snap_compare, editor, story, size):
    app = editor(story)

    async def open_theme(pilot) -> None:
        await until(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, ProjectScreen)
                and pilot.app.screen.theme_list
                and pilot.app.screen.site.theme
            ),
            "the project",
        )
        await pilot.press("t")
        await settle(lambda a: isinstance(a.screen, ThemeModal))(pilot)

    assert snap_compare(app, terminal_size=size, run_before=open_theme)
