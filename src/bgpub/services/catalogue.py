"""Lookups the product and variant services share: the project, a product row, SKUs in use, images.

A SKU is unique across a project's products and variants, so an order line or a CSV row names one
thing. Images are asset names of the project, checked here so nothing renders a missing picture.
"""

from __future__ import annotations

from collections.abc import Iterable

from bgpub.db.models import Asset, Product, ProductVariant, Project
from bgpub.errors import Conflict, InvalidInput
from bgpub.services.project_access import (  # project_for: the shop services import it from here
    project_for as project_for,  # noqa: F401
)
from bgpub.services.project_access import (
    row_by_slug,
    where_in,
)


def where_of(project: Project, slug: str | None = None) -> str:
    return where_in(project, "product", slug)


def product_row(project: Project, slug: str) -> Product:
    return row_by_slug(Product, project, slug, "product")


def product_slugs(project: Project) -> set[str]:
    return set(Product.select(Product.slug).where(Product.project == project).scalars())


def check_sku(
    project: Project,
    sku: str | None,
    where: str,
    *,
    product_id: str | None = None,
    variant_id: str | None = None,
) -> None:
    """Refuses a SKU another product or variant of the project already has."""
    if sku is None:
        return
    other_product = (
        Product.select(Product.slug)
        .where(
            (Product.project == project) & (Product.sku == sku) & (Product.id != (product_id or ""))
        )
        .scalar()
    )
    other_variant = (
        ProductVariant.select(Product.slug, ProductVariant.name)
        .join(Product)
        .where(
            (Product.project == project)
            & (ProductVariant.sku == sku)
            & (ProductVariant.id != (variant_id or ""))
        )
        .tuples()
        .first()
    )
    if other_product:
        raise Conflict(f"SKU {sku!r} is already product {other_product!r}'s", where=where)
    if other_variant:
        raise Conflict(
            f"SKU {sku!r} is already variant {other_variant[1]!r} of product {other_variant[0]!r}",
            where=where,
        )


def check_images(project: Project, names: Iterable[str | None], where: str) -> list[str]:
    """The names, each an asset of the project, without repeats, order kept."""
    clean: list[str] = []
    for name in names:
        if not name or name in clean:
            continue
        if not isinstance(name, str):
            raise InvalidInput(f"image {name!r} is not an asset name", where=where, field="images")
        clean.append(name)
    if clean:
        known = set(
            Asset.select(Asset.name)
            .where((Asset.project == project) & (Asset.name.in_(clean)))
            .scalars()
        )
        missing = [n for n in clean if n not in known]
        if missing:
            raise InvalidInput(
                f"image {missing[0]!r} is not an asset of the project (add it with `bgpub asset add`)",
                where=where,
                field="images",
            )
    return clean
