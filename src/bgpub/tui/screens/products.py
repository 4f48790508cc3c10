"""The shop's products as a table: search, filter by status and stock, low stock highlighted;
n new, Enter edit, d delete. Product text is shown as text, never as markup."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Select, Static

from bgpub.money import format_money
from bgpub.services.product_views import ProductView
from bgpub.tui.screens.modals import ConfirmModal
from bgpub.tui.screens.table_screen import EditorTableScreen, RowsChanged, RowsLoaded
from bgpub.tui.shop_session import ShopSession
from bgpub.tui.widgets.fitted_table import FittedTable
from bgpub.tui.widgets.screen_header import ScreenHeader

STATUS_FILTER = (
    ("All statuses", ""),
    ("Draft", "DRAFT"),
    ("Active", "ACTIVE"),
    ("Archived", "ARCHIVED"),
)
STOCK_FILTER = (("Any stock", ""), ("In stock", "in"), ("Low stock", "low"), ("Sold out", "out"),
                ("Untracked", "untracked"))  # fmt: skip


def matches(view: ProductView, needle: str, status: str, stock: str) -> bool:
    """The filters of the screen (pure: the screen and its tests share it)."""
    text = f"{view.title} {view.slug} {view.sku or ''} {' '.join(view.tags)}".casefold()
    if needle and needle.casefold() not in text:
        return False
    if status and view.status != status:
        return False
    return {
        "": True,
        "in": not view.sold_out,
        "low": view.low_stock,
        "out": view.sold_out,
        "untracked": view.total_stock is None,
    }[stock]


def stock_cell(view: ProductView) -> Text:
    total = view.total_stock
    if total is None:
        return Text("untracked", style="dim")
    if view.sold_out:
        return Text("sold out", style="bold red")
    if view.low_stock:
        return Text(f"{total} low", style="bold yellow")
    return Text(str(total))


class ProductsScreen(EditorTableScreen):
    """Every product of the project, newest first; reloads when the editor closes."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="products.back"),
        Binding("n", "new_row", "New product", id="products.new"),
        Binding("enter", "edit_row", "Edit", id="products.edit"),
        Binding("d,delete", "delete_product", "Delete", id="products.delete"),
        Binding("slash", "focus_search", "Search", id="products.search"),
    ]
    AUTO_FOCUS = "#products"
    TABLE = "products"
    SUBTITLE = "products"
    SEARCH = "product-search"
    NOUN = "product"
    DEFAULT_CSS = """
    ProductsScreen #products-filters { height: auto; }
    ProductsScreen #product-search { width: 1fr; }
    ProductsScreen #product-status, ProductsScreen #product-stock { width: 22; }
    ProductsScreen #products { height: 1fr; }
    """

    def __init__(self, project: str) -> None:
        super().__init__(project)
        self.products: list[ProductView] = []
        self.shown: list[ProductView] = []

    @property
    def shop(self) -> ShopSession:
        return ShopSession(self.services.actor)

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("loading…", id="products-summary", classes="summary", markup=False)
        with Horizontal(id="products-filters"):
            yield Input(
                placeholder="/ search title, slug, SKU, tag", id="product-search", compact=True
            )
            yield Select(
                STATUS_FILTER, value="", allow_blank=False, id="product-status", compact=True
            )
            yield Select(
                STOCK_FILTER, value="", allow_blank=False, id="product-stock", compact=True
            )
        table: DataTable[str | Text] = FittedTable(
            id="products", cursor_type="row", zebra_stripes=True
        )
        table.add_columns("Title", "Status", "Price", "Stock", "Variants", "Tags")
        yield table
        yield Footer()

    def on_screen_resume(self) -> None:
        self.load(self.current_key)

    @work(thread=True, exclusive=True, group="products-load")
    def load(self, keep: str | None = None) -> None:
        with self.reporting("loading products"):
            self.post_message(RowsLoaded(self.shop.products(self.project), keep))

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        self.products = message.rows
        self.show(message.keep)

    def show(self, keep: str | None = None) -> None:
        table = self.table
        keep = keep or self.current_key
        table.clear()
        needle = self.query_one("#product-search", Input).value.strip()
        status = str(self.query_one("#product-status", Select).value or "")
        stock = str(self.query_one("#product-stock", Select).value or "")
        self.shown = [p for p in self.products if matches(p, needle, status, stock)]
        for p in self.shown:
            table.add_row(Text(p.title), p.status, format_money(p.price_cents, p.currency), stock_cell(p),
                          str(len(p.variants)) if p.variants else "—", Text(", ".join(p.tags)), key=p.slug)  # fmt: skip
        self.keep_cursor([p.slug for p in self.shown], keep)
        low = sum(1 for p in self.products if p.low_stock and not p.sold_out)
        out = sum(1 for p in self.products if p.sold_out)
        self.query_one("#products-summary", Static).update(
            f"{self.project}  ·  {len(self.shown)} of {len(self.products)} product(s)  ·  {low} low, {out} sold out"
            "  ·  n new, Enter edit, d delete"
        )

    @on(Input.Changed, "#product-search")
    @on(Select.Changed, "#product-status")
    @on(Select.Changed, "#product-stock")
    def _filter(self) -> None:
        if self.is_mounted:
            self.show()

    def open_row(self, key: str | None) -> None:
        from bgpub.tui.screens.product_editor import ProductEditorScreen

        self.app.push_screen(ProductEditorScreen(self.project, key))

    def action_delete_product(self) -> None:
        slug = self.current_or_warn("product")
        if slug is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.delete_product(slug)

        self.app.push_screen(
            ConfirmModal(
                f"Delete the product {slug!r} and its variants?", confirm="Delete", danger=True
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="products-change")
    def delete_product(self, slug: str) -> None:
        with self.reporting("deleting the product"):
            self.shop.remove(self.project, slug)
            self.post_message(RowsChanged(f"deleted {slug}"))
