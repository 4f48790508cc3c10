"""Details of the editor: readable list buttons, one inline message per invalid field, honest advice
when no components are found, the workspace's "published by" in one service call, opening the browser."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widgets import Button, DataTable
from tui_support import SIZE, fill, notifications, run, until

from bgpub.services import blocks as block_service
from bgpub.services import versions as version_service
from bgpub.services.organizations import change_tier
from bgpub.services.pages import add_page
from bgpub.services.projects import create_project
from bgpub.services.publishing import publish_project
from bgpub.tui.screens import project as project_screen
from bgpub.tui.screens.page_editor import PageEditorScreen
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.workspace import WorkspaceScreen


@pytest.fixture
def site(actor) -> str:
    """Page `home` with a navbar of two links (block 1) and a hero (block 2)."""
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_page(actor, ref, "home", "Home")
    block_service.add_block(
        actor,
        ref,
        "home",
        "navbar",
        {"links": [{"label": "About", "url": "/about/"}, {"label": "Blog", "url": "/blog/"}]},
    )
    block_service.add_block(actor, ref, "home", "hero", {"heading": "Hello"})
    return ref


async def open_block(pilot, app, index: int) -> PageEditorScreen:
    await until(
        pilot,
        lambda: isinstance(app.screen, ProjectScreen) and app.screen.pages.current_slug == "home",
        "pages",
    )
    await pilot.press("enter")
    await until(
        pilot,
        lambda: isinstance(app.screen, PageEditorScreen) and app.screen.form is not None,
        "the editor",
    )
    screen = app.screen
    screen.query_one("#blocks").focus()
    screen.block_list.highlighted = index
    await until(
        pilot,
        lambda: screen.form_index == index and screen.form is not None,
        f"block {index + 1}'s form",
    )
    await pilot.pause()
    return screen


def shown_text(widget) -> str:
    """What the widget paints on the terminal, row after row."""
    lines = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return "\n".join(line.text for line in lines)


@pytest.mark.parametrize("size", [(80, 24), (100, 30)], ids=["80x24", "100x30"])
def test_list_item_buttons_show_their_labels(editor, site, size):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=size) as pilot:
            screen = await open_block(pilot, app, 0)
            removes = list(screen.form.query(".item-remove").results(Button))
            assert len(removes) == 2
            for button in removes:
                assert "remove" in shown_text(button)
            for selector, arrow in ((".item-up", "↑"), (".item-down", "↓")):
                assert all(
                    arrow in shown_text(b) for b in screen.form.query(selector).results(Button)
                )
            assert "add link" in shown_text(screen.form.query_one(".list-add", Button))

    run(scenario())


def test_every_invalid_field_shows_its_own_message(editor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_block(pilot, app, 1)
            form = screen.form
            await fill(pilot, app, "#prop-heading", "")
            await fill(pilot, app, "#prop-primary_url", "javascript:alert(1)")
            await until(
                pilot,
                lambda: form.error_text("heading") and form.error_text("primary_url"),
                "both errors",
            )
            assert "required" in form.error_text("heading")
            assert "javascript" in form.error_text("primary_url")
            await fill(pilot, app, "#prop-heading", "Back again")
            await until(
                pilot, lambda: form.error_text("heading") == "", "the heading's error to clear"
            )
            assert "javascript" in form.error_text(
                "primary_url"
            )  # the other field keeps its message

            screen.block_list.highlighted = 0
            await until(
                pilot,
                lambda: screen.form_index == 0 and screen.form is not None,
                "the navbar's form",
            )
            await pilot.pause()
            navbar = screen.form
            await fill(pilot, app, "#prop-links-0-url", "ftp://example.com")
            await fill(pilot, app, "#prop-links-1-label", "")
            items = navbar.query_one("#prop-links").query(".item > FieldSet")
            await until(
                pilot,
                lambda: items[0].error_text("url") and items[1].error_text("label"),
                "both item errors",
            )
            assert "ftp" in items[0].error_text("url") and "required" in items[1].error_text(
                "label"
            )

    run(scenario())


def test_no_components_names_the_components_path(editor, site, tmp_path, monkeypatch):
    empty = tmp_path / "no-components"
    empty.mkdir()
    monkeypatch.setenv("BGPUB_COMPONENTS_PATH", str(empty))
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, ProjectScreen)
                    and app.screen.pages.current_slug == "home"
                ),
                "pages",
            )
            await pilot.press("enter")
            await until(
                pilot,
                lambda: isinstance(app.screen, PageEditorScreen) and app.screen.document,
                "the editor",
            )
            await pilot.press("a")
            await until(
                pilot, lambda: any("no components" in n for n in notifications(app)), "the warning"
            )
            message = next(n for n in notifications(app) if "no components" in n)
            assert str(empty) in message and "BGPUB_COMPONENTS_PATH" in message
            assert "library sync" not in message

    run(scenario())


def test_workspace_shows_who_published_without_a_call_per_project(
    editor, actor, site, home, monkeypatch
):
    publish_project(actor, site, message="first", workspace=home)
    change_tier(actor, site.split("/")[0], "PRO")
    create_project(actor, "notes", title="Notes")

    def refused(*args, **kwargs):
        raise AssertionError("the workspace screen called list_versions once per project")

    monkeypatch.setattr(version_service, "list_versions", refused)
    app = editor()

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(
                pilot,
                lambda: isinstance(app.screen, WorkspaceScreen) and len(app.screen.rows) == 2,
                "projects",
            )
            by = {row.name: row.last_publish_by for row in app.screen.rows}
            assert by == {"site": actor.email, "notes": ""}
            table = app.screen.query_one(DataTable)
            assert any(
                actor.email in str(cell)
                for r in range(table.row_count)
                for cell in table.get_row_at(r)
            )

    run(scenario())


@pytest.mark.parametrize("browser_found", [True, False], ids=["browser", "no-browser"])
def test_open_browser_opens_the_preview_url(editor, site, monkeypatch, browser_found):
    opened: list[str] = []

    def fake_open(url: str) -> bool:
        opened.append(url)
        return browser_found

    monkeypatch.setattr(project_screen.webbrowser, "open", fake_open)
    app = editor(site)
    url = "http://127.0.0.1:8765/"

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(
                pilot,
                lambda: isinstance(app.screen, ProjectScreen) and app.screen.theme_list,
                "the project",
            )
            monkeypatch.setattr(app.session, "start_preview", lambda project: url)
            await pilot.press("o")
            await until(
                pilot,
                lambda: any("start the preview first" in n for n in notifications(app)),
                "the hint",
            )
            assert opened == []
            await pilot.press("p")
            await until(pilot, lambda: app.screen.preview == url, "the preview URL")
            await pilot.press("o")
            await until(pilot, lambda: opened == [url], "the browser opened on the preview")
            if not browser_found:
                await until(
                    pilot,
                    lambda: any(f"open {url} yourself" in n for n in notifications(app)),
                    "the URL to open by hand",
                )

    run(scenario())


def test_a_prop_the_schema_does_not_know_is_shown_above_the_form(editor, site):
    from bgpub.domain.blocks import Block

    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_block(pilot, app, 1)
            screen.blocks[1] = Block(
                "hero", {"heading": "Hi", "colour": "red"}
            )  # e.g. a prop since removed
            screen.check(1, screen.blocks[1], screen._generation)
            block_error = screen.query_one("#block-error")
            await until(
                pilot, lambda: "colour" in str(block_error.content), "the unknown prop's message"
            )
            assert "unknown prop" in str(block_error.content)

    run(scenario())
