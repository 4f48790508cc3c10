"""The plumbing every list screen shares: one project, one DataTable of rows, a worker that loads the
rows and posts them back, a change that notifies and reloads, Escape to go back. Each screen keeps
what is its own: columns, filters, the service it calls and what a row shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar, TypeVar

from rich.text import Text
from textual.message import Message
from textual.widgets import DataTable, Input

from bgpub.tui.screens.base import EditorScreen

Row = TypeVar("Row")


class RowsLoaded(Message):
    """A load worker's result: the rows and where the cursor should go (a row key or an index)."""

    def __init__(self, rows: list[Any], keep: Any = None) -> None:
        self.rows = rows
        self.keep = keep
        super().__init__()


class RowsChanged(Message):
    """A change worker is done: `text` is notified and the rows reload, the cursor kept at `keep`."""

    def __init__(self, text: str, keep: Any = None) -> None:
        self.text = text
        self.keep = keep
        super().__init__()


class TableScreen(EditorScreen):
    """A screen listing one project's rows in the DataTable `#TABLE`; subclasses give `load(keep)`."""

    TABLE: ClassVar[str] = ""  # the id of the screen's DataTable
    SUBTITLE: ClassVar[str] = ""
    SEARCH: ClassVar[str] = ""  # the id of the screen's search Input, when it has one
    FILTER: ClassVar[str] = ""  # the id of the screen's filter Select, when it has one

    def __init__(self, project: str) -> None:
        super().__init__()
        self.project = project

    def on_mount(self) -> None:
        self.title = self.project
        self.sub_title = self.SUBTITLE

    @property
    def table(self) -> DataTable[str | Text]:
        return self.query_one(f"#{self.TABLE}", DataTable)

    @property
    def current_key(self) -> str | None:
        """The key of the row under the cursor (None on an empty table)."""
        table = self.table
        if not table.row_count:
            return None
        return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value

    def current_or_warn(self, noun: str) -> str | None:
        """`current_key`, or a warning that no `noun` is selected."""
        key = self.current_key
        if key is None:
            self.notify(f"no {noun} selected", severity="warning")
        return key

    def keep_cursor(self, keys: Sequence[str], keep: str | None) -> None:
        """Puts the cursor back on the row keyed `keep` when it is still listed."""
        if keep is not None and keep in keys:
            self.table.move_cursor(row=list(keys).index(keep))

    def keep_place(self, count: int, row: int) -> None:
        """Puts the cursor back at `row` (or the last row when fewer are listed now)."""
        if count:
            self.table.move_cursor(row=min(row, count - 1))

    def picked(self, rows: Sequence[Row]) -> Row | None:
        """The row under the cursor among `rows` (listed in table order), None when there is none."""
        if not rows or not self.table.row_count:
            return None
        return rows[min(self.table.cursor_row, len(rows) - 1)]

    def load(self, keep: Any = None) -> object:  # pragma: no cover - every subclass has its own
        """Loads the rows; subclasses make it a worker (what it returns is not used: `object`)."""
        raise NotImplementedError

    def on_rows_changed(self, message: RowsChanged) -> None:
        self.notify(message.text)
        self.load(message.keep)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.SEARCH and event.input.id == self.SEARCH:
            self.table.focus()  # Enter in the search box: back to the rows it filtered

    def action_focus_search(self) -> None:
        self.query_one(f"#{self.SEARCH}", Input).focus()

    def action_focus_filter(self) -> None:
        self.query_one(f"#{self.FILTER}").focus()

    def action_reload(self) -> None:
        """Loads the rows again, the cursor kept at its row number (lists kept by position)."""
        self.load(self.table.cursor_row)

    def action_back(self) -> None:
        """Escape clears a search being typed first, then leaves the screen."""
        if self.SEARCH:
            search = self.query_one(f"#{self.SEARCH}", Input)
            if self.focused is search and search.value:
                search.value = ""
                self.table.focus()
                return
        self.app.pop_screen()


class EditorTableScreen(TableScreen):
    """A list whose rows open in an editor screen: Enter or `edit_row` opens the row under the cursor,
    `new_row` opens an empty one. Subclasses give `NOUN` (for the warning) and `open_row`."""

    NOUN: ClassVar[str] = ""

    def open_row(self, key: str | None) -> None:  # pragma: no cover - every subclass has its own
        raise NotImplementedError

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self.open_row(event.row_key.value)

    def action_new_row(self) -> None:
        self.open_row(None)

    def action_edit_row(self) -> None:
        key = self.current_or_warn(self.NOUN)
        if key is not None:
            self.open_row(key)
