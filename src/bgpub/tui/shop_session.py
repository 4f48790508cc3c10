"""The shop's calls for the Products screen and the product editor: one catalogue service call each, as
the workspace's actor, on the worker thread's own connection; plain views back, never rows."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from bgpub.money import decimal_text, minor_units
from bgpub.services.product_views import ProductView, VariantView
from bgpub.tui.service_session import connected

VARIANT_COLUMNS = ("options", "sku", "price", "stock", "image", "payment_link")


@dataclass(frozen=True)
class ProductForm:
    """The editor's fields as typed (money as decimal text such as 28.00)."""

    title: str = ""
    slug: str = ""
    status: str = "DRAFT"
    price: str = "0"
    currency: str = "EUR"
    compare_at: str = ""
    sku: str = ""
    stock: str = ""  # '' or 'untracked': not tracked
    weight: str = ""
    tags: str = ""  # comma-separated
    payment_link: str = ""
    description: str = ""
    images: tuple[str, ...] = ()

    @classmethod
    def of(cls, p: ProductView) -> ProductForm:
        def money(cents: int | None) -> str:
            return "" if cents is None else decimal_text(cents, p.currency)

        return cls(p.title, p.slug, p.status, money(p.price_cents), p.currency, money(p.compare_at_cents),
                   p.sku or "", "" if p.stock is None else str(p.stock),
                   "" if p.weight_grams is None else str(p.weight_grams), ", ".join(p.tags),
                   p.payment_link or "", p.description, p.images)  # fmt: skip

    def moved(self, index: int, step: int) -> ProductForm:
        """The images with the one at `index` moved by `step` (clamped)."""
        images = list(self.images)
        target = max(0, min(len(images) - 1, index + step))
        if images and 0 <= index < len(images):
            images.insert(target, images.pop(index))
        return replace(self, images=tuple(images))

    def fields(self) -> dict[str, Any]:
        """Keyword arguments of create_product/update_product (money in minor units)."""
        currency = self.currency.strip().upper() or "EUR"
        return {
            "title": self.title,
            "price_cents": minor_units(self.price or "0", currency, where="price", field="price"),
            "currency": currency,
            "compare_at_cents": minor_units(self.compare_at, currency, where="compare at", field="compare-at price")
            if self.compare_at.strip() else None,
            "status": self.status,
            "sku": self.sku or None,
            "stock": self.stock or None,
            "weight_grams": self.weight or None,
            "tags": [t.strip() for t in self.tags.split(",") if t.strip()],
            "payment_link": self.payment_link or None,
            "description": self.description,
            "images": list(self.images),
        }  # fmt: skip


def variant_cell(view: VariantView, column: str, product: ProductView) -> str:
    """A variant's value in the editor's table, as the inline editor shows it."""
    if column == "options":
        return ", ".join(f"{k}={v}" for k, v in view.options.items())
    if column == "price":
        return "" if view.price_cents is None else decimal_text(view.price_cents, product.currency)
    if column == "stock":
        return "untracked" if view.stock is None else str(view.stock)
    return getattr(view, column) or ""


class ShopSession:
    """Products and variants of the workspace's actor."""

    def __init__(self, actor: Any) -> None:
        self.actor = actor

    @connected
    def products(self, project: str) -> list[ProductView]:
        from bgpub.services.products import list_products

        return list_products(self.actor, project)

    @connected
    def product(self, project: str, slug: str) -> ProductView:
        from bgpub.services.products import get_product

        return get_product(self.actor, project, slug)

    @connected
    def image_names(self, project: str) -> list[str]:
        from bgpub.services.assets import list_assets

        return [a.name for a in list_assets(self.actor, project) if str(a.type) == "IMAGE"]

    @connected
    def save(self, project: str, slug: str | None, form: ProductForm) -> ProductView:
        from bgpub.services.products import create_product, update_product

        fields = form.fields()
        if slug is None:
            title = fields.pop("title")
            return create_product(self.actor, project, title, slug=form.slug or None, **fields)
        new_slug = form.slug.strip() or slug
        return update_product(self.actor, project, slug, new_slug=new_slug, **fields)

    @connected
    def remove(self, project: str, slug: str) -> None:
        from bgpub.services.products import remove_product

        remove_product(self.actor, project, slug)

    @connected
    def set_variant(self, project: str, slug: str, ref: str, column: str, text: str) -> VariantView:
        """One cell of the variants table, edited inline."""
        from bgpub.services.products import get_product
        from bgpub.services.variants import update_variant

        product = get_product(self.actor, project, slug)
        value: Any = text.strip()
        if column == "options":
            value = [part.strip() for part in text.split(",") if part.strip()]
        elif column == "price":
            column, value = (
                "price_cents",
                (minor_units(value, product.currency, where="price") if value else None),
            )
        elif column in ("image", "payment_link", "sku"):
            value = value or None
        return update_variant(self.actor, project, slug, ref, **{column: value})

    @connected
    def add_variant(self, project: str, slug: str, options: str) -> VariantView:
        from bgpub.services.variants import add_variant

        return add_variant(
            self.actor, project, slug, [p.strip() for p in options.split(",") if p.strip()]
        )

    @connected
    def remove_variant(self, project: str, slug: str, ref: str) -> None:
        from bgpub.services.variants import remove_variant

        remove_variant(self.actor, project, slug, ref)
