"""Ctrl+F searches a project's content from any of its screens and Enter jumps to the field; the
project screen saves a page as a template (m) and the new-page dialog starts pages from one.
Both databases; hostile content is shown as typed."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, Select
from tui_support import SIZE, fill, run, type_text, until

from bgpub.services import blocks as block_service
from bgpub.services.page_templates import list_page_templates
from bgpub.services.pages import add_page, get_page
from bgpub.services.projects import create_project
from bgpub.services.sections import create_section
from bgpub.tui.screens.modals import FormModal
from bgpub.tui.screens.page_editor import PageEditorScreen
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.search import ContentSearchModal
from bgpub.tui.screens.sections import SectionEditorScreen

HOSTILE = "[b]bold[/b] [red]x[/] $(rm -rf) .* \\d"


@pytest.fixture
def site(actor) -> str:
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_page(actor, ref, "home", "Home")
    add_page(actor, ref, "about", "About")
    block_service.add_block(actor, ref, "home", "hero", {"heading": "Fresh bread daily"})
    block_service.add_block(actor, ref, "about", "hero", {"heading": HOSTILE})
    block_service.add_block(
        actor,
        ref,
        "about",
        "feature-grid",
        {
            "heading": "Why us",
            "features": [
                {"title": "Flour", "text": "Milled nearby"},
                {"title": "Butter", "text": "From the dairy next door"},
            ],
        },
    )
    create_section(
        actor, ref, "header", [{"component": "navbar", "props": {"brand": "Dairy Bakery"}}]
    )
    return ref


async def on_project(pilot, app) -> ProjectScreen:
    await until(
        pilot, lambda: isinstance(app.screen, ProjectScreen) and app.screen.pages.rows, "the pages"
    )
    return app.screen


async def search(pilot, app, text: str) -> ContentSearchModal:
    await pilot.press("ctrl+f")
    await until(pilot, lambda: isinstance(app.screen, ContentSearchModal), "the search modal")
    modal = app.screen
    await type_text(pilot, text)
    await until(
        pilot, lambda: modal.hits and modal.query_one(Input).value == text, f"results for {text!r}"
    )
    return modal


def prompts(modal: ContentSearchModal) -> list[str]:
    results = modal.query_one(OptionList)
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


def test_search_finds_a_nested_item_and_enter_focuses_its_field(editor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await on_project(pilot, app)
            modal = await search(pilot, app, "dairy")
            assert prompts(modal) == [
                "page about › block 2 (feature-grid) › features › 2 › text\n  From the dairy next door",
                "section header › block 1 (navbar) › brand\n  Dairy Bakery",
            ]
            await pilot.press("down")  # from the box into the results
            assert modal.query_one(OptionList).has_focus
            await pilot.press("enter")
            await until(pilot, lambda: isinstance(app.screen, PageEditorScreen), "the page editor")
            page = app.screen
            await until(
                pilot,
                lambda: page.focused is not None and page.focused.id == "prop-features-1-text",
                "the item's text field focused",
            )
            assert page.slug == "about" and page.form_index == 1

    run(scenario())


def test_search_from_the_page_editor_opens_a_shared_section(editor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await on_project(pilot, app)
            app.open_page(site, "home")
            await until(
                pilot,
                lambda: isinstance(app.screen, PageEditorScreen) and app.screen.document,
                "home",
            )
            modal = await search(pilot, app, "bakery")
            await pilot.press("enter")  # Enter in the box takes the first result
            await until(
                pilot, lambda: isinstance(app.screen, SectionEditorScreen), "the header's editor"
            )
            header = app.screen
            await until(
                pilot,
                lambda: header.focused is not None and header.focused.id == "prop-brand",
                "the brand field focused",
            )
            assert modal.hits[0].kind == "section"

    run(scenario())


def test_hostile_text_is_shown_as_typed_and_matched_literally(editor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await on_project(pilot, app)
            modal = await search(pilot, app, "[b]bold[/b]")
            assert prompts(modal) == [f"page about › block 1 (hero) › heading\n  {HOSTILE}"]
            for text in (".*", "\\d", "$(rm"):
                modal.query_one(Input).value = text
                await until(
                    pilot,
                    lambda t=text: (
                        modal.hits
                        and modal.hits[0].excerpt[modal.hits[0].start : modal.hits[0].end] == t
                    ),
                    f"a literal {text!r}",
                )
            modal.query_one(Input).value = "x" * 201
            await until(
                pilot,
                lambda: "at most 200" in str(modal.query_one("#search-status").render()),
                "the too-long refusal",
            )
            assert modal.hits == ()
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "closed")

    run(scenario())


def test_ctrl_f_from_a_text_field_searches_and_outside_a_project_explains(editor, site):
    app = editor()  # the workspace screen: no project yet

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("ctrl+f")
            await pilot.pause()
            assert not isinstance(app.screen, ContentSearchModal)
            assert any("open a project first" in n.message for n in app._notifications)
            app.open_project(site)
            project = await on_project(pilot, app)
            project.query_one("#page-filter", Input).focus()
            await pilot.press("ctrl+f")
            await until(
                pilot, lambda: isinstance(app.screen, ContentSearchModal), "the search modal"
            )

    run(scenario())


def test_save_a_page_as_template_and_start_a_new_page_from_it(editor, actor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            project = await on_project(pilot, app)
            project.pages.cursor = [p.slug for p in project.pages.rows].index("about")
            project.pages.focus()
            await pilot.press("m")
            await until(pilot, lambda: isinstance(app.screen, FormModal), "the template form")
            await fill(pilot, app, "#form-name", "Bad Name")
            assert "template name" in str(app.screen.query_one("#form-name-error").render())
            await fill(pilot, app, "#form-name", "about-layout")
            await pilot.press("enter")
            await until(pilot, lambda: list_page_templates(actor, site), "the template saved")
            await until(pilot, lambda: project.templates, "the templates offered")

            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, FormModal), "the new-page form")
            form = app.screen
            assert [v for _, v in form.query_one("#form-template", Select)._options] == [
                "",
                "about-layout",
            ]
            form.query_one("#form-template", Select).value = "about-layout"
            await fill(pilot, app, "#form-title", "Our team")
            await fill(pilot, app, "#form-slug", "team")
            await pilot.press("enter")
            await until(
                pilot, lambda: any(p.slug == "team" for p in project.pages.rows), "the new page"
            )
        team, about = get_page(actor, site, "team"), get_page(actor, site, "about")
        assert team.title == "Our team" and team.blocks == about.blocks

    run(scenario())
