"""A project's deploy targets: list, add, edit, remove and test them. The form's fields come from the
target kind registry (each kind declares its options), so a new kind needs no change here."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.widgets import (
    Button,
    Checkbox,
    DataTable,
    Footer,
    Input,
    Label,
    Select,
    Static,
)

from bgpub.tui.messages import OperationFailed
from bgpub.tui.screens.form_saving import SavingModal
from bgpub.tui.screens.modals import MODAL_CSS, ConfirmModal
from bgpub.tui.screens.table_screen import RowsChanged, RowsLoaded, TableScreen
from bgpub.tui.site_session import SiteSession, TargetKindInfo, TargetReport, TargetRow, site_of
from bgpub.tui.widgets.fitted_table import FittedTable
from bgpub.tui.widgets.screen_header import ScreenHeader

Save = Callable[[str, str, dict[str, Any]], object]  # (name, kind, options)


class TargetTested(Message):
    def __init__(self, report: TargetReport) -> None:
        self.report = report
        super().__init__()


def option_value(row: TargetRow | None, name: str) -> Any:
    """What the form shows for an option of an existing target (an integration holding keys by name)."""
    if row is None:
        return None
    value = row.config.get(name)
    if isinstance(value, dict):  # shown masked: {"integration": name, keys: ****}
        return value.get("integration")
    return value


def report_text(report: TargetReport) -> str:
    lines = [f"target {report.name} ({report.kind}) is ready: {report.location}"]
    lines += [f"ok: {line}" for line in report.checks]
    lines += [f"warning: {line}" for line in report.warnings]
    return "\n".join(lines)


class TargetFormModal(SavingModal[str | None]):
    """Name, kind and the kind's own options; returns the target's name once stored."""

    DEFAULT_CSS = (
        MODAL_CSS.format(name="TargetFormModal")
        + """
    TargetFormModal > Vertical { width: 84; height: 100%; max-height: 40; }
    TargetFormModal #target-options { height: 1fr; }
    TargetFormModal .option-label { margin-top: 1; color: $text-muted; }
    TargetFormModal #target-summary { color: $text-muted; height: auto; }
    """
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="target-form.cancel"),
        Binding("ctrl+s", "save", "Save", id="target-form.save"),
    ]

    def __init__(
        self, kinds: Sequence[TargetKindInfo], save: Save, row: TargetRow | None = None
    ) -> None:
        super().__init__()
        self.kinds = {k.name: k for k in kinds}
        self.save = save
        self.row = row
        self.kind = (
            row.kind
            if row is not None
            else ("dir" if "dir" in self.kinds else next(iter(self.kinds)))
        )
        self.generation = 0  # fields are rebuilt per kind; ids carry no generation, the old ones are removed first

    def compose(self) -> ComposeResult:
        editing = self.row is not None
        with Vertical():
            yield Label(
                f"[b]{'Edit target ' + self.row.name if self.row else 'New deploy target'}[/b]"
            )
            yield Label("Name (a-z, 0-9, '-')")
            yield Input(
                self.row.name if self.row else "",
                placeholder="live",
                id="target-name",
                disabled=editing,
            )
            yield Label("Kind")
            yield Select(
                [(f"{k.name}: {k.summary}", k.name) for k in self.kinds.values()],
                value=self.kind,
                allow_blank=False,
                id="target-kind",
                disabled=editing,
            )
            yield Static("", id="target-summary", markup=False)
            yield VerticalScroll(id="target-options", can_focus=False)
            yield Static("", classes="error", id=self.ERROR_ID, markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    async def on_mount(self) -> None:
        await self.show_options(self.kind)
        self.query_one(
            "#target-name" if self.row is None else "#target-options Input", Input
        ).focus()

    async def show_options(self, kind: str) -> None:
        """The fields of `kind`'s options: a checkbox for a flag, else a text field; required ones marked."""
        self.kind = kind
        info = self.kinds[kind]
        self.query_one("#target-summary", Static).update(info.summary)
        box = self.query_one("#target-options", VerticalScroll)
        await box.remove_children()
        widgets: list[Widget] = []
        for option in info.options:
            value = (
                option_value(self.row, option.name)
                if self.row is not None and self.row.kind == kind
                else None
            )
            mark = " *" if option.required else ""
            if option.is_flag:
                widgets.append(
                    Checkbox(f"{option.name}: {option.help}", bool(value), id=f"opt-{option.name}")
                )
            else:
                widgets.append(Label(f"{option.name}{mark}: {option.help}", classes="option-label"))
                widgets.append(
                    Input(
                        "" if value is None else str(value),
                        placeholder=option.name,
                        id=f"opt-{option.name}",
                    )
                )
        await box.mount_all(widgets)

    @on(Select.Changed, "#target-kind")
    async def _kind_changed(self, event: Select.Changed) -> None:
        if event.value is not Select.NULL and str(event.value) != self.kind:
            await self.show_options(str(event.value))

    def options(self) -> dict[str, Any]:
        """The options as typed: flags True/False, text as given (empty: not set)."""
        values: dict[str, Any] = {}
        for option in self.kinds[self.kind].options:
            widget = self.query_one(f"#opt-{option.name}")
            if isinstance(widget, Checkbox):
                values[option.name] = widget.value
            elif isinstance(widget, Input) and widget.value.strip():
                values[option.name] = widget.value.strip()
        return values

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        name = self.query_one("#target-name", Input).value.strip()
        kind, options = self.kind, self.options()
        self.store(lambda: self.save(name, kind, options), name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class TargetsScreen(TableScreen):
    """Where the project's versions are deployed; `t` checks a target without publishing."""

    TABLE = "targets"
    SUBTITLE = "deploy targets"
    BINDINGS = [
        Binding("escape", "back", "Back", id="targets.back"),
        Binding("n", "add_target", "New target", id="targets.new"),
        Binding("enter,e", "edit_target", "Edit", id="targets.edit"),
        Binding("t", "test_target", "Test", id="targets.test"),
        Binding("delete,x", "remove_target", "Remove", id="targets.remove"),
        Binding("r", "reload", "Reload", id="targets.reload", show=False),
    ]
    AUTO_FOCUS = "#targets"
    DEFAULT_CSS = """
    TargetsScreen #targets { height: 1fr; }
    TargetsScreen #target-report { height: auto; max-height: 8; padding: 0 1; color: $text-muted; }
    TargetsScreen #targets-empty { padding: 0 1; color: $text-muted; }
    """

    def __init__(self, project: str) -> None:
        super().__init__(project)
        self.rows: list[TargetRow] = []
        self.loaded = False

    @property
    def site(self) -> SiteSession:
        return site_of(self.app)

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("", id="targets-empty", markup=False)
        table: DataTable[str] = FittedTable(id="targets", cursor_type="row", zebra_stripes=True)
        table.add_columns("Name", "Kind", "Where", "Live", "Base URL")
        yield table
        yield Static("", id="target-report", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.load()

    @work(thread=True, exclusive=True, group="targets-load")
    def load(self, keep: Any = None) -> None:
        with self.reporting("loading targets"):
            self.post_message(RowsLoaded(self.site.targets(self.project), keep))

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        self.rows = list(message.rows)
        self.loaded = True
        table = self.table
        table.clear()
        for row in self.rows:
            live = f"v{row.live_version}" if row.live_version else "—"
            table.add_row(
                row.name, row.kind, row.location, live, row.base_url or "(none)", key=row.name
            )
        self.keep_cursor([r.name for r in self.rows], message.keep)
        empty = self.query_one("#targets-empty", Static)
        empty.update(
            ""
            if self.rows
            else "No targets yet: publishing uses a folder in the workspace. n adds one."
        )
        empty.display = not self.rows

    def _current(self) -> TargetRow | None:
        key = self.current_or_warn("target")
        return next((r for r in self.rows if r.name == key), None)

    def action_add_target(self) -> None:
        site = self.site
        project = self.project

        def save(name: str, kind: str, options: dict[str, Any]) -> None:
            site.add_target(project, name, kind, options)

        self.app.push_screen(TargetFormModal(site.target_kinds(), save), self._stored("added"))

    def action_edit_target(self) -> None:
        row = self._current()
        if row is None:
            return
        site = self.site
        project = self.project

        def save(name: str, kind: str, options: dict[str, Any]) -> None:
            site.update_target(project, row.name, options)

        self.app.push_screen(TargetFormModal(site.target_kinds(), save, row), self._stored("saved"))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.action_edit_target()

    def _stored(self, verb: str) -> Callable[[str | None], None]:
        def done(name: str | None) -> None:
            if name:
                self.post_message(RowsChanged(f"target {name} {verb}", keep=name))

        return done

    def action_remove_target(self) -> None:
        row = self._current()
        if row is None:
            return
        question = (
            f"Forget target {row.name} ({row.kind}, {row.location})? The files already deployed "
            "there stay where they are."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.remove_target(row.name)

        self.app.push_screen(ConfirmModal(question, confirm="Remove", danger=True), answered)

    # not `remove`: Textual removes a popped screen with Widget.remove() (named so, leaving the
    # screen with Escape failed with "remove() missing 1 required positional argument: 'name'")
    @work(thread=True, exclusive=True, group="targets-change")
    def remove_target(self, name: str) -> None:
        with self.reporting("removing the target"):
            self.site.remove_target(self.project, name)
            self.post_message(RowsChanged(f"removed target {name}"))

    def action_test_target(self) -> None:
        row = self._current()
        if row is not None:
            self.query_one("#target-report", Static).update(f"testing {row.name}…")
            self.test(row.name)

    @work(thread=True, exclusive=True, group="targets-test")
    def test(self, name: str) -> None:
        with self.reporting(f"testing target {name}"):
            self.post_message(TargetTested(self.site.test_target(self.project, name)))

    def on_target_tested(self, message: TargetTested) -> None:
        report = message.report
        self.query_one("#target-report", Static).update(report_text(report))
        severity: SeverityLevel = "warning" if report.warnings else "information"
        self.notify(f"target {report.name} is ready: {report.location}", severity=severity)

    def on_operation_failed(self, message: OperationFailed) -> None:
        self.query_one("#target-report", Static).update(message.text)
        super().on_operation_failed(message)
