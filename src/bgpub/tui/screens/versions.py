"""Published versions: number, date, author, message, which is live; a diff summary; rollback."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Static

from bgpub.domain.versions import DiffSummary, VersionRow
from bgpub.tui.messages import DiffLoaded, VersionsLoaded
from bgpub.tui.screens.modals import ConfirmModal
from bgpub.tui.screens.table_screen import TableScreen
from bgpub.tui.widgets.fitted_table import FittedTable
from bgpub.tui.widgets.screen_header import ScreenHeader


def summarise(old: int, new: int, diff: DiffSummary) -> str:
    def names(items: tuple[str, ...]) -> str:
        shown = ", ".join(items[:6])
        return shown + (f" and {len(items) - 6} more" if len(items) > 6 else "")

    lines = [f"Version {old} → {new}"]
    for label, items in (
        ("added", diff.pages_added),
        ("removed", diff.pages_removed),
        ("changed", diff.pages_changed),
    ):
        lines.append(f"pages {label}: {len(items)}" + (f" ({names(items)})" if items else ""))
    if diff.site_changed:  # settings as people say them: "theme overrides", not "theme_overrides"
        lines.append(f"site: {names(tuple(n.replace('_', ' ') for n in diff.site_changed))}")
    lines.append(f"files: +{diff.files_added} ~{diff.files_changed} -{diff.files_removed}")
    return "\n".join(lines)


class VersionsScreen(TableScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="versions.back"),
        Binding("r", "rollback", "Roll back to this", id="versions.rollback"),
        Binding("f", "files", "Files", id="versions.files"),
        Binding("m", "mark", "Compare with this", id="versions.mark"),
        Binding("P", "publish", "Publish", id="versions.publish"),
        Binding("f5", "refresh", "Refresh", id="versions.refresh", show=False),
    ]
    TABLE = "versions"
    SUBTITLE = "versions"
    DEFAULT_CSS = """
    VersionsScreen DataTable { height: 1fr; }
    VersionsScreen #diff { height: 7; padding: 0 1; border-top: hkey $primary 30%; }
    """

    def __init__(self, project: str) -> None:
        super().__init__(project)
        self.rows: tuple[VersionRow, ...] = ()
        self.base: int | None = None  # the version marked with m: diffs compare against it
        self.diff: tuple[int, int, DiffSummary] | None = None  # the diff on screen

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("", id="versions-summary", classes="summary")
        yield FittedTable(id="versions", cursor_type="row", zebra_stripes=True)
        yield Static("", id="diff", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        table = self.table
        # sized to their content: never cut while free space sits beside them
        for label in ("#", "Date", "Author", "Message", "Pages", "Files", "Live"):
            table.add_column(label)

    def on_screen_resume(self) -> None:
        self.load()

    def action_refresh(self) -> None:
        self.load()

    @work(thread=True, exclusive=True, group="versions-load")
    def load(self) -> None:
        with self.reporting("loading versions"):
            self.post_message(VersionsLoaded(self.session.versions(self.project)))

    def on_versions_loaded(self, message: VersionsLoaded) -> None:
        self.rows = message.versions
        table = self.table
        table.clear()
        for v in self.rows:
            table.add_row(
                str(v.number),
                self.when(v.created_at),
                v.author or "—",
                v.message or "—",
                str(v.page_count),
                str(v.file_count),
                "● live" if v.is_live else "",
                key=str(v.number),
            )
        live = next((v.number for v in self.rows if v.is_live), None)
        text = f"{len(self.rows)} version(s)" + (
            f"  ·  version {live} is live" if live else "  ·  nothing published yet (P publishes)"
        )
        self.query_one("#versions-summary", Static).update(text)
        if self.rows:
            table.move_cursor(row=0)
            self._show_diff(0)
        else:
            self.query_one("#diff", Static).update("")

    @property
    def current(self) -> VersionRow | None:
        row = self.table.cursor_row
        return self.rows[row] if self.rows and 0 <= row < len(self.rows) else None

    @on(DataTable.RowHighlighted, "#versions")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._show_diff(event.cursor_row)

    def _show_diff(self, row: int) -> None:
        if not (0 <= row < len(self.rows)):
            return
        version = self.rows[row]
        if self.base is not None and self.base != version.number:
            self.load_diff(min(self.base, version.number), max(self.base, version.number))
            return
        older = [v.number for v in self.rows if v.number < version.number]
        if not older:
            self.diff = None
            self.query_one("#diff", Static).update(f"Version {version.number}: the first publish.")
            return
        self.load_diff(max(older), version.number)

    @work(thread=True, exclusive=True, group="versions-diff")
    def load_diff(self, old: int, new: int) -> None:
        with self.reporting("comparing versions"):
            self.post_message(DiffLoaded(old, new, self.session.diff(self.project, old, new)))

    def on_diff_loaded(self, message: DiffLoaded) -> None:
        self.diff = (message.old, message.new, message.summary)
        mark = (
            f"  (compared with marked version {self.base}; m unmarks)"
            if self.base is not None
            else ""
        )
        text = summarise(message.old, message.new, message.summary)
        self.query_one("#diff", Static).update(
            text.replace("\n", f"{mark}  ·  f lists the files\n", 1)
        )

    def action_mark(self) -> None:
        """Marks the highlighted version: every other one is then compared with it (m again unmarks)."""
        version = self.current
        if version is None:
            return
        self.base = None if self.base == version.number else version.number
        self.notify(
            f"comparing with version {self.base}"
            if self.base is not None
            else "comparing with the previous version"
        )
        self._show_diff(self.table.cursor_row)

    def action_files(self) -> None:
        if self.diff is None:
            self.notify(
                "no diff to show: the first version has nothing to compare with (m marks another)",
                severity="warning",
            )
            return
        from bgpub.tui.screens.version_files import VersionFilesModal

        old, new, summary = self.diff
        self.app.push_screen(VersionFilesModal(self.project, old, new, summary.files))

    def action_publish(self) -> None:
        self.bgpub.start_publish(self.project)

    def action_rollback(self) -> None:
        version = self.current
        if version is None:
            return
        if version.is_live:
            self.notify(f"version {version.number} is already live", severity="warning")
            return
        question = f"Roll {self.project} back to version {version.number} ({version.message or 'no message'})? Its exact files go live again."

        def answered(yes: bool | None) -> None:
            if yes:
                self.bgpub.start_rollback(self.project, version.number)

        self.app.push_screen(ConfirmModal(question, confirm="Roll back"), answered)
