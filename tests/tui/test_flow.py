"""The editor end to end through the real services and database (SQLite and PostgreSQL).

Create a project from a starter, add a page, add a hero and a feature grid, see an invalid URL
refused inline, fix it, save, publish, see version 1, edit, publish again, roll back to version 1.
"""

from __future__ import annotations

import pytest
from textual.widgets import DataTable
from tui_support import SIZE, fill, notifications, run, type_text, until

from bgpub.services import blocks as block_service
from bgpub.services.importing import list_starters
from bgpub.services.pages import get_page, list_pages
from bgpub.services.projects import list_projects
from bgpub.tui.screens.page_editor import PageEditorScreen
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.publish import PublishModal
from bgpub.tui.screens.versions import VersionsScreen
from bgpub.tui.screens.workspace import WorkspaceScreen
from bgpub.tui.widgets.component_palette import ComponentPaletteModal
from bgpub.tui.widgets.page_list import PageList
from bgpub.tui.widgets.props_form import PropsForm


@pytest.fixture
def starter(actor, tmp_path, monkeypatch) -> str:
    """The `landing` starter of sites/ when it is there; else a one-page starter exported for the test."""
    if "landing" in list_starters():
        return "landing"
    from bgpub.services.projects import create_project, delete_project
    from bgpub.services.snapshots import export_project

    create_project(actor, "seed", title="Seed")
    from bgpub.services.pages import add_page

    add_page(actor, "seed", "home", "Home")
    block_service.add_block(actor, "seed", "home", "hero", {"heading": "Welcome"})
    export_project(actor, "seed", tmp_path / "sites" / "landing")
    delete_project(actor, "seed")
    monkeypatch.setenv("BGPUB_SITES_PATH", str(tmp_path / "sites"))
    return "landing"


def test_create_edit_publish_rollback(editor, actor, starter):
    run(flow(editor(), actor, starter))


