"""Form submissions `bgpub collect` stored: list per form, read one, mark it handled (h), export CSV (e)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Footer, Select, Static

from bgpub.domain.submissions import SubmissionView
from bgpub.tui.screens.modals import FormField, FormModal
from bgpub.tui.screens.table_screen import RowsChanged, RowsLoaded, TableScreen
from bgpub.tui.widgets.fitted_table import FittedTable
from bgpub.tui.widgets.screen_header import ScreenHeader

ALL = "*"


def excerpt(data: dict[str, Any], width: int = 60) -> str:
    line = "  ".join(f"{k}: {' '.join(str(v).split())}" for k, v in data.items())
    return line if len(line) <= width else line[: width - 1] + "…"


def check_export_path(value: str) -> str | None:
    """A new file in an existing folder (an existing file is never overwritten)."""
    if not value.strip():
        return "give a file name"
    path = Path(value).expanduser()
    if path.exists():
        return f"{path} exists; choose another name"
    if not path.parent.is_dir():
        return f"no folder {path.parent}"
    return None


class SubmissionsScreen(TableScreen):
    """Newest first; the form filter lists every form that received something; the pane below the
    table shows the highlighted submission in full (values shown as text, never as markup)."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="submissions.back"),
        Binding("h", "toggle_handled", "Handled/new", id="submissions.handled"),
        Binding("e", "export", "Export CSV", id="submissions.export"),
        Binding("f", "focus_filter", "Form", id="submissions.filter", show=False),
        Binding("f5", "reload", "Reload", id="submissions.reload", show=False),
    ]
    AUTO_FOCUS = "#submissions"
    TABLE = "submissions"
    SUBTITLE = "form submissions"
    FILTER = "submission-form"
    DEFAULT_CSS = """
    SubmissionsScreen #submission-form { width: 36; }
    SubmissionsScreen #submissions { height: 1fr; }
    SubmissionsScreen #submission-detail { height: 12; border-top: solid $primary; padding: 0 1; }
    """

    def __init__(self, project: str) -> None:
        super().__init__(project)
        self.everything: list[SubmissionView] = []
        self.rows: list[SubmissionView] = []  # those shown (the selected form's)

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("loading…", id="submissions-summary", classes="summary")
        yield Select(
            [("All forms", ALL)], value=ALL, allow_blank=False, id="submission-form", compact=True
        )
        table: DataTable[str] = FittedTable(id="submissions", cursor_type="row", zebra_stripes=True)
        table.add_columns("Received", "Form", "State", "Fields")
        yield table
        with VerticalScroll(id="submission-detail"):
            yield Static("", id="submission-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.call_after_refresh(self.load)  # the form filter must be mounted before it gets options

    @property
    def form(self) -> str | None:
        value = self.query_one("#submission-form", Select).value
        return None if value in (ALL, Select.NULL) else str(value)

    # -- loading -----------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="submissions-load")
    def load(self, keep: int = 0) -> None:
        from bgpub.services.submissions import list_submissions

        with self.reporting("loading submissions"):
            rows = list_submissions(self.services.actor, self.project)
            self.post_message(RowsLoaded(rows, keep))

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        self.everything = message.rows
        forms = sorted({r.form for r in message.rows})
        select = self.query_one("#submission-form", Select)
        current = select.value
        with self.prevent(Select.Changed):
            select.set_options([("All forms", ALL), *((name, name) for name in forms)])
            select.value = current if current in forms else ALL
        self.list_rows(message.keep)

    def list_rows(self, keep: int = 0) -> None:
        self.rows = [r for r in self.everything if self.form is None or r.form == self.form]
        table = self.table
        table.clear()
        for r in self.rows:
            state = "handled" if r.handled_at else "new"
            table.add_row(self.when(r.created_at), r.form, state, excerpt(r.data), key=r.id)
        self.keep_place(len(self.rows), keep)
        new = sum(1 for r in self.rows if not r.handled_at)
        self.query_one("#submissions-summary", Static).update(
            f"{self.project}  ·  {len(self.rows)} submission(s), {new} new  ·  h handled/new, e export CSV"
        )
        self.show_submission(self.selected)

    @on(Select.Changed, "#submission-form")
    def _filter(self) -> None:
        self.list_rows()

    @on(DataTable.RowHighlighted, "#submissions")
    def _highlighted(self) -> None:
        self.show_submission(self.selected)

    @property
    def selected(self) -> SubmissionView | None:
        return self.picked(self.rows)

    def show_submission(self, row: SubmissionView | None) -> None:
        """The whole submission in the pane (plain text: a field cannot style or hide anything)."""
        if row is None:
            text = "no submissions yet" if not self.everything else ""
        else:
            head = [
                f"{row.form}  ·  received {self.when(row.created_at)}"
                + (f"  ·  handled {self.when(row.handled_at)}" if row.handled_at else "  ·  new"),
                f"id {row.id}" + (f"  ·  page {row.page}" if row.page else ""),
                "",
            ]
            text = "\n".join(head + [f"{k}: {v}" for k, v in row.data.items()])
        self.query_one("#submission-text", Static).update(text)

    # -- actions -----------------------------------------------------------------------------------
    def action_toggle_handled(self) -> None:
        row = self.selected
        if row is None:
            self.notify("no submission selected", severity="warning")
            return
        self.mark(row, not row.handled_at)

    @work(thread=True, exclusive=True, group="submissions-change")
    def mark(self, row: SubmissionView, handled: bool) -> None:
        from bgpub.services.submissions import mark_handled

        with self.reporting("marking the submission"):
            mark_handled(self.services.actor, self.project, row.id, handled)
            text = f"{row.form} submission marked {'handled' if handled else 'new'}"
            self.post_message(RowsChanged(text, self.table.cursor_row))

    def action_export(self) -> None:
        if not self.rows:
            self.notify("nothing to export", severity="warning")
            return
        name = f"submissions-{self.project}" + (f"-{self.form}" if self.form else "") + ".csv"
        field = FormField(
            "path",
            "Write the listed submissions to",
            str(Path.cwd() / name),
            check=check_export_path,
        )

        def answered(values: dict[str, str] | None) -> None:
            if values:
                self.export(Path(values["path"]).expanduser(), list(self.rows))

        self.app.push_screen(
            FormModal("Export CSV", [field], submit="Export"),
            answered,
        )

    @work(thread=True, exclusive=True, group="submissions-export")
    def export(self, path: Path, rows: list[SubmissionView]) -> None:
        from bgpub.services.submissions import submissions_csv

        with self.reporting("exporting submissions"):
            try:
                with path.open("x", encoding="utf-8", newline="") as out:  # never overwrites
                    out.write(submissions_csv(rows))
            except OSError as exc:
                self.app.call_from_thread(
                    self.notify, f"cannot write {path}: {exc.strerror or exc}", severity="error"
                )
                return
            self.app.call_from_thread(self.notify, f"{len(rows)} submission(s) written to {path}")
