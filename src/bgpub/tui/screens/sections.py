"""Shared sections (H on the project screen): the site header, footer and named sections; Enter edits a
section's blocks in the page editor itself (same forms, palette, undo and save), n starts a section,
x deletes one nobody shows, L lifts the pages' identical navbars and footers into the shared ones."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from bgpub.domain.blocks import Block
from bgpub.domain.pages import PageDocument
from bgpub.domain.sections import SectionView
from bgpub.tui.screens.modals import ConfirmModal, FormField, FormModal
from bgpub.tui.screens.page_editor import PageEditorScreen
from bgpub.tui.screens.table_screen import TableScreen
from bgpub.tui.service_session import connected
from bgpub.tui.session import EditorSession, jsonable
from bgpub.tui.widgets.fitted_table import FittedTable
from bgpub.tui.widgets.screen_header import ScreenHeader


class SectionsLoaded(Message):
    def __init__(self, rows: list[SectionView], note: str = "") -> None:
        self.rows = rows
        self.note = note
        super().__init__()


def on_connection(call: Any) -> Any:
    """`call()` on this worker thread's database connection (opened and closed around it if needed)."""
    return connected(lambda _session: call())(None)


def shown_on(view: SectionView) -> str:
    if view.is_region:
        return f"{len(view.pages)} page(s) (site {view.name})"
    users = [f"{len(view.pages)} page(s)"] + [f"section {s}" for s in view.sections]
    return ", ".join(users)


