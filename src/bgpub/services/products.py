"""The catalogue: create, edit, list, show and remove products.

Services return `ProductView`s (plain frozen values, never rows). Each write validates everything first,
then changes the database in one transaction with one audit row, and bumps the project's revision so
the next build sees it. Money is integer minor units of the product's ISO 4217 currency.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from bgpub.db.connection import database
from bgpub.db.enums import ProductStatus
from bgpub.db.models import Product, ProductVariant, Project, User
from bgpub.domain.slugs import slugify, unique_slug
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.money import cents, currency_code
from bgpub.services import product_fields
from bgpub.services.catalogue import (
    check_images,
    check_sku,
    product_row,
    product_slugs,
    project_for,
    where_of,
)
from bgpub.services.field_changes import UNCHANGED, differing, given_fields, write_changes
from bgpub.services.permissions import Action
from bgpub.services.product_views import ProductView, view_of
from bgpub.services.project_changes import record_change

STOCK_FILTERS = ("in", "low", "out", "untracked")


def get_product(actor: User, project: str | Project, slug: str) -> ProductView:
    project = project_for(actor, project, Action.READ)
    return view_of(product_row(project, slug))


def get_product_by_id(actor: User, project: str | Project, product_id: str) -> ProductView:
    """The product with this id (as order lines keep it), if it is the project's."""
    project = project_for(actor, project, Action.READ)
    row = Product.get_or_none((Product.project == project) & (Product.id == product_id))
    if row is None:
        raise NotFound(f"no product with id {product_id!r}", where=where_of(project))
    return view_of(row)


def list_products(
    actor: User,
    project: str | Project,
    *,
    status: str | None = None,
    search: str | None = None,
    tag: str | None = None,
    stock: str | None = None,
) -> list[ProductView]:
    """Newest first; filters combine. `stock`: in, low (tracked and at most LOW_STOCK), out, untracked."""
    project = project_for(actor, project, Action.READ)
    where = where_of(project)
    query = Product.select().where(Product.project == project)
    if status:
        query = query.where(Product.status == product_fields.status(status, where))
    if search:
        needle = f"%{search}%"
        query = query.where(
            (Product.name**needle)
            | (Product.slug**needle)
            | (Product.sku**needle)
            | (Product.description**needle)
        )
    if stock and stock not in STOCK_FILTERS:
        raise InvalidInput(
            f"stock filter {stock!r} is not one of {', '.join(STOCK_FILTERS)}",
            where=where,
            field="stock",
        )
    views = [view_of(row) for row in query.order_by(Product.created_at.desc(), Product.slug)]
    if tag:
        wanted = tag.strip().lower()
        views = [
            v for v in views if any(t.lower() == wanted or slugify(t) == wanted for t in v.tags)
        ]
    if stock == "out":
        views = [v for v in views if v.sold_out]
    elif stock == "low":
        views = [v for v in views if v.low_stock]
    elif stock == "untracked":
        views = [v for v in views if v.total_stock is None]
    elif stock == "in":
        views = [v for v in views if not v.sold_out]
    return views


def _clean(project: Project, where: str, fields: dict[str, Any], currency: str) -> dict[str, Any]:
    """Validated column values for the given fields (names as in the service signatures)."""
    out: dict[str, Any] = {}
    if "title" in fields:
        out["name"] = product_fields.title(fields["title"], where)
    if "description" in fields:
        out["description"] = product_fields.description(fields["description"], where)
    if "price_cents" in fields:
        out["price_cents"] = cents(fields["price_cents"], where, "price")
    if "compare_at_cents" in fields:
        value = fields["compare_at_cents"]
        out["compare_at_cents"] = (
            None if value in (None, "") else cents(value, where, "compare-at price")
        )
    if "images" in fields:
        images = check_images(project, fields["images"] or (), where)
        if len(images) > product_fields.IMAGES_MAX:
            raise InvalidInput(
                f"more than {product_fields.IMAGES_MAX} images", where=where, field="images"
            )
        out["images"] = images
    if "status" in fields:
        out["status"] = product_fields.status(fields["status"], where)
    if "sku" in fields:
        out["sku"] = product_fields.sku(fields["sku"], where)
    if "stock" in fields:
        out["stock"] = product_fields.stock(fields["stock"], where)
    if "weight_grams" in fields:
        out["weight_grams"] = product_fields.weight(fields["weight_grams"], where)
    if "tags" in fields:
        out["tags"] = product_fields.tags(list(fields["tags"] or ()), where)
    if "payment_link" in fields:
        out["payment_link"] = product_fields.payment_link(fields["payment_link"], where)
    out["currency"] = currency
    return out


