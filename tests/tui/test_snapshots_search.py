"""SVG snapshots of the content search modal with results (Ctrl+F), at 80x24 and 120x36.

Data is made through the services with a fixed user name and clock; SQLite only (the modal does not
differ by backend). Update with `pytest --snapshot-update`.
"""

from __future__ import annotations

import getpass

import pytest
from tui_support import steady, until

from bgpub.services import blocks as block_service
from bgpub.services.pages import add_page
from bgpub.services.projects import create_project
from bgpub.services.sections import create_section
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.search import ContentSearchModal

pytestmark = pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)


@pytest.fixture(autouse=True)
def fixed_user(monkeypatch):
    monkeypatch.setattr(getpass, "getuser", lambda: "editor")


@pytest.fixture
def bakery(actor) -> str:
    project = create_project(actor, "bakery", title="Rosemary Bakery")
    ref = f"{project.organization.slug}/bakery"
    add_page(
        actor, ref, "home", "Home", seo_description="Sourdough and pastries baked every morning"
    )
    add_page(actor, ref, "menu", "Menu")
    block_service.add_block(
        actor, ref, "home", "hero", {"heading": "Sourdough worth getting up for"}
    )
    block_service.add_block(
        actor,
        ref,
        "menu",
        "feature-grid",
        {
            "heading": "Breads",
            "features": [
                {
                    "title": "Country loaf",
                    "text": "Our [b]sourdough[/b], 48 hours from flour to crust",
                },
                {"title": "Rye", "text": "Dark, dense and sour"},
            ],
        },
    )
    create_section(
        actor,
        ref,
        "footer",
        [{"component": "footer", "props": {"tagline": "Sourdough since 1998, from the old town"}}],
    )
    return ref


def searching(text: str):
    async def run_before(pilot) -> None:
        app = pilot.app
        await until(
            pilot, lambda: isinstance(app.screen, ProjectScreen) and app.screen.pages.rows, "pages"
        )
        await app.workers.wait_for_complete()
        await pilot.press("ctrl+f")
        await until(pilot, lambda: isinstance(app.screen, ContentSearchModal), "the search modal")
        field = app.screen.query_one("#search-query")
        field.cursor_blink = False  # a blinking cursor would be in one picture and not the next
        field.value = text
        await until(pilot, lambda: len(app.screen.hits) == 4, "the results")
        await app.workers.wait_for_complete()
        await pilot.pause()
        app.clear_notifications()
        await pilot.pause()
        await steady(pilot)

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 36)], ids=["80x24", "120x36"])
def test_search_modal_with_results(snap_compare, editor, bakery, size):
    assert snap_compare(editor(bakery), terminal_size=size, run_before=searching("sourdough"))
