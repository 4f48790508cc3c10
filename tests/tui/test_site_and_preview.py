"""Site settings, the theme picker with token overrides, the preview binding and `bgpub edit`."""

from __future__ import annotations

import urllib.request

import pytest
from textual.widgets import Button, Select
from tui_support import SIZE, fill, run, until

from bgpub.services.pages import add_page
from bgpub.services.projects import create_project, get_project
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.site import SiteSettingsModal, ThemeModal


@pytest.fixture
def site(actor) -> str:
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_page(actor, ref, "home", "Home")
    return ref


async def on_project(pilot, app) -> ProjectScreen:
    await until(
        pilot,
        lambda: isinstance(app.screen, ProjectScreen) and app.screen.theme_list,
        "the project",
    )
    return app.screen


def test_settings_and_theme_overrides(editor, actor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await on_project(pilot, app)
            await pilot.press("g")
            await until(
                pilot,
                lambda: isinstance(app.screen, SiteSettingsModal) and app.screen.query("#save"),
                "the settings",
            )
            await fill(pilot, app, "#site-title", "Acme Widgets")
            await fill(pilot, app, "#site-description", "Widgets for everyone")
            await pilot.click("#save")
            await until(
                pilot,
                lambda: get_project(actor, site).title == "Acme Widgets",
                "the settings saved",
            )
            assert get_project(actor, site).description == "Widgets for everyone"

            await until(
                pilot,
                lambda: app.screen is screen and screen.site.title == "Acme Widgets",
                "reloaded",
            )
            await pilot.press("t")
            await until(pilot, lambda: isinstance(app.screen, ThemeModal), "the theme picker")
            names = [t.name for t in screen.theme_list]
            other = next(n for n in names if n != get_project(actor, site).theme)
            app.screen.query_one("#theme-name", Select).value = other
            await fill(pilot, app, "#token-color-primary", "url(javascript:x)")
            assert "color-primary" in str(app.screen.query_one("#theme-error").content)
            app.screen.query_one("#save", Button).press()
            await pilot.pause()
            assert isinstance(app.screen, ThemeModal)  # refused while a token is invalid
            await fill(pilot, app, "#token-color-primary", "#aa3300")
            app.screen.query_one("#save", Button).press()
            await until(pilot, lambda: get_project(actor, site).theme == other, "the theme saved")
            assert get_project(actor, site).theme_overrides == {"color-primary": "#aa3300"}

    run(scenario())


def test_preview_starts_shows_its_url_and_stops(editor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await on_project(pilot, app)
            await pilot.press("p")
            await until(pilot, lambda: screen.preview, "the preview URL")
            assert screen.preview.startswith("http://127.0.0.1:")
            assert screen.preview in str(screen.query_one("#project-summary").content)
            with urllib.request.urlopen(screen.preview, timeout=10) as response:
                assert response.status == 200
                assert b"<html" in response.read().lower()
            await app.run_action("stop_preview", screen)
            await until(
                pilot,
                lambda: app.session.preview_url(screen.project) is None,
                "the preview stopped",
            )

    run(scenario())


def test_edit_command_opens_the_editor_on_the_project(db_target, home, monkeypatch, site):
    from bgpub.cli import main
    from bgpub.tui.app import BgpubApp

    opened = []
    monkeypatch.setattr("bgpub.cli.edit.has_terminal", lambda: True)
    monkeypatch.setattr(BgpubApp, "run", lambda self: opened.append(self.initial_project))
    main(["--database-url", db_target.url, "edit", "site"])
    assert opened == ["site"]
    main(["--database-url", db_target.url])  # no command: the editor, on the workspace screen
    assert opened == ["site", None]