def create_product(
    actor: User,
    project: str | Project,
    title: str,
    *,
    slug: str | None = None,
    price_cents: int = 0,
    currency: str = "EUR",
    description: str = "",
    compare_at_cents: int | None = None,
    images: Iterable[str] = (),
    status: str = "DRAFT",
    sku: str | None = None,
    stock: int | None = None,
    weight_grams: int | None = None,
    tags: Iterable[str] = (),
    payment_link: str | None = None,
) -> ProductView:
    """A new product; its slug derives from the title unless given (then it must be free)."""
    project = project_for(actor, project, Action.EDIT)
    where = where_of(project)
    clean_title = product_fields.title(title, where)
    taken = product_slugs(project)
    if slug:
        slug = product_fields.slug(slug, where)
        if slug in taken:
            raise Conflict(f"a product with slug {slug!r} already exists", where=where)
    else:
        slug = unique_slug(slugify(clean_title, fallback="product"), taken)
    where = where_of(project, slug)
    values = _clean(
        project,
        where,
        {
            "title": clean_title,
            "description": description,
            "price_cents": price_cents,
            "compare_at_cents": compare_at_cents,
            "images": list(images),
            "status": status,
            "sku": sku,
            "stock": stock,
            "weight_grams": weight_grams,
            "tags": list(tags),
            "payment_link": payment_link,
        },
        currency_code(currency, where),
    )
    with database.atomic():
        check_sku(project, values["sku"], where)
        row = Product.create(project=project, slug=slug, **values)
        record_change(
            actor,
            project,
            "product.create",
            "product",
            row.id,
            {"slug": slug, "status": values["status"].value},
        )
    return view_of(row)


def update_product(
    actor: User,
    project: str | Project,
    slug: str,
    *,
    title: Any = UNCHANGED,
    new_slug: Any = UNCHANGED,
    price_cents: Any = UNCHANGED,
    currency: Any = UNCHANGED,
    description: Any = UNCHANGED,
    compare_at_cents: Any = UNCHANGED,
    images: Any = UNCHANGED,
    status: Any = UNCHANGED,
    sku: Any = UNCHANGED,
    stock: Any = UNCHANGED,
    weight_grams: Any = UNCHANGED,
    tags: Any = UNCHANGED,
    payment_link: Any = UNCHANGED,
) -> ProductView:
    """Changes the given fields in one write; `None` clears an optional field, `tags`/`images` replace all."""
    project = project_for(actor, project, Action.EDIT)
    row = product_row(project, slug)
    where = where_of(project, slug)
    given = given_fields(
        title=title,
        price_cents=price_cents,
        description=description,
        compare_at_cents=compare_at_cents,
        images=images,
        status=status,
        sku=sku,
        stock=stock,
        weight_grams=weight_grams,
        tags=tags,
        payment_link=payment_link,
    )
    chosen = row.currency if currency is UNCHANGED else currency_code(currency, where)
    changes = _clean(project, where, given, chosen)
    if new_slug is not UNCHANGED and new_slug != row.slug:
        changes["slug"] = product_fields.slug(new_slug, where)
        if changes["slug"] in product_slugs(project):
            raise Conflict(f"a product with slug {changes['slug']!r} already exists", where=where)
    changed = differing(row, changes)
    if not changed:
        return view_of(row)
    with database.atomic():
        if "sku" in changed:
            check_sku(project, changes["sku"], where, product_id=row.id)
        write_changes(row, changes, changed)
        record_change(
            actor,
            project,
            "product.update",
            "product",
            row.id,
            {"slug": row.slug, "fields": changed},
        )
    return view_of(row)


def remove_product(actor: User, project: str | Project, slug: str) -> None:
    """Deletes the product and its variants; order lines keep their copied name and price (SET NULL)."""
    project = project_for(actor, project, Action.EDIT)
    row = product_row(project, slug)
    with database.atomic():
        ProductVariant.delete().where(ProductVariant.product == row).execute()
        row.delete_instance()
        record_change(actor, project, "product.remove", "product", row.id, {"slug": slug})


def archive_product(actor: User, project: str | Project, slug: str) -> ProductView:
    """ARCHIVED: no longer sold or published, kept for the orders that name it."""
    return update_product(actor, project, slug, status=ProductStatus.ARCHIVED.value)