class SectionsScreen(TableScreen):
    """One row per section: its name, how many blocks it holds and who shows it."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="sections.back"),
        Binding("enter", "edit_section", "Edit blocks", id="sections.edit"),
        Binding("n", "new_section", "New section", id="sections.new"),
        Binding("delete,x", "delete_section", "Delete", id="sections.delete"),
        Binding("L", "lift", "Lift navbars/footers", id="sections.lift"),
        Binding("o", "page_regions", "Page opt-out", id="sections.page-regions"),
        Binding("f5", "reload", "Reload", id="sections.reload", show=False),
    ]
    AUTO_FOCUS = "#sections"
    TABLE = "sections"
    SUBTITLE = "shared sections"
    DEFAULT_CSS = """
    SectionsScreen #sections { height: 1fr; }
    """

    def __init__(self, project: str) -> None:
        super().__init__(project)
        self.rows: list[SectionView] = []

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("loading…", id="sections-summary", classes="summary", markup=False)
        table: DataTable[str] = FittedTable(id="sections", cursor_type="row", zebra_stripes=True)
        table.add_columns("Section", "Blocks", "Shown on")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    def on_screen_resume(self) -> None:
        self.load()  # back from the editor: block counts may have changed

    @work(thread=True, exclusive=True, group="sections-load")
    def load(self, note: str = "") -> None:
        from bgpub.services.sections import list_sections

        with self.reporting("loading sections"):
            self.post_message(
                SectionsLoaded(
                    on_connection(lambda: list_sections(self.services.actor, self.project)), note
                )
            )

    def on_sections_loaded(self, message: SectionsLoaded) -> None:
        self.rows = message.rows
        table = self.table
        row = table.cursor_row
        table.clear()
        for view in self.rows:
            table.add_row(view.name, str(len(view.blocks)), shown_on(view), key=view.name)
        self.keep_place(len(self.rows), row)
        summary = (
            f"{len(self.rows)} section(s)"
            if self.rows
            else "no sections yet: n starts one, L lifts the navbar and footer your pages repeat"
        )
        self.query_one("#sections-summary", Static).update(summary)
        if message.note:
            self.notify(message.note, timeout=6)

    def current(self) -> SectionView | None:
        return self.picked(self.rows)

    def action_reload(self) -> None:
        self.load()

    def action_edit_section(self) -> None:
        view = self.current()
        if view is not None:
            self.app.push_screen(SectionEditorScreen(self.project, view.name))

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()  # Enter on the table: the table takes the key, so the binding does not run
        self.action_edit_section()

    def action_new_section(self) -> None:
        fields = [
            FormField("name", "Name", placeholder="e.g. call-to-action (lower-case, hyphens)")
        ]

        def answered(values: dict[str, str] | None) -> None:
            if values:
                self.run_service("create_section", values["name"])

        self.app.push_screen(
            FormModal("New section", fields, submit="Create"),
            answered,
        )

    def action_delete_section(self) -> None:
        view = self.current()
        if view is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.run_service("delete_section", view.name)

        self.app.push_screen(
            ConfirmModal(f"Delete the section {view.name!r}?", confirm="Delete", danger=True),
            answered,
        )

    def action_page_regions(self) -> None:
        """Whether one page shows the site header and footer (`bgpub page set --no-header/--no-footer`)."""
        choice = (("shown", "shown"), ("hidden", "hidden"))
        fields = [
            FormField("page", "Page slug", placeholder="e.g. landing"),
            FormField("header", "Site header", "shown", options=choice),
            FormField("footer", "Site footer", "shown", options=choice),
        ]
        self.app.push_screen(
            FormModal("Header and footer of a page", fields, submit="Apply"), self._page_regions
        )

    def _page_regions(self, values: dict[str, str] | None) -> None:
        if values:
            self.run_service(
                "set_page_regions",
                values["page"].strip(),
                values["header"] == "shown",
                values["footer"] == "shown",
            )

    def action_lift(self) -> None:
        self.run_service("lift")

    @work(thread=True, exclusive=True, group="sections-change")
    def run_service(self, operation: str, *args: Any) -> None:
        from bgpub.services import sections
        from bgpub.services.section_lift import lift_sections

        with self.reporting(operation.replace("_", " ")):
            actor = self.services.actor
            if operation == "set_page_regions":
                slug, header, footer = args
                on_connection(
                    lambda: sections.set_page_regions(
                        actor, self.project, slug, show_header=header, show_footer=footer
                    )
                )
                note = f"page {slug}: header {'shown' if header else 'hidden'}, footer {'shown' if footer else 'hidden'}"
            elif operation == "lift":
                plan = on_connection(lambda: lift_sections(actor, self.project))
                note = "; ".join(
                    [
                        f"lifted the {x.block.get('component')} of {len(x.pages)} page(s) into the "
                        f"shared {x.region}"
                        for x in plan.lifts
                    ]
                    or list(plan.skipped)
                )
            else:
                on_connection(lambda: getattr(sections, operation)(actor, self.project, *args))
                note = f"{operation.split('_')[0]}d section {args[0]}"  # created / deleted
            self.load(note)


class SectionSession:
    """The editor's session with `load_page`/`save_page` reading and writing a section's blocks, so the
    page editor edits a section unchanged; everything else goes to the app's session."""

    def __init__(self, session: Any, name: str) -> None:
        self._session = session
        self.name = name

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._session, attribute)

    @connected
    def load_page(self, project: str, slug: str) -> PageDocument:
        from bgpub.services.sections import show_section

        return _document(project, show_section(self._session.actor, project, self.name))

    @connected
    def save_page(
        self, project: str, slug: str, blocks: Sequence[Block], expected_revision: int | None
    ) -> PageDocument:
        from bgpub.services.sections import set_section_blocks

        data = [{"component": b.component, "props": jsonable(b.props)} for b in blocks]
        return _document(
            project,
            set_section_blocks(
                self._session.actor, project, self.name, data, expected_revision=expected_revision
            ),
        )


def _document(project: str, view: SectionView) -> PageDocument:
    blocks = tuple(Block(b.get("component", ""), dict(b.get("props") or {})) for b in view.blocks)
    return PageDocument(project, view.name, f"section {view.name}", view.revision, blocks)


class SectionEditorScreen(PageEditorScreen):
    """The page editor on a section's blocks: saving changes every page that shows the section."""

    def __init__(self, project: str, name: str) -> None:
        super().__init__(project, name)
        self._sections: SectionSession | None = None

    @property
    def session(self) -> EditorSession:
        if self._sections is None:
            self._sections = SectionSession(super().session, self.slug)
        return self._sections

    def on_mount(self) -> None:
        super().on_mount()
        self.title = f"{self.project} / section {self.slug}"
        self.sub_title = "shared section: every page showing it changes"
