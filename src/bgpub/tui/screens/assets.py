"""A project's assets: add files from disk (with path completion), list with type, size and focal point,
a preview of the highlighted one (the image drawn in the terminal, its facts and a file:// link), edit its
alt text, rename it (its uses follow), set an image's focal point, delete (refused while used)."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable
from pathlib import Path

from PIL import Image as PILImage
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import DataTable, Footer, Static

from bgpub.domain.assets import AssetRow
from bgpub.domain.enums import AssetType
from bgpub.errors import InvalidInput
from bgpub.services.asset_names import check_new_name
from bgpub.tui.messages import AssetsLoaded, Done
from bgpub.tui.screens.asset_file import AssetFileModal
from bgpub.tui.screens.base import EditorScreen
from bgpub.tui.screens.modals import ConfirmModal, FormField, FormModal
from bgpub.tui.widgets.asset_picker import human_size
from bgpub.tui.widgets.asset_preview import AssetPreview, facts, preview_image
from bgpub.tui.widgets.fitted_table import FittedTable
from bgpub.tui.widgets.screen_header import ScreenHeader


def check_unit(value: str) -> str | None:
    """A focal point coordinate typed as 0..1 or as a percentage (`30%`)."""
    return (
        None
        if parse_unit(value) is not None
        else "a number from 0 to 1, or a percentage such as 30%"
    )


def parse_unit(value: str) -> float | None:
    text = value.strip()
    try:
        number = float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        return None
    return number if 0 <= number <= 1 else None


def focus_label(focus: tuple[float, float] | None) -> str:
    return "middle" if focus is None else f"{focus[0] * 100:.0f}% {focus[1] * 100:.0f}%"


def name_check(old: str) -> Callable[[str], str | None]:
    """The services' rule for a new asset name, checked as it is typed."""

    def check(value: str) -> str | None:
        try:
            check_new_name(old, value, "")
        except InvalidInput as exc:
            return exc.message
        return None

    return check


class AssetShown(Message):
    """The preview of asset `name` is ready: its facts, the image to draw (None: facts only), its file URL."""

    def __init__(self, name: str, text: str, image: PILImage.Image | None, url: str) -> None:
        self.name = name
        self.text = text
        self.image = image
        self.url = url
        super().__init__()


