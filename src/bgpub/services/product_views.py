"""What the catalogue services return: `ProductView` and `VariantView`, plain frozen values (never rows).

The orders side reads products through these too: `id`s are stable, money is integer minor units of
`currency`, `stock` None means not tracked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bgpub.db.enums import ProductStatus
from bgpub.db.models import Product, ProductVariant
from bgpub.money import format_money
from bgpub.services.product_fields import LOW_STOCK


@dataclass(frozen=True)
class VariantView:
    id: str
    product_id: str
    product_slug: str
    name: str  # `M / Blue`: the option values joined
    options: dict[str, str] = field(default_factory=dict)  # {"Size": "M", "Colour": "Blue"}
    sku: str | None = None
    price_cents: int | None = None  # None: the product's price
    stock: int | None = None  # None: not tracked
    image: str | None = None  # asset name
    payment_link: str | None = None
    position: int = 0

    def effective_price(self, product: ProductView) -> int:
        return product.price_cents if self.price_cents is None else self.price_cents

    @property
    def sold_out(self) -> bool:
        return self.stock is not None and self.stock <= 0

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "options": dict(self.options),
            "sku": self.sku,
            "price_cents": self.price_cents,
            "stock": self.stock,
            "image": self.image,
            "payment_link": self.payment_link,
        }


@dataclass(frozen=True)
class ProductView:
    id: str
    slug: str
    title: str
    status: str  # DRAFT | ACTIVE | ARCHIVED
    price_cents: int
    currency: str
    description: str = ""  # Markdown
    compare_at_cents: int | None = None
    images: tuple[str, ...] = ()  # asset names, gallery order
    sku: str | None = None
    stock: int | None = None  # None: not tracked
    weight_grams: int | None = None
    tags: tuple[str, ...] = ()
    payment_link: str | None = None
    variants: tuple[VariantView, ...] = ()

    @property
    def total_stock(self) -> int | None:
        """The units on hand: the variants' when there are variants (None if any is untracked)."""
        if self.variants:
            counts = [v.stock for v in self.variants if v.stock is not None]
            return None if len(counts) < len(self.variants) else sum(counts)
        return self.stock

    @property
    def sold_out(self) -> bool:
        if self.variants:
            return all(v.sold_out for v in self.variants)
        return self.stock is not None and self.stock <= 0

    @property
    def low_stock(self) -> bool:
        total = self.total_stock
        return total is not None and total <= LOW_STOCK

    def price_text(self, language: str = "en") -> str:
        return format_money(self.price_cents, self.currency, language)

    def as_json(self) -> dict[str, Any]:
        return {
            "slug": self.slug,
            "title": self.title,
            "status": self.status,
            "price_cents": self.price_cents,
            "currency": self.currency,
            "compare_at_cents": self.compare_at_cents,
            "description": self.description,
            "images": list(self.images),
            "sku": self.sku,
            "stock": self.stock,
            "weight_grams": self.weight_grams,
            "tags": list(self.tags),
            "payment_link": self.payment_link,
            "variants": [v.as_json() for v in self.variants],
        }


def variant_view(row: ProductVariant, product_slug: str) -> VariantView:
    return VariantView(
        id=row.id,
        product_id=row.product_id,
        product_slug=product_slug,
        name=row.name,
        options=dict(row.options or {}),
        sku=row.sku,
        price_cents=row.price_cents,
        stock=row.stock,
        image=row.image,
        payment_link=row.payment_link,
        position=row.position,
    )


def view_of(row: Product) -> ProductView:
    variants = (
        ProductVariant.select()
        .where(ProductVariant.product == row)
        .order_by(ProductVariant.position, ProductVariant.created_at, ProductVariant.id)
    )
    return ProductView(
        id=row.id,
        slug=row.slug,
        title=row.name,
        status=ProductStatus(row.status).value,
        price_cents=row.price_cents,
        currency=row.currency,
        description=row.description,
        compare_at_cents=row.compare_at_cents,
        images=tuple(row.images or ()),
        sku=row.sku,
        stock=row.stock,
        weight_grams=row.weight_grams,
        tags=tuple(row.tags or ()),
        payment_link=row.payment_link,
        variants=tuple(variant_view(v, row.slug) for v in variants),
    )