async def flow(app, actor, starter: str) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, WorkspaceScreen) and app.screen.organizations,
            "the workspace",
        )

        # create a project from the starter
        await pilot.press("n")
        await until(pilot, lambda: app.screen.query_one("#form-name"), "the new-project form")
        app.screen.query_one("#form-starter").value = starter
        await fill(pilot, app, "#form-name", "acme")
        await fill(pilot, app, "#form-title", "Acme")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "the project screen")
        project = app.screen.project
        assert project.endswith("/acme")
        assert [p.ref for p in list_projects(actor)] == [project]
        starter_pages = [p.slug for p in list_pages(actor, project)]
        await until(
            pilot,
            lambda: app.screen.query_one(PageList).total == len(starter_pages),
            "the starter's pages",
        )

        # add a page
        await pilot.press("n")
        await until(pilot, lambda: app.screen.query_one("#form-slug"), "the new-page form")
        await fill(pilot, app, "#form-title", "Pricing")
        await fill(pilot, app, "#form-slug", "pricing")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, ProjectScreen)
                and app.screen.query_one(PageList).current_slug == "pricing"
            ),
            "the new page selected",
        )
        assert [p.slug for p in list_pages(actor, project)] == [*starter_pages, "pricing"]

        # open it and add a hero and a feature grid from the palette
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, PageEditorScreen) and app.screen.document is not None,
            "the page editor",
        )
        for query, key in (("hero", "hero"), ("feature grid", "feature-grid")):
            app.screen.query_one("#blocks").focus()
            await pilot.press("a")
            await until(
                pilot,
                lambda: isinstance(app.screen, ComponentPaletteModal),
                "the component palette",
            )
            await type_text(pilot, query)
            await pilot.press("enter")
            await until(
                pilot,
                lambda k=key: (
                    isinstance(app.screen, PageEditorScreen)
                    and app.screen.form is not None
                    and app.screen.blocks[app.screen.form_index].component == k
                ),
                f"the {key} form",
            )
        editor_screen = app.screen
        assert [b.component for b in editor_screen.blocks] == ["hero", "feature-grid"]

        # back to the hero: an invalid URL is refused inline, as you type
        editor_screen.query_one("#blocks").focus()
        await pilot.press("up")
        await until(
            pilot,
            lambda: editor_screen.form_index == 0 and editor_screen.query_one("#prop-primary_url"),
            "the hero form",
        )
        await fill(pilot, app, "#prop-primary_url", "javascript:alert(1)", typing=True)
        form = editor_screen.query_one(PropsForm)
        await until(
            pilot, lambda: form.error_text("primary_url"), "the inline error under primary_url"
        )
        assert (
            "javascript" in form.error_text("primary_url").lower()
            or "url" in form.error_text("primary_url").lower()
        )
        await fill(pilot, app, "#prop-primary_url", "/pricing/")
        await until(pilot, lambda: form.error_text("primary_url") == "", "the error to clear")
        assert form.error_text(
            "heading"
        )  # a new block starts empty: its required heading is flagged
        await fill(pilot, app, "#prop-heading", "Pricing that fits")
        await until(pilot, lambda: 0 not in editor_screen.invalid, "the hero valid")
        editor_screen.query_one("#blocks").focus()
        await pilot.press("down")
        await until(
            pilot,
            lambda: editor_screen.form_index == 1 and editor_screen.query("#prop-features-0-title"),
            "the feature grid form",
        )
        await fill(pilot, app, "#prop-features-0-title", "Monthly plans")
        await until(pilot, lambda: 1 not in editor_screen.invalid, "the feature grid valid")

        # save
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not editor_screen.dirty, "the save")
        saved = get_page(actor, project, "pricing")
        assert [b["component"] for b in saved.blocks] == ["hero", "feature-grid"]
        assert saved.blocks[0]["props"]["primary_url"] == "/pricing/"

        # publish: version 1
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "the project screen")
        await publish(pilot, app, "first")
        await pilot.press("v")
        await until(
            pilot,
            lambda: isinstance(app.screen, VersionsScreen) and app.screen.rows,
            "version 1 listed",
        )
        versions = app.screen
        assert [(v.number, v.message, v.is_live) for v in versions.rows] == [(1, "first", True)]
        assert "1" in str(versions.query_one(DataTable).get_row_at(0)[0])
        await pilot.press("escape")

        # edit: change the hero heading, save, publish version 2
        await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "the project screen")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: isinstance(app.screen, PageEditorScreen) and app.screen.form is not None,
            "the page editor",
        )
        await fill(pilot, app, "#prop-heading", "Plans for everyone")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: not app.screen.dirty, "the second save")
        assert (
            get_page(actor, project, "pricing").blocks[0]["props"]["heading"]
            == "Plans for everyone"
        )
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "the project screen")
        await publish(pilot, app, "second")

        # roll back to version 1 after confirming
        await pilot.press("v")
        await until(
            pilot,
            lambda: isinstance(app.screen, VersionsScreen) and len(app.screen.rows) == 2,
            "two versions",
        )
        versions = app.screen
        assert [v.number for v in versions.rows] == [2, 1] and versions.rows[0].is_live
        versions.query_one(DataTable).move_cursor(row=1)
        await pilot.press("r")
        await until(pilot, lambda: app.screen.query_one("#yes"), "the rollback confirmation")
        await pilot.press("y")
        await until(
            pilot,
            lambda: isinstance(app.screen, PublishModal) and not app.screen.running,
            "the rollback",
        )
        assert app.screen.outcome is not None and app.screen.outcome.version == 1
        await pilot.press("escape")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, VersionsScreen)
                and app.screen.rows
                and app.screen.rows[-1].is_live
            ),
            "version 1 live again",
        )
        assert not any("Error" in n for n in notifications(app))

        # the workspace shows the last publish and by whom
        await pilot.press("escape", "escape")
        await until(
            pilot,
            lambda: (
                isinstance(app.screen, WorkspaceScreen)
                and app.screen.rows
                and app.screen.rows[0].last_publish_by
            ),
            "the workspace row",
        )
        row = app.screen.rows[0]
        assert (row.name, row.status, row.last_publish_by) == ("acme", "PUBLISHED", actor.email)
        assert row.last_publish_at is not None


async def publish(pilot, app, message: str) -> None:
    await pilot.press("P")
    await until(pilot, lambda: app.screen.query_one("#form-message"), "the publish form")
    await fill(pilot, app, "#form-message", message)
    await until(pilot, lambda: app.screen.findings is not None, "the site checked")
    if (
        app.screen.errors
    ):  # the starter's forms post to example addresses: publish over them knowingly
        app.screen.query_one("#ok").press()
    else:
        await pilot.press("enter")
    await until(
        pilot,
        lambda: isinstance(app.screen, PublishModal) and not app.screen.running,
        "the publish to finish",
    )
    modal = app.screen
    assert modal.outcome is not None, str(modal.query_one("#publish-result").content)
    await pilot.press("escape")
    await until(
        pilot, lambda: isinstance(app.screen, ProjectScreen), "the project screen after publishing"
    )
