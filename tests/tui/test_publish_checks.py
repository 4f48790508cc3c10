"""The editor checks the site before publishing (the list `bgpub check` prints): errors stop the
publish, warnings alone let it go on."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Button
from tui_support import SIZE, fill, notifications, run, until

from bgpub.services import blocks as block_service
from bgpub.services.pages import add_page
from bgpub.services.projects import create_project
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.publish import PublishModal
from bgpub.tui.screens.publish_check import PublishFormModal


@pytest.fixture
def site(actor) -> str:
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_page(actor, ref, "home", "Home")
    block_service.add_block(
        actor, ref, "home", "hero", {"heading": "Hello", "primary_url": "/nowhere/"}
    )
    return ref


def test_errors_stop_the_publish_and_warnings_let_it_go(editor, actor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(
                pilot,
                lambda: isinstance(app.screen, ProjectScreen) and app.screen.site.title,
                "the project",
            )
            await pilot.press("P")
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, PublishFormModal) and app.screen.findings is not None
                ),
                "the checks",
            )
            modal = app.screen
            shown = str(modal.query_one("#publish-checks").content)
            assert (
                "links to /nowhere/" in shown
                and "page home, block 1 (hero), prop primary_url" in shown
            )
            assert "no base URL" in shown
            assert str(modal.query_one("#ok", Button).label) == "Publish anyway"
            await pilot.press("enter")  # Enter alone does not publish over an error
            await until(
                pilot,
                lambda: any("press Publish anyway" in n for n in notifications(app)),
                "refused",
            )
            assert app.screen is modal
            await pilot.press("escape")
            block_service.replace_blocks(
                actor, site, "home", [{"component": "hero", "props": {"heading": "Hello"}}]
            )
            await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "back on the project")
            await pilot.press("P")
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, PublishFormModal) and app.screen.findings is not None
                ),
                "the checks again",
            )
            assert app.screen.errors == 0 and not app.screen.query_one("#ok", Button).disabled
            await fill(pilot, app, "#form-message", "checked")
            await pilot.press("enter")
            await until(
                pilot,
                lambda: isinstance(app.screen, PublishModal) and not app.screen.running,
                "published",
            )
            assert app.screen.outcome is not None
            assert (
                Path(app.screen.outcome.location.removeprefix("file://")) / "index.html"
            ).exists()

    run(scenario())
