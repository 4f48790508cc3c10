"""Issue 12's app-wide defects, each as a new user met it: quitting with unsaved edits, the preview of
another project, help out of reach at 80x24, a command palette opening on Textual internals."""

from __future__ import annotations

import urllib.request

import pytest
from textual.containers import VerticalScroll
from tui_support import SIZE, fill, notifications, run, until

from bgpub.services import blocks as block_service
from bgpub.services.organizations import change_tier
from bgpub.services.pages import add_page, get_page
from bgpub.services.projects import create_project, get_project
from bgpub.tui.commands import entries
from bgpub.tui.screens.help import HelpScreen
from bgpub.tui.screens.modals import ChoiceModal, FormModal
from bgpub.tui.screens.page_editor import PageEditorScreen
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.site import ThemeModal
from bgpub.tui.screens.workspace import WorkspaceScreen


def make_site(actor, name: str) -> str:
    project = create_project(actor, name, title=name.title())
    ref = f"{project.organization.slug}/{name}"
    add_page(actor, ref, "home", "Home")
    block_service.add_block(actor, ref, "home", "hero", {"heading": "Hello"})
    return ref


@pytest.fixture
def site(actor) -> str:
    return make_site(actor, "site")


async def open_editor(pilot, app) -> PageEditorScreen:
    await until(
        pilot,
        lambda: isinstance(app.screen, ProjectScreen) and app.screen.pages.current_slug == "home",
        "pages",
    )
    await pilot.press("enter")
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, PageEditorScreen)
            and app.screen.form is not None
            and app.screen.form.ready
        ),
        "the editor",
    )
    return app.screen


def heading(actor, ref: str) -> str:
    return get_page(actor, ref, "home").blocks[0]["props"]["heading"]


def test_ctrl_q_asks_before_losing_unsaved_edits(editor, actor, site):
    """Defect 1: Ctrl+Q with an unsaved page asks Save/Discard/Stay; Stay keeps the edit, Save saves then quits."""
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_editor(pilot, app)
            await fill(pilot, app, "#prop-heading", "Unsaved words")
            await until(pilot, lambda: screen.dirty, "the edit")
            await pilot.press("ctrl+q")
            await until(pilot, lambda: isinstance(app.screen, ChoiceModal), "the question")
            assert app.return_code is None
            assert "unsaved" in app.screen.question and "home" in app.screen.question
            await pilot.press("escape")  # Stay
            await until(pilot, lambda: app.screen is screen, "back in the editor")
            assert screen.dirty and heading(actor, site) == "Hello"
            await pilot.press("ctrl+q")
            await until(pilot, lambda: isinstance(app.screen, ChoiceModal), "the question again")
            app.screen.query_one("#choice-save").press()
            await until(pilot, lambda: app.return_code is not None, "the app to quit after saving")
        assert heading(actor, site) == "Unsaved words"

    run(scenario())


