"""The files two versions differ in, and the text diff of the chosen one (as `git diff` shows it)."""

from __future__ import annotations

from collections.abc import Sequence

from rich.syntax import Syntax
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from bgpub.errors import failure_text


class FileDiffLoaded(Message):
    def __init__(self, path: str, text: str) -> None:
        self.path = path
        self.text = text
        super().__init__()


class VersionFilesModal(ModalScreen[None]):
    """Changed files on the left; Enter (or highlighting) shows the chosen file's diff on the right."""

    BINDINGS = [Binding("escape", "close", "Close", id="version-files.close")]
    DEFAULT_CSS = """
    VersionFilesModal { align: center middle; }
    VersionFilesModal > Horizontal { width: 100%; height: 100%; border: thick $primary; background: $surface; }
    VersionFilesModal #files { width: 36; min-width: 20; height: 1fr; }
    VersionFilesModal #file-diff-scroll { width: 1fr; height: 1fr; border-left: vkey $primary 30%; }
    VersionFilesModal #file-diff { width: auto; }
    """

    def __init__(self, project: str, old: int, new: int, files: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.project = project
        self.old = old
        self.new = new
        self.files = tuple(files)
        self.shown: str | None = None  # the path whose diff is on screen

    def compose(self) -> ComposeResult:
        with Horizontal():
            with VerticalScroll(id="files-column", can_focus=False):
                yield Label(f"[b]v{self.old} → v{self.new}[/b]  {len(self.files)} file(s)")
                yield OptionList(
                    *(Option(f"{mark} {path}", id=path) for mark, path in self.files), id="files"
                )
            with VerticalScroll(id="file-diff-scroll"):
                yield Static(
                    "choose a file (↑/↓, Enter)" if self.files else "no file differs",
                    id="file-diff",
                )

    def on_mount(self) -> None:
        self.query_one("#files", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#files")
    @on(OptionList.OptionSelected, "#files")
    def _chosen(self, event: OptionList.OptionHighlighted | OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id != self.shown:
            self.load(event.option.id)

    @work(thread=True, exclusive=True, group="file-diff")
    def load(self, path: str) -> None:
        try:
            text = self.app.session.file_diff(self.project, self.old, self.new, path)  # type: ignore[attr-defined]
        except Exception as exc:  # shown where the diff would be, never a traceback
            text = f"cannot compare {path}: {failure_text(exc)}"
        self.post_message(FileDiffLoaded(path, text))

    def on_file_diff_loaded(self, message: FileDiffLoaded) -> None:
        self.shown = message.path
        self.diff_text = message.text
        self.query_one("#file-diff", Static).update(
            Syntax(message.text, "diff", word_wrap=False, theme="ansi_dark")
        )
        self.query_one("#file-diff-scroll", VerticalScroll).scroll_home(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
