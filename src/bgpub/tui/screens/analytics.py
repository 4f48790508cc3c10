"""Analytics: what `bgpub collect` counted for the project (totals, views per day, top tables); it
refreshes itself while open."""

from __future__ import annotations

from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, Sparkline, Static

from bgpub.tui.screens.base import EditorScreen
from bgpub.tui.widgets.fitted_table import FittedTable
from bgpub.tui.widgets.screen_header import ScreenHeader


class StatsLoaded(Message):
    def __init__(self, stats: Any) -> None:
        self.stats = stats
        super().__init__()


TABLES = (("pages", "Top pages"), ("referrers", "Referrers"), ("devices", "Devices"))


class AnalyticsScreen(EditorScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="analytics.back"),
        Binding("f5", "refresh", "Refresh", id="analytics.refresh"),
    ]
    DEFAULT_CSS = """
    AnalyticsScreen #totals { height: 3; padding: 0 1; }
    AnalyticsScreen Sparkline { height: 4; margin: 0 1; }
    AnalyticsScreen Horizontal { height: 1fr; }
    AnalyticsScreen DataTable { width: 1fr; height: 1fr; }
    """
    REFRESH_SECONDS = 5.0  # live while open
    DAYS = 30

    def __init__(self, project: str) -> None:
        super().__init__()
        self.project = project
        self.stats: Any = None

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("loading…", id="totals", markup=False)
        yield Sparkline([0], id="per-day")
        with Horizontal():
            for key, _ in TABLES:
                yield FittedTable(id=f"top-{key}", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.project
        self.sub_title = f"analytics, last {self.DAYS} days"
        for key, label in TABLES:
            table = self.query_one(f"#top-{key}", DataTable)
            table.add_column(label, width=24)
            table.add_column("Views", width=7)
            table.add_column("Visits", width=7)
        self.load()
        self.set_interval(self.REFRESH_SECONDS, self.load)

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="analytics-load")
    def load(self) -> None:
        with self.reporting("loading analytics"):
            self.post_message(StatsLoaded(self.session.stats(self.project, self.DAYS)))

    def on_stats_loaded(self, message: StatsLoaded) -> None:
        stats = self.stats = message.stats
        forms = ", ".join(f"{name} {count}" for name, count in stats.forms.items()) or "none"
        self.query_one("#totals", Static).update(
            f"views {stats.views}   visits {stats.visitors}   since {stats.since}\n"
            f"form submissions: {forms}   comments pending: {stats.comments_pending}"
        )
        self.query_one(Sparkline).data = [d.views for d in stats.per_day] or [0]
        for key, _ in TABLES:
            table = self.query_one(f"#top-{key}", DataTable)
            table.clear()
            for row in getattr(stats, key):
                table.add_row(row.name, str(row.views), str(row.visitors))