def test_ctrl_q_quits_at_once_when_nothing_is_unsaved(editor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await open_editor(pilot, app)
            await pilot.press("ctrl+q")
            await until(pilot, lambda: app.return_code is not None, "the app to quit")

    run(scenario())


def test_preview_belongs_to_its_project(editor, actor, site):
    """Defect 2: B's screen never shows or stops A's preview; `p` in B starts B's own."""
    change_tier(actor, site.split("/")[0], "PRO")  # room for two projects on PostgreSQL too
    other = make_site(actor, "other")
    app = editor()

    async def open_project(pilot, ref: str) -> ProjectScreen:
        await until(
            pilot,
            lambda: isinstance(app.screen, WorkspaceScreen) and len(app.screen.rows) == 2,
            "projects",
        )
        app.open_project(ref)
        await until(
            pilot, lambda: isinstance(app.screen, ProjectScreen) and app.screen.site.title, ref
        )
        return app.screen

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            a = await open_project(pilot, site)
            await pilot.press("p")
            await until(pilot, lambda: a.preview, "A's preview")
            url_a = a.preview
            await pilot.press("escape")
            b = await open_project(pilot, other)
            assert b.preview is None
            assert url_a not in str(b.query_one("#project-summary").content)
            stop = next(e for e in entries(b) if e.action == "stop_preview")
            assert "other" in stop.title or "other" in stop.help
            await app.run_action("stop_preview", b)
            await until(
                pilot,
                lambda: any("no preview" in n for n in notifications(app)),
                "nothing to stop in B",
            )
            with urllib.request.urlopen(url_a, timeout=10) as response:  # A's still serves
                assert response.status == 200
            await pilot.press("p")
            await until(pilot, lambda: b.preview, "B's preview")
            assert b.preview != url_a
            assert "other" in str(b.query_one("#project-summary").content)
            with urllib.request.urlopen(b.preview, timeout=10) as response:
                assert b"Other" in response.read()
            await app.run_action("stop_preview", b)
            await until(
                pilot, lambda: app.session.preview_url(other) is None, "B's preview stopped"
            )
            assert app.session.preview_url(site) == url_a

    run(scenario())


def test_help_scrolls_with_the_keyboard_at_80x24(editor, site):
    """Defect 5: the key table at the bottom of the help is reachable with the keyboard."""
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_editor(pilot, app)
            await pilot.press("f1")
            await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
            await pilot.pause()
            scroller = app.screen.query_one(VerticalScroll)
            assert scroller.max_scroll_y > 0  # the table does not fit at 80x24
            await pilot.press("end")
            await until(
                pilot, lambda: scroller.scroll_y == scroller.max_scroll_y, "the end of the help"
            )
            await pilot.press("home")
            await until(pilot, lambda: scroller.scroll_y == 0, "the top again")
            await pilot.press("pagedown")
            await until(pilot, lambda: scroller.scroll_y > 0, "a page down")

    run(scenario())


def test_command_palette_opens_on_bgpub_actions(editor, site):
    """Defect 12 (and 11's two "Theme" entries): bgpub's actions first, no widget internals."""
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(
                pilot,
                lambda: isinstance(app.screen, ProjectScreen) and app.screen.site.title,
                "the project",
            )
            await pilot.press("ctrl+p")
            await until(
                pilot,
                lambda: (
                    app.screen.query("CommandList")
                    and app.screen.query_one("CommandList").option_count
                ),
                "the palette",
            )
            await pilot.pause()
            listing = app.screen.query_one("CommandList")
            titles = [
                str(listing.get_option_at_index(i).prompt).split("\n")[0]
                for i in range(listing.option_count)
            ]
            assert titles[0] in {b.description for b in ProjectScreen.BINDINGS}, titles
            for internal in ("Cursor up", "Cursor down", "Maximize", "Scroll up"):
                assert not any(t.startswith(internal) for t in titles), titles
            assert sum(1 for t in titles if "theme" in t.lower()) == len(
                {t for t in titles if "theme" in t.lower()}
            )
            assert "Theme" not in titles  # both themes say which they are
            await pilot.press("escape")

    run(scenario())


@pytest.mark.both_databases
def test_local_workspace_has_no_project_limit_and_a_full_org_says_so_first(
    editor, actor, site, db_target
):
    """Defect 13: SQLite's personal organization is unlimited; PostgreSQL's is FREE, and `n` says the
    limit is reached (with the command lifting it) before any form is filled."""
    app = editor()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(
                pilot,
                lambda: isinstance(app.screen, WorkspaceScreen) and app.screen.rows,
                "projects",
            )
            await pilot.press("n")
            if db_target.kind == "sqlite":
                await until(
                    pilot, lambda: isinstance(app.screen, FormModal), "the new-project form"
                )
                await fill(pilot, app, "#form-name", "second")
                await fill(pilot, app, "#form-title", "Second")
                await pilot.press("enter")
                await until(
                    pilot,
                    lambda: isinstance(app.screen, ProjectScreen),
                    "the second project opened",
                )
                assert app.screen.project.endswith("/second")
            else:
                await until(
                    pilot,
                    lambda: any("bgpub org tier" in n for n in notifications(app)),
                    "the limit named",
                )
                assert isinstance(app.screen, WorkspaceScreen)
                assert any("FREE" in n and "1 of 1" in n for n in notifications(app))

    run(scenario())


def test_labels_say_what_is_served_and_enter_acts(editor, actor, site, home):
    """Defect 11: home shown at `/`, a stable block summary, Enter in the page filter and the theme
    picker, the screenshot saved into the workspace with its path said."""
    block_service.add_block(
        actor, site, "home", "hero", {"text": "Body words", "eyebrow": "New", "heading": "Second"}
    )
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, ProjectScreen)
                    and app.screen.site.title
                    and app.screen.pages.current_slug == "home"
                ),
                "the project",
            )
            project = app.screen
            row = project.pages.render_line(0).text
            assert row.rstrip().endswith("Home  /") and "/home" not in row
            await pilot.press("t")
            await until(pilot, lambda: isinstance(app.screen, ThemeModal), "the theme picker")
            await fill(pilot, app, "#token-color-primary", "#aa3300")
            await pilot.press("enter")
            await until(
                pilot,
                lambda: get_project(actor, site).theme_overrides.get("color-primary") == "#aa3300",
                "Enter applied the theme",
            )
            app.action_screenshot_here()
            await until(
                pilot,
                lambda: any("screenshot saved to" in n for n in notifications(app)),
                "the screenshot",
            )
            saved = list((home / "screenshots").glob("*.svg"))
            assert len(saved) == 1 and any(str(saved[0]) in n for n in notifications(app))
            await fill(pilot, app, "#page-filter", "hom")
            await pilot.press("enter")
            await until(
                pilot,
                lambda: isinstance(app.screen, PageEditorScreen) and app.screen.document,
                "Enter opened it",
            )
            editor_screen = app.screen
            assert " · / · " in str(editor_screen.query_one("#editor-status").content)
            await until(pilot, lambda: editor_screen.block_list.option_count == 2, "the blocks")
            second = str(editor_screen.block_list.get_option_at_index(1).prompt)
            assert "Second" in second and "Body" not in second and "New" not in second

    run(scenario())


