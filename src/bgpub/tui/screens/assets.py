"""A project's assets: add files from disk, list with type and size, delete (refused while used)."""

from __future__ import annotations

from pathlib import Path

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Header, Static

from bgpub.tui.messages import AssetsLoaded, Done
from bgpub.tui.records import AssetRow
from bgpub.tui.screens.base import EditorScreen
from bgpub.tui.screens.modals import ConfirmModal, FormField, FormModal
from bgpub.tui.widgets.asset_picker import human_size


def check_file(value: str) -> str | None:
    if not value.strip():
        return "give the path of a file"
    path = Path(value.strip()).expanduser()
    if not path.is_file():
        return f"no file at {path}"
    return None


class AssetsScreen(EditorScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="assets.back"),
        Binding("n,a", "add_asset", "Add file", id="assets.add"),
        Binding("delete,x", "delete_asset", "Delete", id="assets.delete"),
    ]

    def __init__(self, project: str) -> None:
        super().__init__()
        self.project = project
        self.rows: tuple[AssetRow, ...] = ()

    def compose(self) -> ComposeResult:
        yield Header(show_clock=False, icon="◆")
        yield Static("", id="assets-summary", classes="summary")
        yield DataTable(id="assets", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.project
        self.sub_title = "assets"
        self.query_one(DataTable).add_columns("Name", "Type", "MIME", "Size", "Alt text")
        self.load()

    @work(thread=True, exclusive=True, group="assets-load")
    def load(self) -> None:
        with self.reporting("loading assets"):
            self.post_message(AssetsLoaded(self.session.assets(self.project)))

    def on_assets_loaded(self, message: AssetsLoaded) -> None:
        self.rows = message.assets
        table = self.query_one(DataTable)
        table.clear()
        for a in self.rows:
            table.add_row(a.name, a.type.lower(), a.mime, human_size(a.size), a.alt or "—", key=a.name)
        total = sum(a.size for a in self.rows)
        self.query_one("#assets-summary", Static).update(f"{len(self.rows)} asset(s), {human_size(total)}  ·  n adds a file from disk")

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_add_asset(self) -> None:
        fields = [
            FormField("path", "File on disk", placeholder="~/Pictures/hero.jpg", check=check_file),
            FormField("alt", "Alt text (describes the image for screen readers)"),
        ]
        self.app.push_screen(FormModal("Add an asset", fields, submit="Add"), lambda v: v and self.add(v["path"], v["alt"]))

    @work(thread=True, exclusive=True, group="assets-change")
    def add(self, path: str, alt: str) -> None:
        with self.reporting("adding the asset"):
            row = self.session.add_asset(self.project, Path(path.strip()).expanduser(), alt)
            self.post_message(Done(f"added {row.name} ({row.type.lower()}, {human_size(row.size)})"))

    def action_delete_asset(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows or not (0 <= table.cursor_row < len(self.rows)):
            return
        row = self.rows[table.cursor_row]
        self.app.push_screen(
            ConfirmModal(f"Delete the asset {row.name}?", confirm="Delete", danger=True),
            lambda yes: yes and self.delete(row.name),
        )

    @work(thread=True, exclusive=True, group="assets-change")
    def delete(self, name: str) -> None:
        with self.reporting(f"deleting {name}"):
            self.session.delete_asset(self.project, name)
            self.post_message(Done(f"deleted {name}"))

    def on_done(self, message: Done) -> None:
        self.notify(message.text)
        self.load()
