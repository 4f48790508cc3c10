"""The editor's DataTable: columns sized to their content, and never painted at a stale width.

Textual's DataTable (8.2.8) measures the rows it is given later, when its message queue runs dry
(`_on_idle` -> `_update_dimensions`), and until then renders each column at its old width (the
header's, for a table filled once). Its render caches (cells, rows, lines, and the widget's own
line cache) are keyed by an update counter that this measuring does not move, so when the screen
happens to paint between `add_row` and the table's idle turn - a busy machine, a slow terminal - the
lines it cached ("edi" for "editor") are served again after the widths grow: the header and rows stay
cut until something else invalidates them (a resize, a reload). `FittedTable` drops those caches and
repaints whenever measuring changes a width, so the first paint after measuring is right whatever
the order of the two."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from textual.widgets import DataTable
from textual.widgets.data_table import RowKey

Cell = TypeVar("Cell")


class FittedTable(DataTable[Cell]):
    """A DataTable whose cached rendering is dropped when its column widths change."""

    def _render_widths(self) -> list[int]:
        """The widths (padding included) the table renders its row label and columns at."""
        return [self._row_label_column_width] + [
            column.get_render_width(self) for column in self.ordered_columns
        ]

    def _update_dimensions(self, new_rows: Iterable[RowKey]) -> None:
        """Measures as DataTable does; if a width changed, what was painted at the old widths is
        cleared and the whole table repainted (the base class leaves it cached; see the module)."""
        before = self._render_widths()
        super()._update_dimensions(new_rows)
        if self._render_widths() != before:
            self._clear_caches()
            self.refresh()
