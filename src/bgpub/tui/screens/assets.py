"""A project's assets: add files from disk, list with type, size and focal point, set an image's focal
point, delete (refused while used)."""

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


def check_unit(value: str) -> str | None:
    """A focal point coordinate typed as 0..1 or as a percentage (`30%`)."""
    return None if parse_unit(value) is not None else "a number from 0 to 1, or a percentage such as 30%"


def parse_unit(value: str) -> float | None:
    text = value.strip()
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        return None
    return number if 0 <= number <= 1 else None


def focus_label(focus: tuple[float, float] | None) -> str:
    return "middle" if focus is None else f"{focus[0] * 100:.0f}% {focus[1] * 100:.0f}%"


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
        Binding("f", "set_focus", "Focal point", id="assets.focus"),
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
        self.query_one(DataTable).add_columns("Name", "Type", "MIME", "Size", "Focus", "Alt text")
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
            table.add_row(a.name, a.type.lower(), a.mime, human_size(a.size),
                          focus_label(a.focus) if a.type == "IMAGE" else "—", a.alt or "—", key=a.name)
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

    def action_set_focus(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows or not (0 <= table.cursor_row < len(self.rows)):
            return
        row = self.rows[table.cursor_row]
        if row.type != "IMAGE":
            self.notify(f"{row.name} is not an image: only images have a focal point", severity="warning")
            return
        x, y = row.focus or (0.5, 0.5)
        fields = [
            FormField("x", "Across (0 left … 1 right, or 30%)", value=f"{x:g}", check=check_unit),
            FormField("y", "Down (0 top … 1 bottom, or 30%)", value=f"{y:g}", check=check_unit),
        ]
        self.app.push_screen(FormModal(f"Focal point of {row.name}", fields, submit="Set"),
                             lambda v: v and self.focus(row.name, parse_unit(v["x"]), parse_unit(v["y"])))

    @work(thread=True, exclusive=True, group="assets-change")
    def focus(self, name: str, x: float, y: float) -> None:
        with self.reporting(f"setting the focal point of {name}"):
            self.session.set_asset_focus(self.project, name, x, y)
            self.post_message(Done(f"focal point of {name}: {focus_label((x, y))}"))

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
