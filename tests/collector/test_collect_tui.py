"""The editor's Analytics screen (Pilot): totals, the per-day chart and top tables from what the
collector stored, refreshed while the screen is open."""

from __future__ import annotations

import asyncio

import pytest

from bgpub.db.fields import utcnow
from bgpub.services.page_views import ViewRecord, new_view_id, record_views
from bgpub.services.submissions import record_submission
from bgpub.tui.app import make_app
from bgpub.tui.screens.analytics import AnalyticsScreen


def views(site, *paths: str) -> None:
    record_views(
        [
            ViewRecord(
                new_view_id(), site.id, path, "news.example", None, "mobile", f"v{i}", utcnow()
            )
            for i, path in enumerate(paths)
        ]
    )


async def until(pilot, check, what: str) -> None:
    for _ in range(600):
        try:
            if check():
                return
        except Exception:  # not mounted yet
            pass
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}")


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
