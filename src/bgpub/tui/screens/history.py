"""The page editor's edit history, visible (as lazygit shows its reflog): every step, where you are,
where the last save is; Enter goes back (or forward) to the chosen step."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option


class HistoryModal(ModalScreen[int | None]):
    """Returns the chosen position (0 = the page as loaded), or None."""

    BINDINGS = [Binding("escape", "cancel", "Close", id="history.close")]
    DEFAULT_CSS = """
    HistoryModal { align: center middle; }
    HistoryModal > Vertical { width: 76; max-width: 100%; height: 20; max-height: 100%; border: thick $primary; background: $surface; padding: 0 1; }
    HistoryModal OptionList { height: 1fr; }
    """

    def __init__(self, lines: Sequence[tuple[int, str]], current: int) -> None:
        super().__init__()
        self.lines = tuple(lines)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                "[b]Edit history[/b]  newest last · Enter goes to that step · Ctrl+Z/Ctrl+Y step"
            )
            yield OptionList(
                *(Option(text, id=str(position)) for position, text in self.lines),
                id="history-list",
            )

    def on_mount(self) -> None:
        options = self.query_one("#history-list", OptionList)
        options.highlighted = next(
            (i for i, (p, _) in enumerate(self.lines) if p == self.current), 0
        )
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(int(event.option.id or 0))

    def action_cancel(self) -> None:
        self.dismiss(None)
