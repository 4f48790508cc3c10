"""One product: its fields, its images in order (ctrl+up/down moves one, + adds, - removes) and its
variants (Enter on a cell edits it inline, v adds one, x removes one). ctrl+s saves the fields;
variant edits are saved as they are made. A new product is saved before it can have variants."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, Footer, Input, Label, Select, Static, TextArea

from bgpub.services.product_views import ProductView
from bgpub.tui.screens.base import EditorScreen
from bgpub.tui.screens.modals import FormField, FormModal
from bgpub.tui.shop_session import VARIANT_COLUMNS, ProductForm, ShopSession, variant_cell
from bgpub.tui.widgets.fitted_table import FittedTable
from bgpub.tui.widgets.screen_header import ScreenHeader

TEXT_FIELDS = (
    ("title", "Title"), ("slug", "Slug"), ("price", "Price (e.g. 28.00)"), ("currency", "Currency"),
    ("compare_at", "Compare-at price"), ("sku", "SKU"), ("stock", "Stock (empty: untracked)"),
    ("weight", "Weight (g)"), ("tags", "Tags and collections (comma-separated)"),
    ("payment_link", "Stripe Payment Link"),
)  # fmt: skip
STATUSES = (("Draft", "DRAFT"), ("Active", "ACTIVE"), ("Archived", "ARCHIVED"))


class ProductLoaded(Message):
    def __init__(self, product: ProductView | None, images: list[str]) -> None:
        self.product = product
        self.images = images
        super().__init__()


class ProductSaved(Message):
    def __init__(self, product: ProductView, text: str, keep_form: bool = False) -> None:
        self.product = product
        self.text = text
        self.keep_form = keep_form  # a variant edit: the fields being typed stay as they are
        super().__init__()


class ProductEditorScreen(EditorScreen):
    BINDINGS = [
        Binding("escape", "back", "Back", id="product.back"),
        Binding("ctrl+s", "save", "Save", id="product.save"),
        Binding("ctrl+up", "move_image(-1)", "Image up", id="product.image-up", show=False),
        Binding("ctrl+down", "move_image(1)", "Image down", id="product.image-down", show=False),
        Binding("plus", "add_image", "Add image", id="product.image-add", show=False),
        Binding("minus", "remove_image", "Remove image", id="product.image-remove", show=False),
        Binding("v", "add_variant", "Add variant", id="product.variant-add", show=False),
        Binding("x", "remove_variant", "Remove variant", id="product.variant-remove", show=False),
    ]
    DEFAULT_CSS = """
    ProductEditorScreen #product-columns { height: 1fr; }
    ProductEditorScreen #product-fields { width: 1fr; }
    ProductEditorScreen #product-side { width: 1fr; }
    ProductEditorScreen #product-description { height: 8; }
    ProductEditorScreen #product-images { height: 8; }
    ProductEditorScreen #product-variants { height: 1fr; }
    ProductEditorScreen Label { margin-top: 1; }
    """

    def __init__(self, project: str, slug: str | None) -> None:
        super().__init__()
        self.project = project
        self.slug = slug
        self.product: ProductView | None = None
        self.form = ProductForm()
        self.saved_form = ProductForm()
        self.asset_names: list[str] = []

    @property
    def shop(self) -> ShopSession:
        return ShopSession(self.services.actor)

    @property
    def has_unsaved_changes(self) -> bool:
        return self.is_mounted and self.read_form() != self.saved_form

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("", id="product-summary", classes="summary", markup=False)
        with Horizontal(id="product-columns"):
            with VerticalScroll(id="product-fields"):
                for name, label in TEXT_FIELDS:
                    yield Label(label)
                    yield Input(id=f"product-{name}", compact=True)
                yield Label("Status")
                yield Select(
                    STATUSES, value="DRAFT", allow_blank=False, id="product-status", compact=True
                )
                yield Label("Description (Markdown)")
                yield TextArea(id="product-description", soft_wrap=True)
            with Vertical(id="product-side"):
                yield Label("Images (ctrl+up/down move, + add, - remove)")
                images: DataTable[str | Text] = FittedTable(id="product-images", cursor_type="row")
                images.add_columns("#", "Asset")
                yield images
                yield Label("Variants (Enter edits a cell, v adds, x removes)")
                variants: DataTable[Text] = FittedTable(
                    id="product-variants", cursor_type="cell", zebra_stripes=True
                )
                variants.add_columns("Options", "SKU", "Price", "Stock", "Image", "Payment Link")
                yield variants
        yield Footer()

    def on_mount(self) -> None:
        self.title = self.project
        self.sub_title = f"product {self.slug}" if self.slug else "new product"
        self.load()

    @work(thread=True, exclusive=True, group="product-load")
    def load(self) -> None:
        with self.reporting("loading the product"):
            product = self.shop.product(self.project, self.slug) if self.slug else None
            self.post_message(ProductLoaded(product, self.shop.image_names(self.project)))

    def on_product_loaded(self, message: ProductLoaded) -> None:
        self.asset_names = message.images
        self.show(message.product)

    def show(self, product: ProductView | None, *, keep_form: bool = False) -> None:
        self.product = product
        if not keep_form:
            self.form = ProductForm.of(product) if product else ProductForm()
            self.saved_form = self.form
            for name, _ in TEXT_FIELDS:
                self.query_one(f"#product-{name}", Input).value = getattr(self.form, name)
            self.query_one("#product-status", Select).value = self.form.status
            self.query_one("#product-description", TextArea).text = self.form.description
        self.show_images()
        table = self.query_one("#product-variants", DataTable)
        table.clear()
        if product is not None:
            for v in product.variants:
                table.add_row(
                    *(Text(variant_cell(v, c, product)) for c in VARIANT_COLUMNS), key=v.id
                )
        count = len(product.variants) if product else 0
        self.query_one("#product-summary", Static).update(
            f"{self.project}  ·  {product.slug if product else 'new product'}  ·  {count} variant(s)  ·  ctrl+s save"
        )

    def show_images(self, cursor: int | None = None) -> None:
        table = self.query_one("#product-images", DataTable)
        table.clear()
        for n, name in enumerate(self.form.images, start=1):
            table.add_row(str(n), Text(name))
        if cursor is not None and self.form.images:
            table.move_cursor(row=cursor)

    def read_form(self) -> ProductForm:
        values = {name: self.query_one(f"#product-{name}", Input).value for name, _ in TEXT_FIELDS}
        return ProductForm(
            **values,
            status=str(self.query_one("#product-status", Select).value),
            description=self.query_one("#product-description", TextArea).text,
            images=self.form.images,
        )

    # -- images ------------------------------------------------------------------------------------
    def action_move_image(self, step: int) -> None:
        table = self.query_one("#product-images", DataTable)
        if not self.form.images:
            return
        row = table.cursor_row
        self.form = self.form.moved(row, step)
        self.show_images(max(0, min(len(self.form.images) - 1, row + step)))

    def action_add_image(self) -> None:
        choices = tuple((n, n) for n in self.asset_names if n not in self.form.images)
        if not choices:
            self.notify("no other image assets: add one with bgpub asset add", severity="warning")
            return
        self.app.push_screen(
            FormModal(
                "Add an image", [FormField("name", "Image asset", choices[0][1], options=choices)]
            ),
            self._image_added,
        )

    def _image_added(self, values: dict[str, str] | None) -> None:
        if values and values.get("name"):
            self.form = replace(self.form, images=(*self.form.images, values["name"]))
            self.show_images(len(self.form.images) - 1)

    def action_remove_image(self) -> None:
        table = self.query_one("#product-images", DataTable)
        if self.form.images:
            images = list(self.form.images)
            images.pop(min(table.cursor_row, len(images) - 1))
            self.form = replace(self.form, images=tuple(images))
            self.show_images(max(0, table.cursor_row - 1))

    # -- saving ------------------------------------------------------------------------------------
    def action_save(self) -> None:
        self.form = self.read_form()
        self.save(self.form)

    @work(thread=True, exclusive=True, group="product-save")
    def save(self, form: ProductForm) -> None:
        with self.reporting("saving the product"):
            saved = self.shop.save(self.project, self.slug, form)
            self.post_message(ProductSaved(saved, f"saved {saved.slug}"))

    def on_product_saved(self, message: ProductSaved) -> None:
        self.slug = message.product.slug
        self.sub_title = f"product {self.slug}"
        self.notify(message.text)
        self.show(message.product, keep_form=message.keep_form)

    # -- variants ----------------------------------------------------------------------------------
    def _need_saved(self) -> bool:
        if self.product is None:
            self.notify("save the product first (ctrl+s)", severity="warning")
            return False
        return True

    @on(DataTable.CellSelected, "#product-variants")
    def _edit_cell(self, event: DataTable.CellSelected) -> None:
        product = self.product
        if not self._need_saved() or product is None:  # _need_saved warns when there is none
            return
        ref = event.cell_key.row_key.value
        column = VARIANT_COLUMNS[event.coordinate.column]
        view = next(v for v in product.variants if v.id == ref)
        current = variant_cell(view, column, product)

        def answered(values: dict[str, str] | None) -> None:
            if values is not None:
                self.set_variant(ref, column, values.get("value", ""))

        self.app.push_screen(
            FormModal(
                f"Variant {view.name}: {column.replace('_', ' ')}",
                [FormField("value", column, current)],
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="product-variant")
    def set_variant(self, ref: str, column: str, text: str) -> None:
        with self.reporting("saving the variant"):
            self.shop.set_variant(self.project, self.slug, ref, column, text)
            self.post_message(
                ProductSaved(self.shop.product(self.project, self.slug), "variant saved", True)
            )

    def action_add_variant(self) -> None:
        if self._need_saved():

            def answered(values: dict[str, str] | None) -> None:
                if values is not None:
                    self.add_variant(values.get("options", ""))

            self.app.push_screen(
                FormModal(
                    "Add a variant",
                    [FormField("options", "Options", "", placeholder="Size=M, Colour=Blue")],
                ),
                answered,
            )

    @work(thread=True, exclusive=True, group="product-variant")
    def add_variant(self, options: str) -> None:
        with self.reporting("adding the variant"):
            view = self.shop.add_variant(self.project, self.slug, options)
            self.post_message(
                ProductSaved(self.shop.product(self.project, self.slug), f"added {view.name}", True)
            )

    def action_remove_variant(self) -> None:
        table = self.query_one("#product-variants", DataTable)
        if not self._need_saved() or not table.row_count:
            return
        ref = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        self.remove_variant(ref)

    @work(thread=True, exclusive=True, group="product-variant")
    def remove_variant(self, ref: str) -> None:
        with self.reporting("removing the variant"):
            self.shop.remove_variant(self.project, self.slug, ref)
            self.post_message(
                ProductSaved(self.shop.product(self.project, self.slug), "variant removed", True)
            )

    def action_back(self) -> None:
        self.app.pop_screen()
