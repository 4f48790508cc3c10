"""The shop's orders: filter by status (or oversold), totals per day, read one, fulfil it (f), note a
refund (n). Orders cannot be deleted here or anywhere: they are financial records."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Select, Static

from bgpub.domain.orders import DayTotal, OrderView
from bgpub.money import format_money
from bgpub.services.orders import day_totals
from bgpub.tui.screens.modals import FormField, FormModal
from bgpub.tui.screens.table_screen import RowsChanged, RowsLoaded, TableScreen
from bgpub.tui.widgets.fitted_table import FittedTable
from bgpub.tui.widgets.screen_header import ScreenHeader

ALL = "*"
OVERSOLD = "oversold"
FILTERS = (
    ("All orders", ALL),
    ("Pending", "PENDING"),
    ("Paid", "PAID"),
    ("Fulfilled", "FULFILLED"),
    ("Refunded", "REFUNDED"),
    ("Canceled", "CANCELED"),
    ("Oversold lines", OVERSOLD),
)


def shown(views: list[OrderView], choice: str) -> list[OrderView]:
    """The orders the filter keeps (pure: the screen and its tests share it)."""
    if choice == ALL:
        return list(views)
    if choice == OVERSOLD:
        return [v for v in views if v.oversold]
    return [v for v in views if v.status == choice]


def buyer(view: OrderView) -> str:
    return " ".join((view.customer_name or view.customer_email or "—").split())[:40]


class OrdersScreen(TableScreen):
    """Newest first; the table beside lists orders and takings per day for the orders shown (refunded
    and canceled ones count only when filtered for); the pane below shows the highlighted order's
    lines, oversold ones flagged. Buyer-typed text is shown as text, never as markup."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="orders.back"),
        Binding("f", "fulfil", "Fulfil", id="orders.fulfil"),
        Binding("n", "refund_note", "Refund note", id="orders.refund-note"),
        Binding("s", "focus_filter", "Status", id="orders.filter", show=False),
        Binding("f5", "reload", "Reload", id="orders.reload", show=False),
    ]
    AUTO_FOCUS = "#orders"
    TABLE = "orders"
    SUBTITLE = "orders"
    FILTER = "order-filter"
    DEFAULT_CSS = """
    OrdersScreen #order-filter { width: 30; }
    OrdersScreen #order-tables { height: 1fr; }
    OrdersScreen #orders { width: 3fr; }
    OrdersScreen #per-day { width: 2fr; border-left: solid $primary; }
    OrdersScreen #order-detail { height: 10; border-top: solid $primary; padding: 0 1; }
    """

    def __init__(self, project: str) -> None:
        super().__init__(project)
        self.everything: list[OrderView] = []
        self.rows: list[OrderView] = []  # those shown
        self.totals: list[DayTotal] = []

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("loading…", id="orders-summary", classes="summary", markup=False)
        yield Select(list(FILTERS), value=ALL, allow_blank=False, id="order-filter", compact=True)
        with Horizontal(id="order-tables"):
            table: DataTable[str] = FittedTable(id="orders", cursor_type="row", zebra_stripes=True)
            table.add_columns("#", "Placed", "Status", "Total", "Items", "Buyer", "")
            yield table
            days: DataTable[str] = FittedTable(id="per-day", cursor_type="row", zebra_stripes=True)
            days.add_columns("Day", "Orders", "Takings")
            yield days
        with VerticalScroll(id="order-detail"):
            yield Static("", id="order-text", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @property
    def choice(self) -> str:
        value = self.query_one("#order-filter", Select).value
        return ALL if value in (ALL, Select.NULL) else str(value)

    def money(self, cents: int, currency: str, view: OrderView | None = None) -> str:
        language = (
            view.language if view else (self.everything[0].language if self.everything else "en")
        )
        return format_money(cents, currency, language)

    # -- loading -----------------------------------------------------------------------------------
    @work(thread=True, exclusive=True, group="orders-load")
    def load(self, keep: int = 0) -> None:
        from bgpub.services.orders import list_orders

        with self.reporting("loading orders"):
            self.post_message(RowsLoaded(list_orders(self.services.actor, self.project), keep))

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        self.everything = message.rows
        self.show(message.keep)

    def show(self, keep: int = 0) -> None:
        choice = self.choice
        self.rows = shown(self.everything, choice)
        table = self.table
        table.clear()
        for v in self.rows:
            items = sum(line.quantity for line in v.lines)
            flag = f"oversold {v.oversold}" if v.oversold else ""
            table.add_row(
                str(v.number),
                self.when(v.created_at),
                v.status,
                self.money(v.total_cents, v.currency, v),
                str(items),
                buyer(v),
                flag,
                key=str(v.number),
            )
        self.keep_place(len(self.rows), keep)
        self.totals = day_totals(self.rows, every_status=choice not in (ALL, OVERSOLD))
        days = self.query_one("#per-day", DataTable)
        days.clear()
        for row in self.totals:
            days.add_row(
                f"{row.day:%Y-%m-%d}", str(row.orders), self.money(row.total_cents, row.currency)
            )
        flagged = sum(1 for v in self.everything if v.oversold)
        self.query_one("#orders-summary", Static).update(
            f"{self.project}  ·  {len(self.rows)} of {len(self.everything)} order(s)  ·  "
            f"{flagged} with oversold lines  ·  f fulfil, n refund note, s status"
        )
        self.read(self.selected)

    @on(Select.Changed, "#order-filter")
    def _filter(self) -> None:
        self.show()

    @on(DataTable.RowHighlighted, "#orders")
    def _highlighted(self) -> None:
        self.read(self.selected)

    @property
    def selected(self) -> OrderView | None:
        return self.picked(self.rows)

    def read(self, view: OrderView | None) -> None:
        if view is None:
            text = "no orders yet" if not self.everything else "no order matches the filter"
        else:
            head = [
                f"order #{view.number}  ·  {view.status}  ·  placed {self.when(view.created_at)}",
                f"buyer: {view.customer_name or '—'} <{view.customer_email or '—'}>",
                "",
            ]
            lines = []
            for line in view.lines:
                flag = f"  ⚠ OVERSOLD {line.oversold}: not in stock" if line.oversold else ""
                lines.append(
                    f"{line.quantity} × {line.name} [{line.sku or '—'}] at "
                    f"{self.money(line.unit_price_cents, view.currency, view)}{flag}"
                )
            tail = [f"total charged {self.money(view.total_cents, view.currency, view)}"]
            if view.refund_note:
                tail.append(f"refund note: {view.refund_note}")
            text = "\n".join(head + lines + tail)
        self.query_one("#order-text", Static).update(text)

    # -- actions -----------------------------------------------------------------------------------
    def action_fulfil(self) -> None:
        view = self.selected
        if view is None:
            self.notify("no order selected", severity="warning")
        elif view.status != "PAID":
            self.notify(
                f"order #{view.number} is {view.status}: only PAID orders are fulfilled",
                severity="warning",
            )
        else:
            self.fulfil(view.number)

    @work(thread=True, exclusive=True, group="orders-change")
    def fulfil(self, number: int) -> None:
        from bgpub.services.orders import fulfil_order

        with self.reporting(f"fulfilling order #{number}"):
            fulfil_order(self.services.actor, self.project, number)
            self.post_message(RowsChanged(f"order #{number} fulfilled", self.table.cursor_row))

    def action_refund_note(self) -> None:
        view = self.selected
        if view is None:
            self.notify("no order selected", severity="warning")
            return
        field = FormField(
            "note",
            f"Refund note for order #{view.number}",
            view.refund_note,
            check=lambda text: None if text.strip() else "write the note",
        )

        def answered(values: dict[str, str] | None) -> None:
            if values:
                self.note(view.number, values["note"])

        self.app.push_screen(
            FormModal("Refund note", [field], submit="Save"),
            answered,
        )

    @work(thread=True, exclusive=True, group="orders-change")
    def note(self, number: int, text: str) -> None:
        from bgpub.services.orders import note_refund

        with self.reporting(f"noting the refund of order #{number}"):
            note_refund(self.services.actor, self.project, number, text)
            self.post_message(
                RowsChanged(f"order #{number}: refund note saved", self.table.cursor_row)
            )
