"""Adding an asset: a path field that completes from the file system (Tab takes the suggestion, as in a
shell), the matching entries listed under it (↓ then Enter picks one), and the alt text.

A folder is read a bounded number of entries at a time, so a folder of a million files costs no more
than one of a few thousand; hidden entries show once the typed name starts with a dot. Names are shown
as plain text, never as markup.
"""

from __future__ import annotations

import os
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from bgpub.tui.screens.modals import MODAL_CSS

MAX_SCAN = 2000  # entries read from one folder per keystroke
MAX_SHOWN = 50  # candidates listed


def path_candidates(value: str, limit: int = MAX_SHOWN) -> list[str]:
    """The completions of `value` (a path being typed), as `value` would read completed: folders end in '/'.

    `~` is the home folder; the part of `value` before the last '/' is kept as typed."""
    if not value or "\x00" in value:
        return []
    if value == "~":
        return ["~/"]
    head, _, partial = value.rpartition("/")
    head = head + "/" if _ else ""
    folder = Path(os.path.expanduser(head or ".")) if head != "/" else Path("/")
    found: list[tuple[str, bool]] = []
    try:
        with os.scandir(folder) as entries:
            for scanned, entry in enumerate(entries):
                if scanned >= MAX_SCAN:
                    break
                if entry.name.startswith(partial) and (
                    partial.startswith(".") or not entry.name.startswith(".")
                ):
                    try:
                        found.append((entry.name, entry.is_dir()))
                    except OSError:
                        continue
    except (OSError, ValueError):
        return []
    found.sort(key=lambda item: (item[0].casefold(), item[0]))
    return [f"{head}{name}{'/' if is_dir else ''}" for name, is_dir in found[:limit]]


class PathSuggester(Suggester):
    """Suggests the first completion of the path typed so far."""

    def __init__(self) -> None:
        super().__init__(use_cache=False, case_sensitive=True)

    async def get_suggestion(self, value: str) -> str | None:
        found = path_candidates(value, limit=1)
        return found[0] if found and found[0] != value else None


class PathInput(Input):
    """An Input whose Tab takes the suggested completion (and moves on when there is none)."""

    BINDINGS = [Binding("tab", "complete", "Complete", show=False, id="asset-file.complete")]

    def action_complete(self) -> None:
        if self._suggestion and self._suggestion != self.value:
            self.value = self._suggestion
            self.cursor_position = len(self.value)
        else:
            self.screen.focus_next()


def check_path(value: str) -> str | None:
    """Why `value` cannot be added (empty: fine); the services check the content itself."""
    if not value.strip():
        return "give the path of a file (Tab completes)"
    path = Path(value.strip()).expanduser()
    if path.is_dir():
        return f"{path} is a folder: pick a file in it"
    if not path.is_file():
        return f"no file at {path}"
    return None


class AssetFileModal(ModalScreen[tuple[str, str] | None]):
    """Asks for a file on disk and its alt text; dismisses with (path, alt) or None."""

    DEFAULT_CSS = (
        MODAL_CSS.format(name="AssetFileModal")
        + """
    AssetFileModal #file-candidates { height: auto; max-height: 8; }
    AssetFileModal #file-error { color: $error; height: auto; }
    """
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="asset-file.cancel"),
        Binding("down", "candidates", "Matches", show=False, id="asset-file.matches"),
    ]

    def __init__(self, start: str = "") -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("[b]Add an asset[/b]  a file on disk: Tab completes, ↓ lists the matches")
            yield PathInput(
                self.start,
                placeholder="~/Pictures/hero.jpg",
                suggester=PathSuggester(),
                id="file-path",
            )
            yield OptionList(id="file-candidates")
            yield Static("", id="file-error", markup=False)
            yield Label("Alt text (describes the image for screen readers)")
            yield Input(id="file-alt")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Add", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#file-path", Input).focus()
        self._list(self.start)

    def _list(self, value: str) -> None:
        options = self.query_one("#file-candidates", OptionList)
        options.clear_options()
        options.add_options(
            [Option(Text(c.rpartition("/")[2] or c), id=c) for c in path_candidates(value)]
        )
        options.display = options.option_count > 0

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "file-path":
            self._list(event.value)
            self.query_one("#file-error", Static).update("")

    def action_candidates(self) -> None:
        """↓ from the path field moves into the list of matches."""
        options = self.query_one("#file-candidates", OptionList)
        if self.focused is self.query_one("#file-path") and options.option_count:
            options.focus()
            options.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        path = self.query_one("#file-path", Input)
        path.value = event.option.id or ""
        path.cursor_position = len(path.value)
        path.focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._submit()
        else:
            self.dismiss(None)

    def _submit(self) -> None:
        value = self.query_one("#file-path", Input).value
        problem = check_path(value)
        if problem:
            self.query_one("#file-error", Static).update(problem)
            return
        self.dismiss((value.strip(), self.query_one("#file-alt", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)
