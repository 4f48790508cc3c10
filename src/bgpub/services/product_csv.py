"""The catalogue as Shopify's product CSV, both ways, so a shop can come from Shopify or go back to it.

Layout: Shopify's columns (Handle, Title, Body (HTML), Option1 Name/Value..., Variant SKU, Variant
Price, Variant Inventory Qty, Image Src...): the first row of a handle carries the product and its
first variant, later rows of the handle more variants and more images. A product without options is
one row with `Option1 Name = Title`, `Option1 Value = Default Title`, as Shopify writes it.

Hostile files: the import reads at most MAX_BYTES and MAX_ROWS, names the line and column of the
first bad value (a price such as `12,5` or `-1`, a tracked stock that is not a count), converts the
HTML body to Markdown with scripts, handlers and unsafe links removed (html_markdown), and writes
nothing unless every row is good (one transaction). The export neutralises spreadsheet formulas: a
cell starting with = + - @ (or a tab or carriage return) gets a leading `'`, which the import drops.
Images are assets: `Image Src` holds the asset's name, or a URL whose file name is an asset's; images
the project does not have are listed in the report, not fetched.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import IO, Any
from urllib.parse import unquote, urlsplit

from bgpub.db.connection import database
from bgpub.db.models import Asset, Project, User
from bgpub.db.rows import tuple_rows
from bgpub.errors import BgpubError, InvalidInput, LimitExceeded
from bgpub.money import currency_code, minor_units
from bgpub.services import audit, html_markdown
from bgpub.services.catalogue import project_for, where_of
from bgpub.services.permissions import Action
from bgpub.services.product_csv_export import (  # noqa: F401  (export_products: the other direction)
    DEFAULT_OPTION,
    FORMULA_START,
    export_products,
)

MAX_BYTES = 20_000_000
MAX_ROWS = 20_000
REQUIRED = ("Handle",)


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    variants: int = 0
    skipped_images: list[str] = field(
        default_factory=list
    )  # `Image Src` values that are not assets


def _restored(value: str) -> str:
    return (
        value[1:] if value.startswith("'") and value[1:2] in FORMULA_START and value[1:2] else value
    )


# --- import -------------------------------------------------------------------------------------


def _read(source: IO[bytes] | bytes | str, where: str) -> list[dict[str, str]]:
    if isinstance(source, str):
        data = source.encode("utf-8")
    elif isinstance(source, bytes):
        data = source
    else:
        data = source.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise LimitExceeded(f"the file is larger than {MAX_BYTES // 1_000_000} MB", where=where)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"is not UTF-8 text (byte {exc.start})", where=where) from None
    if "\x00" in text:
        raise InvalidInput("contains a NUL character: not a CSV file", where=where)
    reader = csv.DictReader(io.StringIO(text, newline=""), strict=True)
    rows: list[dict[str, str]] = []
    try:
        header = reader.fieldnames or []
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InvalidInput(
                f"no {missing[0]!r} column: not a Shopify product CSV", where=f"{where}:1"
            )
        for row in reader:
            if len(rows) >= MAX_ROWS:
                raise LimitExceeded(f"more than {MAX_ROWS} rows", where=where)
            if None in row:
                raise InvalidInput(
                    "more cells than the header has columns", where=f"{where}:{reader.line_num}"
                )
            cells = {k: _restored((v or "").strip()) for k, v in row.items() if k}
            cells["_line"] = str(reader.line_num)
            rows.append(cells)
    except csv.Error as exc:
        raise InvalidInput(f"malformed CSV: {exc}", where=f"{where}:{reader.line_num}") from None
    return rows


def _grouped(rows: list[dict[str, str]], where: str) -> list[list[dict[str, str]]]:
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        handle = row.get("Handle", "")
        if not handle:
            if not any(v for k, v in row.items() if k != "_line"):
                continue  # a blank line
            raise InvalidInput(
                "a row without a Handle", where=f"{where}:{row['_line']}", field="Handle"
            )
        groups.setdefault(handle, []).append(row)
    return list(groups.values())


def _asset_names(project: Project) -> dict[str, str]:
    """Asset name -> itself, plus the file names published URLs use, lower-cased."""
    from bgpub.render.plan import asset_filename

    names: dict[str, str] = {}
    for name, digest, mime in tuple_rows(
        Asset.select(Asset.name, Asset.hash, Asset.mime).where(Asset.project == project)
    ):
        names[name.lower()] = name
        names[asset_filename(name, digest, mime).rsplit("/", 1)[-1]] = name
    return names


def _image(value: str, assets: dict[str, str], report: ImportReport) -> str | None:
    if not value:
        return None
    found = assets.get(value.lower())
    if found is None and "://" in value:
        found = assets.get(unquote(urlsplit(value).path.rsplit("/", 1)[-1]).lower())
    if found is None and value not in report.skipped_images:
        report.skipped_images.append(value)
    return found


def _cell(row: dict[str, str], column: str, where: str) -> tuple[str, str]:
    return row.get(column, ""), f"{where}:{row['_line']}, column {column}"


def _product_fields(
    group: list[dict[str, str]],
    currency: str,
    status: str | None,
    assets: dict[str, str],
    report: ImportReport,
    where: str,
) -> dict[str, Any]:
    first = group[0]
    body, _ = _cell(first, "Body (HTML)", where)
    title, _ = _cell(first, "Title", where)
    fields: dict[str, Any] = {
        "title": title or first["Handle"],
        "description": html_markdown.to_markdown(body).markdown if body else "",
        "tags": [t.strip() for t in first.get("Tags", "").split(",") if t.strip()],
        "status": status
        or (
            first.get("Status")
            or ("active" if first.get("Published", "TRUE").upper() != "FALSE" else "draft")
        ).upper(),
        "currency": currency,
    }
    grams, here = _cell(first, "Variant Grams", where)
    fields["weight_grams"] = _whole(grams, here, "weight") if grams else None
    images = []
    for row in group:
        name = _image(row.get("Image Src", ""), assets, report)
        if name and name not in images:
            images.append(name)
    fields["images"] = images
    offers = [
        row
        for row in group
        if row.get("Option1 Value") or row.get("Variant Price") or row.get("Variant SKU")
    ]
    if not offers:
        raise InvalidInput(
            "no variant row (Variant Price)",
            where=f"{where}:{first['_line']}",
            field="Variant Price",
        )
    names = [first.get(f"Option{n} Name", "") for n in (1, 2, 3)]
    variants = []
    for row in offers:
        price, here = _cell(row, "Variant Price", where)
        compare, compare_where = _cell(row, "Variant Compare At Price", where)
        qty, qty_where = _cell(row, "Variant Inventory Qty", where)
        tracked = row.get("Variant Inventory Tracker", "") != "" or (
            qty != "" and "Variant Inventory Tracker" not in row
        )
        offer = {
            "price_cents": minor_units(price or "0", currency, here, "Variant Price"),
            "compare_at_cents": minor_units(
                compare, currency, compare_where, "Variant Compare At Price"
            )
            if compare
            else None,
            "stock": _whole(qty or "0", qty_where, "Variant Inventory Qty") if tracked else None,
            "sku": row.get("Variant SKU") or None,
            "image": _image(row.get("Variant Image", ""), assets, report),
            "options": {
                names[n - 1]: row.get(f"Option{n} Value", "")
                for n in (1, 2, 3)
                if names[n - 1] and row.get(f"Option{n} Value", "")
            },
            "where": f"{where}:{row['_line']}",
        }
        variants.append(offer)
    fields["offers"] = variants
    return fields


def _whole(value: str, where: str, field: str) -> int:
    text = value.strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or len(text) > 10:
        raise InvalidInput(
            f"{field} {value!r} is not a whole number of 0 or more", where=where, field=field
        )
    return int(text)


def import_products(
    actor: User,
    project: str | Project,
    source: IO[bytes] | bytes | str,
    *,
    currency: str = "EUR",
    status: str | None = None,
    where: str = "products.csv",
) -> ImportReport:
    """Creates (or, for a handle that is already a product's slug, replaces) every product of the file;
    all or nothing."""
    project = project_for(actor, project, Action.EDIT)
    currency = currency_code(currency, where)
    rows = _read(source, where)
    report = ImportReport()
    assets = _asset_names(project)
    parsed = [
        (g[0]["Handle"], _product_fields(g, currency, status, assets, report, where))
        for g in _grouped(rows, where)
    ]
    try:
        with database.atomic():
            for handle, fields in parsed:
                _write(actor, project, handle, fields, report)
            audit.record(
                actor,
                project.organization,
                "product.import",
                "project",
                project.id,
                {"project": project.name, "created": report.created, "updated": report.updated},
            )
    except BgpubError as exc:
        if exc.where and exc.where.startswith(where):
            raise
        raise InvalidInput(
            exc.message,
            where=f"{where}: {exc.where or where_of(project)}",
            field=getattr(exc, "field", None),
        ) from exc
    return report


def _write(
    actor: User, project: Project, handle: str, fields: dict[str, Any], report: ImportReport
) -> None:
    from bgpub.domain.slugs import slugify
    from bgpub.services import products, variants

    offers = fields.pop("offers")
    single = len(offers) == 1 and (
        not offers[0]["options"] or tuple(offers[0]["options"].items()) == (DEFAULT_OPTION,)
    )
    head = offers[0]
    common = {
        **fields,
        "price_cents": head["price_cents"],
        "compare_at_cents": head["compare_at_cents"],
        "sku": head["sku"] if single else None,
        "stock": head["stock"] if single else None,
    }
    slug = (
        handle
        if handle == slugify(handle, fallback="product")
        else slugify(handle, fallback="product")
    )
    try:
        existing = products.get_product(actor, project, slug)
    except BgpubError:
        existing = None
    try:
        if existing is None:
            products.create_product(actor, project, common.pop("title"), slug=slug, **common)
            report.created += 1
        else:
            for v in existing.variants:
                variants.remove_variant(actor, project, slug, v.id)
            products.update_product(actor, project, slug, **common)
            report.updated += 1
    except BgpubError as exc:
        raise _in_row(exc, head["where"], handle) from exc
    if single:
        return
    for offer in offers:
        try:
            variants.add_variant(
                actor,
                project,
                slug,
                offer["options"],
                sku=offer["sku"],
                price_cents=None
                if offer["price_cents"] == head["price_cents"]
                else offer["price_cents"],
                stock=offer["stock"],
                image=offer["image"],
            )
        except BgpubError as exc:
            raise _in_row(exc, offer["where"], handle) from exc
        report.variants += 1


def _in_row(exc: BgpubError, where: str, handle: str) -> InvalidInput:
    """A service's refusal restated at the CSV row that caused it (its place and product handle)."""
    return InvalidInput(
        exc.message, where=f"{where} (handle {handle})", field=getattr(exc, "field", None)
    )
