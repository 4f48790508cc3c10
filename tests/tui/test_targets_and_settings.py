"""Targets and settings in the editor (issue 12): deploy targets added, edited, tested and removed with
their kind's fields; publishing to a chosen target after a dry run; the site settings and a page's
settings (SEO, social image, noindex, navigation, header/footer), refusals named in notifications."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Checkbox, Input, Select
from tui_support import SIZE, fill, notifications, run, until

from bgpub.db.models import Deployment, Version
from bgpub.services import blocks as block_service
from bgpub.services.assets import add_asset
from bgpub.services.pages import add_page, get_page
from bgpub.services.projects import create_project, get_project
from bgpub.services.site_analytics import site_analytics
from bgpub.services.targets import add_target, list_targets
from bgpub.tui.screens.dry_run import DryRunModal
from bgpub.tui.screens.page_settings import PageSettingsModal
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.publish import PublishModal
from bgpub.tui.screens.publish_check import PublishFormModal
from bgpub.tui.screens.site_settings import SiteSettingsModal
from bgpub.tui.screens.targets import TargetFormModal, TargetsScreen


def png(width: int, height: int) -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), "#3366cc").save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def site(actor, tmp_path) -> str:
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_page(actor, ref, "home", "Home")
    add_page(actor, ref, "about", "About")
    block_service.add_block(
        actor, ref, "home", "hero", {"heading": "Hello", "primary_url": "/about/"}
    )
    (tmp_path / "cover.png").write_bytes(png(1600, 900))
    add_asset(actor, ref, tmp_path / "cover.png", alt="Cover")
    (tmp_path / "logo.png").write_bytes(png(512, 512))
    add_asset(actor, ref, tmp_path / "logo.png", alt="Logo")
    return ref


async def on_project(pilot, app) -> ProjectScreen:
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, ProjectScreen)
            and app.screen.pages.rows
            and app.screen.site.title
        ),
        "the project",
    )
    return app.screen


def errors(app) -> list[str]:
    return [n.message for n in app._notifications if n.severity == "error"]


def test_targets_added_edited_tested_and_removed(editor, actor, site, tmp_path):
    app = editor(site)
    live = tmp_path / "live-site"

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await on_project(pilot, app)
            await pilot.press("T")
            await until(
                pilot,
                lambda: isinstance(app.screen, TargetsScreen) and app.screen.loaded,
                "targets",
            )
            screen = app.screen
            assert "No targets yet" in str(screen.query_one("#targets-empty").content)

            await pilot.press("n")
            await until(
                pilot,
                lambda: isinstance(app.screen, TargetFormModal) and app.screen.query("#opt-path"),
                "the target form",
            )
            form = app.screen
            # the kind's fields come from the registry: dir has path and keep, every kind base_url
            assert {"opt-path", "opt-keep", "opt-base_url", "opt-host_rules"} <= {
                w.id for w in form.query("#target-options > *")
            }
            await fill(pilot, app, "#target-name", "live")
            await fill(pilot, app, "#opt-keep", "3")
            form.action_save()  # no path: refused, naming the field; the dialog keeps what was typed
            await until(pilot, lambda: any("--path" in e for e in errors(app)), "the refusal")
            assert app.screen is form and form.query_one("#opt-keep", Input).value == "3"
            assert "--path" in str(form.query_one("#form-error").content)
            await fill(pilot, app, "#opt-path", str(live))
            await fill(pilot, app, "#opt-base_url", "javascript:alert(1)")
            form.action_save()
            await until(
                pilot, lambda: any("--base-url" in e for e in errors(app)), "the base URL refusal"
            )
            assert list_targets(actor, site) == []
            await fill(pilot, app, "#opt-base_url", "https://www.example.org")
            form.action_save()
            await until(pilot, lambda: app.screen is screen and screen.rows, "the target listed")
            (target,) = list_targets(actor, site)
            assert (target.name, target.kind, target.config["path"], target.config["keep"]) == (
                "live",
                "dir",
                str(live),
                3,
            )
            assert target.base_url == "https://www.example.org"

            # another kind's fields replace these when the kind changes
            await pilot.press("n")
            await until(
                pilot,
                lambda: isinstance(app.screen, TargetFormModal) and app.screen.query("#opt-path"),
                "a second form",
            )
            app.screen.query_one("#target-kind", Select).value = "rsync"
            await until(
                pilot,
                lambda: app.screen.query("#opt-dest") and not app.screen.query("#opt-path"),
                "the rsync fields",
            )
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is screen, "back on the list")

            screen.table.focus()
            await pilot.press("e")
            await until(
                pilot,
                lambda: isinstance(app.screen, TargetFormModal) and app.screen.query("#opt-path"),
                "the edit form",
            )
            edit = app.screen
            assert edit.query_one("#target-name", Input).disabled
            assert edit.query_one("#opt-path", Input).value == str(live)
            await fill(pilot, app, "#opt-keep", "5")
            edit.action_save()
            await until(
                pilot,
                lambda: app.screen is screen and list_targets(actor, site)[0].config["keep"] == 5,
                "the edit saved",
            )

            await pilot.press("t")
            await until(
                pilot,
                lambda: "is ready" in str(screen.query_one("#target-report").content),
                "the test",
            )
            assert str(live) in str(screen.query_one("#target-report").content)

            await pilot.press("x")
            await until(pilot, lambda: app.screen is not screen, "the question")
            await pilot.press("y")
            await until(pilot, lambda: not list_targets(actor, site), "the target removed")

            # Escape leaves the list: Textual removes the popped screen with its `remove()`, which
            # the remove-target worker once shadowed (the editor stopped with a TypeError)
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "back on the project")
            await pilot.press("T")
            await until(
                pilot,
                lambda: isinstance(app.screen, TargetsScreen) and app.screen.loaded,
                "the targets again",
            )
            assert app.is_running and app.return_code is None

    run(scenario())


def test_dry_run_lists_the_files_and_publish_goes_to_the_chosen_target(
    editor, actor, site, tmp_path
):
    first, second = tmp_path / "first", tmp_path / "second"
    add_target(actor, site, "first", "dir", path=str(first))
    add_target(actor, site, "second", "dir", path=str(second))
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await on_project(pilot, app)
            await pilot.press("P")
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, PublishFormModal)
                    and app.screen.findings is not None
                    and app.screen.target == "first"
                ),
                "the publish form and its targets",
            )
            form = app.screen
            select = form.query_one("#publish-target", Select)
            assert [v for _, v in select._options if v is not Select.NULL] == [
                "first",
                "second",
                "all",
            ]
            select.value = "second"
            await pilot.pause()
            form.query_one("#dry-run", Button).press()
            await until(
                pilot,
                lambda: isinstance(app.screen, DryRunModal) and app.screen.result is not None,
                "the dry run",
            )
            listed = str(app.screen.query_one("#dry-run-list").content)
            assert "second:" in listed and "to upload" in listed and "+ index.html" in listed
            assert "+ about/index.html" in listed and "0 to delete" in listed
            assert Version.select().count() == 0 and not second.exists()  # nothing was changed
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is form, "back on the form")
            form.query_one("#ok", Button).press()
            await until(
                pilot,
                lambda: isinstance(app.screen, PublishModal) and app.screen.outcome is not None,
                "the publish",
            )
            assert app.screen.outcome.target == "second"
            assert (second / "index.html").exists() and not first.exists()
            assert [d.target_name for d in Deployment.select()] == ["second"]

    run(scenario())


def test_site_settings_saved_and_refused(editor, actor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await on_project(pilot, app)
            await pilot.press("g")
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, SiteSettingsModal)
                    and app.screen.query("#site-analytics-id")
                ),
                "the settings",
            )
            modal = app.screen
            await fill(pilot, app, "#site-language", "fr")
            await fill(pilot, app, "#site-base_url", "ftp://example.org")
            modal.action_save()
            await until(pilot, lambda: any("base_url" in e for e in errors(app)), "the refusal")
            assert (
                app.screen is modal and get_project(actor, site).language == "en"
            )  # nothing changed
            await fill(pilot, app, "#site-base_url", "https://www.example.org")
            await fill(pilot, app, "#site-footer_note", "© 2026 Site & Co <b>")
            modal.query_one("#site-seo_image", Select).value = "cover.png"
            modal.query_one("#site-icon", Select).value = "logo.png"
            modal.query_one("#site-analytics", Select).value = "plausible"
            await fill(pilot, app, "#site-analytics-id", "not a domain")
            modal.action_save()
            await until(
                pilot,
                lambda: any("domain" in e and "plausible" in e for e in errors(app)),
                "the analytics refusal",
            )
            assert app.screen is modal and get_project(actor, site).language == "en"
            await fill(pilot, app, "#site-analytics-id", "www.example.org")
            modal.action_save()
            await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "the settings saved")
            project = get_project(actor, site)
            assert project.language == "fr"
            assert project.settings["base_url"] == "https://www.example.org"
            assert project.settings["footer_note"] == "© 2026 Site & Co <b>"
            assert (project.settings["seo_image"], project.settings["icon"]) == (
                "cover.png",
                "logo.png",
            )
            analytics = site_analytics(actor, site)
            assert (analytics.kind, analytics.value) == ("plausible", "www.example.org")

            await pilot.press(
                "g"
            )  # reopened, it shows what was saved; removing the analytics works too
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, SiteSettingsModal)
                    and app.screen.query("#site-analytics-id")
                ),
                "the settings again",
            )
            modal = app.screen
            assert modal.query_one("#site-analytics-id", Input).value == "www.example.org"
            assert modal.query_one("#site-icon", Select).value == "logo.png"
            modal.query_one("#site-analytics", Select).value = "none"
            modal.query_one("#site-icon", Select).clear()
            modal.action_save()
            await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "saved again")
            assert site_analytics(actor, site).kind == ""
            assert "icon" not in get_project(actor, site).settings

    run(scenario())


def test_page_settings_saved_and_refused(editor, actor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await on_project(pilot, app)
            screen.pages.focus()
            await pilot.press("down")  # the about page
            await until(
                pilot,
                lambda: screen.pages.current and screen.pages.current.slug == "about",
                "about",
            )
            await pilot.press("e")
            await until(
                pilot,
                lambda: (
                    isinstance(app.screen, PageSettingsModal)
                    and app.screen.query("#page-show-footer")
                ),
                "the page settings",
            )
            modal = app.screen
            assert modal.query_one("#page-show-header", Checkbox).value
            await fill(pilot, app, "#page-seo-title", "x" * 300)
            modal.action_save()
            await until(pilot, lambda: any("seo_title" in e for e in errors(app)), "the refusal")
            assert app.screen is modal and get_page(actor, site, "about").seo_title == ""
            await fill(pilot, app, "#page-seo-title", "About us | Site")
            await fill(pilot, app, "#page-canonical-url", "javascript:alert(1)")
            modal.action_save()
            await until(pilot, lambda: any("canonical_url" in e for e in errors(app)), "refused")
            assert app.screen is modal and get_page(actor, site, "about").seo_title == ""
            await fill(pilot, app, "#page-canonical-url", "https://original.example/about")
            await fill(pilot, app, "#page-seo-description", "Who we are")
            modal.query_one("#page-social-image", Select).value = "cover.png"
            modal.query_one("#page-hide", Checkbox).value = True
            modal.query_one("#page-noindex", Checkbox).value = True
            modal.query_one("#page-show-footer", Checkbox).value = False
            modal.query_one("#save", Button).press()
            await until(pilot, lambda: app.screen is screen, "saved")
            page = get_page(actor, site, "about")
            assert (page.seo_title, page.seo_description, page.social_image) == (
                "About us | Site",
                "Who we are",
                "cover.png",
            )
            assert page.canonical_url == "https://original.example/about"
            assert (page.show_in_nav, page.noindex, page.show_header, page.show_footer) == (
                False,
                True,
                True,
                False,
            )
            await until(
                pilot,
                lambda: any("settings of /about saved" in n for n in notifications(app)),
                "the notification",
            )

    run(scenario())


def test_the_keys_are_in_the_help_and_the_palette(editor, site):
    from bgpub.tui.commands import entries
    from bgpub.tui.screens.help import keys_of

    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await on_project(pilot, app)
            titles = {e.title for e in entries(screen)}
            assert {"Deploy targets", "Page settings", "Settings"} <= titles
            table = keys_of(screen)
            assert "| `T` | Deploy targets |" in table and "| `e` | Page settings |" in table

    run(scenario())