def test_changing_a_slug_offers_to_update_the_links_to_it(editor, actor, site):
    """Defect 10: after a slug change the editor counts the internal links to the old URL and, when
    asked, points every one (list items and anchors too) at the new one."""
    add_page(actor, site, "about", "About")
    block_service.add_block(
        actor,
        site,
        "home",
        "navbar",
        {
            "links": [
                {"label": "About", "url": "/about/"},
                {"label": "Team", "url": "/about/#team"},
                {"label": "Elsewhere", "url": "https://example.org/about/"},
            ]
        },
    )
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(
                pilot,
                lambda: isinstance(app.screen, ProjectScreen) and app.screen.pages.total == 2,
                "pages",
            )
            project = app.screen
            await pilot.press("down")
            assert project.pages.current_slug == "about"
            await pilot.press("s")
            await until(pilot, lambda: isinstance(app.screen, FormModal), "the slug form")
            await fill(pilot, app, "#form-slug", "company")
            await pilot.press("enter")
            await until(
                pilot, lambda: isinstance(app.screen, ChoiceModal), "the offer to update links"
            )
            assert "2 internal link(s)" in app.screen.question and "/about/" in app.screen.question
            app.screen.query_one("#choice-update").press()
            await until(
                pilot,
                lambda: any("now point to /company/" in n for n in notifications(app)),
                "the update",
            )
        links = get_page(actor, site, "home").blocks[1]["props"]["links"]
        assert [link["url"] for link in links] == [
            "/company/",
            "/company/#team",
            "https://example.org/about/",
        ]

    run(scenario())


def test_workspace_columns_are_not_cut(editor, actor, site):
    """Defect 11: columns fit their content instead of cutting it beside free space."""
    from textual.widgets import DataTable

    change_tier(actor, site.split("/")[0], "PRO")
    create_project(actor, "long", title="A title long enough to be cut by a fixed column")
    app = editor()

    async def scenario() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            await until(
                pilot,
                lambda: isinstance(app.screen, WorkspaceScreen) and app.screen.rows,
                "projects",
            )
            table = app.screen.query_one(DataTable)

            def cut() -> list[str]:
                """Columns narrower than their longest cell."""
                return [
                    str(column.label)
                    for index, column in enumerate(table.ordered_columns)
                    if column.get_render_width(table) - 2 * table.cell_padding
                    < max(len(str(table.get_row_at(r)[index])) for r in range(table.row_count))
                ]

            # a DataTable sizes its columns a refresh after the rows arrive: wait for it (bounded)
            await until(pilot, lambda: not cut(), "columns sized to their content")
            assert cut() == []

    run(scenario())
