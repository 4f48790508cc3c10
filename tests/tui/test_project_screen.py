"""The workspace and project screens: pages in navigation order, page operations, errors, palette, help."""

from __future__ import annotations

import pytest
from tui_support import SIZE, fill, notifications, run, type_text, until

from bgpub.services.pages import add_page, list_pages
from bgpub.services.projects import create_project, list_projects
from bgpub.tui.commands import entries
from bgpub.tui.screens.help import HelpScreen
from bgpub.tui.screens.modals import ConfirmModal, FormModal
from bgpub.tui.screens.page_editor import PageEditorScreen
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.workspace import WorkspaceScreen
from bgpub.tui.widgets.page_list import PageList


@pytest.fixture
def site(actor) -> str:
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    for slug, title in (
        ("home", "Home"),
        ("about", "About us"),
        ("contact", "Contact"),
        ("team", "Our team"),
    ):
        add_page(actor, ref, slug, title)
    return ref


def slugs(actor, ref: str) -> list[str]:
    return [p.slug for p in list_pages(actor, ref)]


async def on_project(pilot, app) -> ProjectScreen:
    await until(
        pilot, lambda: isinstance(app.screen, ProjectScreen) and app.screen.pages.rows, "the pages"
    )
    return app.screen


async def choose(pilot, screen: ProjectScreen, slug: str) -> None:
    page_list = screen.query_one(PageList)
    page_list.focus()
    page_list.cursor = next(i for i, p in enumerate(page_list.rows) if p.slug == slug)
    await pilot.pause()


def test_page_operations(editor, actor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await on_project(pilot, app)
            assert [p.slug for p in screen.pages.rows] == ["home", "about", "contact", "team"]

            # a bad slug is refused inline, as typed; the form stays open
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, FormModal), "the new-page form")
            await fill(pilot, app, "#form-title", "Blog")
            await fill(pilot, app, "#form-slug", "Bad Slug")
            assert "lower-case" in str(app.screen.query_one("#form-slug-error").content)
            await pilot.press("enter")
            assert isinstance(app.screen, FormModal)
            await fill(pilot, app, "#form-slug", "news")
            assert str(app.screen.query_one("#form-slug-error").content) == ""
            await pilot.press("enter")
            await until(
                pilot,
                lambda: slugs(actor, site)[-1:] == ["news"] and screen.pages.current_slug == "news",
                "the new page",
            )

            # move it up, make it home, rename it, change its slug
            await pilot.press("K")
            await until(
                pilot,
                lambda: slugs(actor, site) == ["home", "about", "contact", "news", "team"],
                "the move",
            )
            await pilot.press("h")
            await until(
                pilot,
                lambda: next(p for p in screen.pages.rows if p.slug == "news").is_home,
                "the new home",
            )
            await pilot.press("r")
            await until(pilot, lambda: isinstance(app.screen, FormModal), "the rename form")
            await fill(pilot, app, "#form-title", "News")
            await pilot.press("enter")
            await until(
                pilot, lambda: any(p.title == "News" for p in screen.pages.rows), "the rename"
            )
            await pilot.press("s")
            await until(pilot, lambda: isinstance(app.screen, FormModal), "the slug form")
            await fill(pilot, app, "#form-slug", "blog")
            assert "reserved" in str(app.screen.query_one("#form-slug-error").content)
            await fill(pilot, app, "#form-slug", "updates")
            await pilot.press("enter")
            await until(pilot, lambda: "updates" in slugs(actor, site), "the slug change")

            # a service refusal is a notification, not a traceback
            await choose(pilot, screen, "about")
            await pilot.press("s")
            await until(pilot, lambda: isinstance(app.screen, FormModal), "the slug form")
            await fill(pilot, app, "#form-slug", "contact")
            await pilot.press("enter")
            await until(
                pilot,
                lambda: any("already exists" in n for n in notifications(app)),
                "the conflict notice",
            )
            assert slugs(actor, site) == ["home", "about", "contact", "updates", "team"]

            # delete after confirming
            await choose(pilot, screen, "team")
            await pilot.press("x")
            await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
            await pilot.press("n")
            await until(pilot, lambda: app.screen is screen, "cancelled")
            assert "team" in slugs(actor, site)
            await pilot.press("x")
            await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
            await pilot.press("y")
            await until(
                pilot, lambda: "team" not in [p.slug for p in screen.pages.rows], "the deletion"
            )
            assert slugs(actor, site) == ["home", "about", "contact", "updates"]

    run(scenario())


def test_filter_as_you_type(editor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await on_project(pilot, app)
            await pilot.press("slash")
            await type_text(pilot, "a")
            several = screen.pages.shown
            await pilot.press("enter")  # several match: back to the list to choose one
            assert several > 1 and screen.pages.has_focus and isinstance(app.screen, ProjectScreen)
            await pilot.press("slash", "escape", "slash")
            await type_text(pilot, "us")
            assert [p.slug for p in screen.pages.rows] == ["about"]
            assert "1 of 4" in str(screen.query_one("#project-summary").content)
            await pilot.press("enter")  # the only match: Enter opens it (issue 12)
            await until(pilot, lambda: isinstance(app.screen, PageEditorScreen), "the page opened")
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is screen, "back on the project")
            assert screen.pages.current_slug == "about"
            await pilot.press("slash", "escape")  # Escape clears the filter
            assert screen.pages.shown == 4

    run(scenario())


def test_workspace_archive_and_delete_ask_first(editor, actor, site):
    app = editor()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(
                pilot,
                lambda: isinstance(app.screen, WorkspaceScreen) and app.screen.rows,
                "the projects",
            )
            row = app.screen.rows[0]
            assert (row.name, row.page_count, row.status) == ("site", 4, "DRAFT")
            await pilot.press("a")
            await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
            await pilot.press("y")
            await until(
                pilot,
                lambda: isinstance(app.screen, WorkspaceScreen) and not app.screen.rows,
                "archived",
            )
            assert list_projects(actor) == []
            assert [p.status for p in list_projects(actor, include_archived=True)] == ["ARCHIVED"]

    run(scenario())


def test_palette_has_every_action_and_help_lists_keys(editor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await on_project(pilot, app)
            offered = {e.action for e in entries(screen)}
            for binding in [*ProjectScreen.BINDINGS, *type(app).BINDINGS]:
                assert binding.action in offered, binding.action
            assert "stop_preview" in offered

            # run an action from the palette
            await pilot.press("ctrl+p")
            await type_text(pilot, "new page")
            await until(
                pilot, lambda: app.screen.query("CommandList").first().option_count, "palette hits"
            )
            await pilot.press("enter")
            await until(
                pilot,
                lambda: isinstance(app.screen, FormModal),
                "the new-page form from the palette",
            )
            await pilot.press("escape")

            await pilot.press("f1")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help screen")
            from textual.widgets import Markdown

            text = app.screen.query_one(Markdown).source
            assert "New page" in text and "Publish" in text
            await pilot.press("escape")

            theme = app.theme
            await pilot.press("ctrl+t")
            assert app.theme != theme and app.theme in ("textual-light", "textual-dark")

    run(scenario())
