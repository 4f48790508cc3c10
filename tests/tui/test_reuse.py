"""Reuse (issue 12): blocks copied or cut on one page and pasted on another; a page duplicated."""

from __future__ import annotations

import pytest
from tui_support import SIZE, run, until

from bgpub.services import blocks as block_service
from bgpub.services.pages import add_page, get_page, list_pages
from bgpub.services.projects import create_project
from bgpub.tui.screens.modals import FormModal
from bgpub.tui.screens.page_editor import PageEditorScreen
from bgpub.tui.screens.project import ProjectScreen


@pytest.fixture
def site(actor) -> str:
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_page(actor, ref, "home", "Home")
    add_page(actor, ref, "about", "About")
    block_service.add_block(actor, ref, "home", "hero", {"heading": "Hello"})
    block_service.add_block(actor, ref, "home", "rich-text", {"body": "Some words"})
    return ref


async def edit_page(pilot, app, slug: str) -> PageEditorScreen:
    await until(
        pilot,
        lambda: isinstance(app.screen, ProjectScreen) and app.screen.pages.total >= 2,
        "pages",
    )
    app.screen.pages.cursor = [p.slug for p in app.screen.pages.rows].index(slug)
    app.screen.pages.focus()
    await pilot.press("enter")
    await until(
        pilot,
        lambda: isinstance(app.screen, PageEditorScreen) and app.screen.document,
        f"page {slug}",
    )
    app.screen.block_list.focus()
    await pilot.pause()
    return app.screen


def test_blocks_move_between_pages_and_a_page_is_duplicated(editor, actor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            home = await edit_page(pilot, app, "home")
            await pilot.press("y")  # copy the hero
            await pilot.press("down", "d")  # cut the rich text
            await until(pilot, lambda: [b.component for b in home.blocks] == ["hero"], "the cut")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not home.dirty, "home saved")
            await pilot.press("escape")
            about = await edit_page(pilot, app, "about")
            await pilot.press("p")
            await until(
                pilot,
                lambda: [b.component for b in about.blocks] == ["rich-text"],
                "pasted on about",
            )
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not about.dirty, "about saved")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "the project")
            project = app.screen
            project.pages.cursor = 0
            await pilot.press("D")
            await until(pilot, lambda: isinstance(app.screen, FormModal), "the duplicate form")
            await pilot.press("enter")  # the suggested title and slug
            await until(
                pilot,
                lambda: any(p.slug == "home-copy" for p in project.pages.rows),
                "the copy listed",
            )
        assert [b["component"] for b in get_page(actor, site, "about").blocks] == ["rich-text"]
        assert get_page(actor, site, "about").blocks[0]["props"]["body"] == "Some words"
        assert [p.slug for p in list_pages(actor, site)] == ["home", "home-copy", "about"]
        copy = get_page(actor, site, "home-copy")
        assert copy.title == "Home (copy)" and not copy.is_home
        assert copy.blocks == get_page(actor, site, "home").blocks

    run(scenario())