class AssetsScreen(EditorScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="assets.back"),
        Binding("n,a", "add_asset", "Add file", id="assets.add"),
        Binding("e", "edit_alt", "Alt text", id="assets.alt"),
        Binding("r", "rename_asset", "Rename", id="assets.rename"),
        Binding("f", "set_focus", "Focal point", id="assets.focus"),
        Binding("o", "open_file", "Open", id="assets.open", show=False),
        Binding("delete,x", "delete_asset", "Delete", id="assets.delete"),
    ]

    def __init__(self, project: str) -> None:
        super().__init__()
        self.project = project
        self.rows: tuple[AssetRow, ...] = ()
        self.shown: AssetShown | None = None  # the preview on screen
        self._keep: str | None = None  # the row the cursor returns to after a reload

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("", id="assets-summary", classes="summary")
        with Horizontal(id="assets-body"):
            yield FittedTable(id="assets", cursor_type="row", zebra_stripes=True)
            yield AssetPreview(id="asset-preview")
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
            table.add_row(
                a.name,
                a.type.lower(),
                a.mime,
                human_size(a.size),
                focus_label(a.focus) if a.type == AssetType.IMAGE else "—",
                a.alt or "—",
                key=a.name,
            )
        total = sum(a.size for a in self.rows)
        self.query_one("#assets-summary", Static).update(
            f"{len(self.rows)} asset(s), {human_size(total)}  ·  n adds a file from disk"
        )
        names = [a.name for a in self.rows]
        if self._keep in names:
            table.move_cursor(row=names.index(self._keep))
        if not self.rows:
            self.query_one(AssetPreview).clear()
        self._keep = None

    @on(DataTable.RowHighlighted, "#assets")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.row_key.value is not None:
            self.preview(str(event.row_key.value))

    @work(thread=True, exclusive=True, group="assets-preview")
    def preview(self, name: str) -> None:
        """Copies the file into the workspace and decodes the image off the UI thread."""
        with self.reporting(f"showing {name}"):
            file = self.session.asset_file(self.project, name)
            text = facts(
                file.name, file.mime, file.size, file.width, file.height, file.alt, file.url
            )
            self.post_message(AssetShown(name, text, preview_image(file.path, file.mime), file.url))

    def on_asset_shown(self, message: AssetShown) -> None:
        current = self._current()
        if current is None or current.name != message.name:
            return  # the cursor moved on meanwhile
        self.shown = message
        self.query_one(AssetPreview).show(message.text, message.image)

    def _current(self) -> AssetRow | None:
        table = self.query_one(DataTable)
        return (
            self.rows[table.cursor_row]
            if self.rows and 0 <= table.cursor_row < len(self.rows)
            else None
        )

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_add_asset(self) -> None:
        self.app.push_screen(AssetFileModal(), self._file_chosen)

    def _file_chosen(self, chosen: tuple[str, str] | None) -> None:
        if chosen is not None:
            self.add(*chosen)

    @work(thread=True, exclusive=True, group="assets-change")
    def add(self, path: str, alt: str) -> None:
        with self.reporting("adding the asset"):
            row = self.session.add_asset(self.project, Path(path.strip()).expanduser(), alt)
            self._keep = row.name
            self.post_message(
                Done(f"added {row.name} ({row.type.lower()}, {human_size(row.size)})")
            )

    def action_edit_alt(self) -> None:
        row = self._current()
        if row is None:
            return
        fields = [
            FormField(
                "alt",
                "Alt text (what a screen reader says; empty for a decorative image)",
                value=row.alt,
            )
        ]

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                self.set_alt(row.name, values["alt"])

        self.app.push_screen(FormModal(f"Alt text of {row.name}", fields, submit="Save"), answered)

    @work(thread=True, exclusive=True, group="assets-change")
    def set_alt(self, name: str, alt: str) -> None:
        with self.reporting(f"setting the alt text of {name}"):
            self.session.set_asset_alt(self.project, name, alt)
            self._keep = name
            self.post_message(
                Done(f"alt text of {name} saved" if alt.strip() else f"{name} has no alt text now")
            )

    def action_rename_asset(self) -> None:
        row = self._current()
        if row is None:
            return
        fields = [
            FormField(
                "name",
                "New name (keeps the extension; pages using it follow)",
                value=row.name,
                check=name_check(row.name),
            )
        ]

        def answered(values: dict[str, str] | None) -> None:
            if values:
                self.rename(row.name, values["name"].strip())

        self.app.push_screen(FormModal(f"Rename {row.name}", fields, submit="Rename"), answered)

    @work(thread=True, exclusive=True, group="assets-change")
    def rename(self, name: str, new: str) -> None:
        with self.reporting(f"renaming {name}"):
            done = self.session.rename_asset(self.project, name, new)
            self._keep = done.name
            users = f"; updated {', '.join(done.updated)}" if done.updated else ""
            self.post_message(Done(f"renamed {name} to {done.name}{users}"))

    def action_open_file(self) -> None:
        """Opens the copy of the file with the system's viewer (the preview's file:// link)."""
        if self.shown is None:
            return
        if not webbrowser.open(self.shown.url):
            self.notify(
                f"no viewer found: open {self.shown.url} yourself", severity="warning", timeout=10
            )

    def action_set_focus(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows or not (0 <= table.cursor_row < len(self.rows)):
            return
        row = self.rows[table.cursor_row]
        if row.type != AssetType.IMAGE:
            self.notify(
                f"{row.name} is not an image: only images have a focal point", severity="warning"
            )
            return
        x, y = row.focus or (0.5, 0.5)
        fields = [
            FormField("x", "Across (0 left … 1 right, or 30%)", value=f"{x:g}", check=check_unit),
            FormField("y", "Down (0 top … 1 bottom, or 30%)", value=f"{y:g}", check=check_unit),
        ]

        def answered(v: dict[str, str] | None) -> None:
            if v:
                self.set_focal_point(row.name, parse_unit(v["x"]), parse_unit(v["y"]))

        self.app.push_screen(
            FormModal(f"Focal point of {row.name}", fields, submit="Set"), answered
        )

    # not `focus`: that is Widget.focus, which a screen keeps
    @work(thread=True, exclusive=True, group="assets-change")
    def set_focal_point(self, name: str, x: float, y: float) -> None:
        with self.reporting(f"setting the focal point of {name}"):
            self.session.set_asset_focus(self.project, name, x, y)
            self._keep = name
            self.post_message(Done(f"focal point of {name}: {focus_label((x, y))}"))

    def action_delete_asset(self) -> None:
        table = self.query_one(DataTable)
        if not self.rows or not (0 <= table.cursor_row < len(self.rows)):
            return
        row = self.rows[table.cursor_row]

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete(row.name)

        self.app.push_screen(
            ConfirmModal(f"Delete the asset {row.name}?", confirm="Delete", danger=True), answered
        )

    @work(thread=True, exclusive=True, group="assets-change")
    def delete(self, name: str) -> None:
        with self.reporting(f"deleting {name}"):
            self.session.delete_asset(self.project, name)
            self.post_message(Done(f"deleted {name}"))

    def on_done(self, message: Done) -> None:
        self.notify(message.text)
        self.load()
