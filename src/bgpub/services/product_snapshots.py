"""Products in the project snapshot: read from the database (every status: render shows only ACTIVE),
checked on import, and written back, so export -> import keeps the whole catalogue."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from bgpub.db.enums import ProductStatus
from bgpub.db.models import Product, ProductVariant, Project
from bgpub.errors import BgpubError, InvalidInput
from bgpub.money import cents, currency_code
from bgpub.services import product_fields
from bgpub.services.post_fields import snapshot_time
from bgpub.snapshot import ProductSnapshot, ProjectSnapshot, VariantSnapshot


def products_of(project: Project) -> tuple[ProductSnapshot, ...]:
    """The project's products, oldest first, with their variants in their order."""
    variants: dict[str, list[VariantSnapshot]] = {}
    rows = (
        ProductVariant.select()
        .join(Product)
        .where(Product.project == project)
        .order_by(ProductVariant.position, ProductVariant.created_at, ProductVariant.id)
    )
    for v in rows:
        variants.setdefault(v.product_id, []).append(
            VariantSnapshot(
                name=v.name,
                options=dict(v.options or {}),
                sku=v.sku or "",
                price_cents=v.price_cents,
                stock=v.stock,
                image=v.image,
                payment_link=v.payment_link or "",
            )
        )
    products = []
    for p in (
        Product.select()
        .where(Product.project == project)
        .order_by(Product.created_at, Product.slug)
    ):
        images = list(p.images or ())
        products.append(
            ProductSnapshot(
                slug=p.slug,
                name=p.name,
                price_cents=p.price_cents,
                currency=p.currency,
                description=p.description,
                image=images[0] if images else None,
                gallery=tuple(images[1:]),
                status=ProductStatus(p.status).value,
                compare_at_cents=p.compare_at_cents,
                sku=p.sku or "",
                stock=p.stock,
                weight_grams=p.weight_grams,
                tags=tuple(p.tags or ()),
                payment_link=p.payment_link or "",
                variants=tuple(variants.get(p.id, ())),
                updated_at=snapshot_time(p.updated_at)
                if isinstance(p.updated_at, datetime)
                else "",
            )
        )
    return tuple(products)


def check_products(snapshot: ProjectSnapshot, assets: Iterable[str], where: str) -> None:
    """Every product and variant field as the services would accept it; names the first problem."""
    known = set(assets)
    slugs: set[str] = set()
    skus: set[str] = set()
    for i, product in enumerate(snapshot.products):
        here = f"{where}: products[{i}]"
        try:
            _check_product(product, known, skus, here)
        except BgpubError as exc:
            raise InvalidInput(exc.message, where=exc.where or here) from exc
        if product.slug in slugs:
            raise InvalidInput(f"two products have slug {product.slug!r}", where=here)
        slugs.add(product.slug)


def _check_product(product: ProductSnapshot, known: set[str], skus: set[str], here: str) -> None:
    product_fields.slug(product.slug, here)
    product_fields.title(product.name, here, field="name")  # the JSON key an import names
    product_fields.description(product.description, here)
    cents(product.price_cents, here, "price_cents")
    if product.compare_at_cents is not None:
        cents(product.compare_at_cents, here, "compare_at_cents")
    currency_code(product.currency, here)
    product_fields.status(product.status, here)
    product_fields.stock(product.stock, here)
    product_fields.weight(product.weight_grams, here)
    product_fields.tags(list(product.tags), here)
    product_fields.payment_link(product.payment_link, here)
    for name in ([product.image] if product.image else []) + list(product.gallery):
        if name not in known:
            raise InvalidInput(f"image {name!r} is not an asset of the project", where=here)
    _unique_sku(product_fields.sku(product.sku, here), skus, here)
    seen: set[tuple[Any, ...]] = set()
    for j, variant in enumerate(product.variants):
        there = f"{here}.variants[{j}]"
        options = product_fields.options(variant.options, there)
        key = tuple(sorted((k.lower(), v.lower()) for k, v in options.items()))
        if key in seen:
            raise InvalidInput("two variants have the same options", where=there)
        seen.add(key)
        _unique_sku(product_fields.sku(variant.sku, there), skus, there)
        if variant.price_cents is not None:
            cents(variant.price_cents, there, "price_cents")
        product_fields.stock(variant.stock, there)
        product_fields.payment_link(variant.payment_link, there)
        if variant.image and variant.image not in known:
            raise InvalidInput(
                f"image {variant.image!r} is not an asset of the project", where=there
            )


def _unique_sku(sku: str | None, skus: set[str], where: str) -> None:
    if sku is None:
        return
    if sku in skus:
        raise InvalidInput(f"SKU {sku!r} is used twice", where=where)
    skus.add(sku)


def write_products(project: Project, snapshot: ProjectSnapshot, stamps: Iterable[datetime]) -> None:
    """Creates the snapshot's products and variants (already checked) in the current transaction."""
    for stamp, product in zip(stamps, snapshot.products, strict=True):
        images = ([product.image] if product.image else []) + list(product.gallery)
        row = Product.create(
            project=project,
            name=product.name,
            slug=product.slug,
            description=product.description,
            price_cents=product.price_cents,
            currency=currency_code(
                product.currency
            ),  # `eur` in a hand-written export is stored EUR
            images=images,
            status=ProductStatus(product.status),
            compare_at_cents=product.compare_at_cents,
            sku=product.sku or None,
            stock=product.stock,
            weight_grams=product.weight_grams,
            tags=list(product.tags),
            payment_link=product.payment_link or None,
            created_at=stamp,
            updated_at=stamp,
        )
        for position, variant in enumerate(product.variants):
            ProductVariant.create(
                product=row,
                name=variant.name,
                options=dict(variant.options),
                sku=variant.sku or None,
                price_cents=variant.price_cents,
                stock=variant.stock,
                image=variant.image,
                payment_link=variant.payment_link or None,
                position=position,
                created_at=stamp,
                updated_at=stamp,
            )
