"""The editor's Analytics screen (Pilot): totals, the per-day chart and top tables from what the
collector stored, refreshed while the screen is open."""

from __future__ import annotations

import asyncio

import pytest
from tests.tui.tui_support import until  # checks every 10 ms, gives up after 30 s

from bgpub.db.fields import utcnow
from bgpub.services.page_views import ViewRecord, new_view_id, record_views
from bgpub.services.submissions import record_submission
from bgpub.tui.app import make_app
from bgpub.tui.screens.analytics import AnalyticsScreen

# A front end's test: SQLite only, like tests/tui (tests/conftest.py, `_editor_on_sqlite`).
pytestmark = pytest.mark.editor


def views(site, *paths: str) -> None:
    record_views(
        [
            ViewRecord(
                new_view_id(), site.id, path, "news.example", None, "mobile", f"v{i}", utcnow()
            )
            for i, path in enumerate(paths)
        ]
    )


@pytest.mark.slow
def test_analytics_screen_shows_and_refreshes_the_counts(workspace, site, monkeypatch):
    """Pilot tests are coroutines; the suite has no asyncio plugin, so this one runs its own loop."""
    monkeypatch.setattr(AnalyticsScreen, "REFRESH_SECONDS", 0.3)
    views(site, "/", "/", "/pricing/")
    record_submission(site.id, "contact", {"name": "Ada"})
    asyncio.run(flow(make_app(workspace, "demo", format_time=lambda moment: ""), site))


async def flow(app, site) -> None:
    async with app.run_test(size=(120, 36)) as pilot:
        await until(
            pilot, lambda: app.screen.__class__.__name__ == "ProjectScreen", "the project screen"
        )
        await pilot.press("S")
        await until(
            pilot,
            lambda: isinstance(app.screen, AnalyticsScreen) and app.screen.stats,
            "stats loaded",
        )
        screen = app.screen
        totals = str(screen.query_one("#totals").render())
        assert "views 3" in totals and "contact 1" in totals
        pages = screen.query_one("#top-pages")
        assert [pages.get_row_at(i)[:2] for i in range(pages.row_count)] == [
            ["/", "2"],
            ["/pricing/", "1"],
        ]
        assert screen.query_one("#per-day").data[-1] == 3
        views(site, "/about/")  # arrives while the screen is open
        await until(pilot, lambda: screen.stats.views == 4, "the live refresh")
        assert "views 4" in str(screen.query_one("#totals").render())
        await pilot.press("escape")
        await until(
            pilot, lambda: not isinstance(app.screen, AnalyticsScreen), "back to the project"
        )


@pytest.mark.slow
def test_submissions_screen_lists_reads_marks_and_exports(workspace, site, tmp_path, monkeypatch):
    """Reached with `u` on the project screen and from the command palette; a hostile field shows as
    text; `h` marks handled (the service agrees); `e` writes the listed form's CSV, never over a file."""
    monkeypatch.chdir(tmp_path)
    record_submission(site.id, "contact", {"name": "Ada", "message": "Hello [b]bold[/b] <i>"})
    record_submission(site.id, "newsletter", {"email": "grace@example.com"})
    record_submission(site.id, "contact", {"name": '=HYPERLINK("x")', "message": "second"})
    asyncio.run(
        submissions_flow(make_app(workspace, "demo", format_time=lambda m: ""), site, tmp_path)
    )


async def submissions_flow(app, site, folder) -> None:
    from textual.widgets import Input, Select

    from bgpub.db.models import Project
    from bgpub.services.submissions import submissions_of
    from bgpub.tui.screens.submissions import SubmissionsScreen

    async with app.run_test(size=(120, 36)) as pilot:
        await until(pilot, lambda: app.screen.__class__.__name__ == "ProjectScreen", "project")
        project_screen = app.screen
        await pilot.press("u")
        await until(
            pilot,
            lambda: isinstance(app.screen, SubmissionsScreen) and app.screen.rows,
            "submissions loaded",
        )
        screen = app.screen
        assert [r.form for r in screen.rows] == ["contact", "newsletter", "contact"]  # newest first
        screen.query_one("#submission-form", Select).value = "contact"
        await until(pilot, lambda: len(screen.rows) == 2, "the contact form's")
        screen.table.move_cursor(row=1)  # the first one sent
        await until(
            pilot,
            lambda: "Hello [b]bold[/b] <i>" in str(screen.query_one("#submission-text").render()),
            "read in full, as text",
        )
        await pilot.press("h")
        project = Project.get_by_id(site.id)
        await until(
            pilot,
            lambda: sum(1 for r in submissions_of(project) if r.handled_at) == 1,
            "marked handled",
        )
        await until(pilot, lambda: screen.rows and screen.rows[1].handled_at, "the list agrees")
        assert [r.data.get("message") for r in submissions_of(project) if r.handled_at] == [
            "Hello [b]bold[/b] <i>"
        ]
        await pilot.press("e")
        await until(pilot, lambda: app.screen.__class__.__name__ == "FormModal", "export asks")
        path = app.screen.query_one(Input).value
        assert path == str(folder / "submissions-demo-contact.csv")
        await pilot.press("enter")
        await until(pilot, lambda: (folder / "submissions-demo-contact.csv").exists(), "written")
        lines = (folder / "submissions-demo-contact.csv").read_text("utf-8").splitlines()
        assert len(lines) == 3 and lines[0].startswith("id,form,page,created_at,handled_at")
        assert "'=HYPERLINK" in lines[1]  # formula injection neutralised by the service's CSV
        await until(pilot, lambda: isinstance(app.screen, SubmissionsScreen), "modal closed")
        await pilot.press("e")  # the same name again: refused, nothing overwritten
        await until(pilot, lambda: app.screen.__class__.__name__ == "FormModal", "export asks")
        await pilot.press("enter")
        await until(
            pilot,
            lambda: "exists" in str(app.screen.query_one("#form-path-error").render()),
            "the inline check refuses it",
        )
        assert app.screen.__class__.__name__ == "FormModal"
        await pilot.press("escape")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is project_screen, "back to the project")
        # the command palette offers the screen too
        from bgpub.tui.commands import entries

        assert "Form submissions" in [e.title for e in entries(project_screen)]
        await app.run_action("submissions", project_screen)
        await until(
            pilot,
            lambda: isinstance(app.screen, SubmissionsScreen) and app.screen.rows,
            "from the palette, loaded",
        )
