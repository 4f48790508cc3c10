"""A product's variants: add, change, list and remove them (size, colour...: each its own SKU, price,
stock, image and Payment Link).

A variant is named on the command line by its SKU, its name (`M / Blue`, any case), its number in the
list (1, 2...) or its id. Services return `VariantView`s; each write is one transaction with one audit
row. Two variants of one product cannot have the same option values.
"""

from __future__ import annotations

from typing import Any

from peewee import fn

from bgpub.db.connection import database
from bgpub.db.models import Product, ProductVariant, Project, User
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.money import cents
from bgpub.services import product_fields
from bgpub.services.catalogue import check_images, check_sku, product_row, project_for, where_of
from bgpub.services.field_changes import UNCHANGED, differing, given_fields, write_changes
from bgpub.services.permissions import Action
from bgpub.services.product_views import VariantView, variant_view
from bgpub.services.project_changes import record_change

VARIANTS_MAX = 100  # Shopify's limit per product


def _rows(product: Product) -> list[ProductVariant]:
    return list(
        ProductVariant.select()
        .where(ProductVariant.product == product)
        .order_by(ProductVariant.position, ProductVariant.created_at, ProductVariant.id)
    )


def _variant_row(product: Product, ref: str, where: str) -> ProductVariant:
    rows = _rows(product)
    text = str(ref).strip()
    for row in rows:
        if text in (row.id, row.sku) or row.name.lower() == text.lower():
            return row
    if text.isdigit() and 1 <= int(text) <= len(rows):
        return rows[int(text) - 1]
    raise NotFound(f"no variant {ref!r} (give its SKU, name, number or id)", where=where)


def _where(project: Project, product: str, variant: str | None = None) -> str:
    return where_of(project, product) + (f", variant {variant}" if variant else "")


def _same_options(
    product: Product, options: dict[str, str], other_than: str | None, where: str
) -> None:
    wanted = {k.lower(): v.lower() for k, v in options.items()}
    for row in _rows(product):
        if (
            row.id != other_than
            and {k.lower(): str(v).lower() for k, v in (row.options or {}).items()} == wanted
        ):
            raise Conflict(f"variant {row.name!r} already has these options", where=where)


def _clean(project: Project, where: str, fields: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if "options" in fields:
        out["options"] = product_fields.options(fields["options"], where)
        out["name"] = product_fields.variant_name(out["options"])
    if "sku" in fields:
        out["sku"] = product_fields.sku(fields["sku"], where)
    if "price_cents" in fields:
        value = fields["price_cents"]
        out["price_cents"] = None if value in (None, "") else cents(value, where, "price")
    if "stock" in fields:
        out["stock"] = product_fields.stock(fields["stock"], where)
    if "image" in fields:
        found = check_images(project, [fields["image"]], where)
        out["image"] = found[0] if found else None
    if "payment_link" in fields:
        out["payment_link"] = product_fields.payment_link(fields["payment_link"], where)
    return out


def list_variants(actor: User, project: str | Project, product: str) -> list[VariantView]:
    project = project_for(actor, project, Action.READ)
    row = product_row(project, product)
    return [variant_view(v, row.slug) for v in _rows(row)]


def get_variant(actor: User, project: str | Project, product: str, ref: str) -> VariantView:
    project = project_for(actor, project, Action.READ)
    row = product_row(project, product)
    return variant_view(_variant_row(row, ref, _where(project, product)), row.slug)


def add_variant(
    actor: User,
    project: str | Project,
    product: str,
    options: dict[str, str] | list[str],
    *,
    sku: str | None = None,
    price_cents: int | None = None,
    stock: int | None = None,
    image: str | None = None,
    payment_link: str | None = None,
) -> VariantView:
    """A new variant at the end of the product's list; price None uses the product's price."""
    project = project_for(actor, project, Action.EDIT)
    parent = product_row(project, product)
    where = _where(project, product)
    values = _clean(
        project,
        where,
        {
            "options": options,
            "sku": sku,
            "price_cents": price_cents,
            "stock": stock,
            "image": image,
            "payment_link": payment_link,
        },
    )
    where = _where(project, product, values["name"])
    with database.atomic():
        count = ProductVariant.select().where(ProductVariant.product == parent).count()
        if count >= VARIANTS_MAX:
            raise InvalidInput(f"a product has at most {VARIANTS_MAX} variants", where=where)
        _same_options(parent, values["options"], None, where)
        check_sku(project, values["sku"], where)
        last = (
            ProductVariant.select(fn.MAX(ProductVariant.position))
            .where(ProductVariant.product == parent)
            .scalar()
        )
        row = ProductVariant.create(
            product=parent, position=(last or 0) + 1 if count else 0, **values
        )
        record_change(
            actor,
            project,
            "variant.add",
            "product_variant",
            row.id,
            {"product": parent.slug, "variant": row.name},
        )
    return variant_view(row, parent.slug)


def update_variant(
    actor: User,
    project: str | Project,
    product: str,
    ref: str,
    *,
    options: Any = UNCHANGED,
    sku: Any = UNCHANGED,
    price_cents: Any = UNCHANGED,
    stock: Any = UNCHANGED,
    image: Any = UNCHANGED,
    payment_link: Any = UNCHANGED,
    position: Any = UNCHANGED,
) -> VariantView:
    """Changes the given fields; `None` clears price (back to the product's), stock (untracked), image, link."""
    project = project_for(actor, project, Action.EDIT)
    parent = product_row(project, product)
    row = _variant_row(parent, ref, _where(project, product))
    where = _where(project, product, row.name)
    given = given_fields(
        options=options,
        sku=sku,
        price_cents=price_cents,
        stock=stock,
        image=image,
        payment_link=payment_link,
    )
    changes = _clean(project, where, given)
    if position is not UNCHANGED:
        if not isinstance(position, int) or isinstance(position, bool) or position < 0:
            raise InvalidInput(
                f"position {position!r} is not 0 or more", where=where, field="position"
            )
        changes["position"] = position
    changed = differing(row, changes)
    if not changed:
        return variant_view(row, parent.slug)
    with database.atomic():
        if "options" in changes:
            _same_options(parent, changes["options"], row.id, where)
        if "sku" in changed:
            check_sku(project, changes["sku"], where, variant_id=row.id)
        write_changes(row, changes, changed)
        record_change(
            actor,
            project,
            "variant.update",
            "product_variant",
            row.id,
            {"product": parent.slug, "variant": row.name, "fields": changed},
        )
    return variant_view(row, parent.slug)


def remove_variant(actor: User, project: str | Project, product: str, ref: str) -> None:
    project = project_for(actor, project, Action.EDIT)
    parent = product_row(project, product)
    row = _variant_row(parent, ref, _where(project, product))
    with database.atomic():
        row.delete_instance()
        record_change(
            actor,
            project,
            "variant.remove",
            "product_variant",
            row.id,
            {"product": parent.slug, "variant": row.name},
        )
