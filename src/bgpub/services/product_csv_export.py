"""The catalogue written as Shopify's product CSV (see product_csv for the layout and the import).

A product without options is one row with `Option1 Name = Title`, `Option1 Value = Default Title`;
with variants, the first row carries the product and its first variant, later rows the next variants
and images. A cell a spreadsheet would run as a formula (= + - @, a tab or carriage return first)
gets a leading `'`.
"""

from __future__ import annotations

import csv
import io

from bgpub.db.models import Project, User
from bgpub.money import decimal_text
from bgpub.services.catalogue import project_for
from bgpub.services.permissions import Action
from bgpub.services.product_views import ProductView

COLUMNS = (
    "Handle", "Title", "Body (HTML)", "Vendor", "Product Category", "Type", "Tags", "Published",
    "Option1 Name", "Option1 Value", "Option2 Name", "Option2 Value", "Option3 Name", "Option3 Value",
    "Variant SKU", "Variant Grams", "Variant Inventory Tracker", "Variant Inventory Qty",
    "Variant Inventory Policy", "Variant Fulfillment Service", "Variant Price", "Variant Compare At Price",
    "Variant Requires Shipping", "Variant Taxable", "Variant Barcode", "Image Src", "Image Position",
    "Image Alt Text", "Gift Card", "SEO Title", "SEO Description", "Variant Image", "Variant Weight Unit",
    "Cost per item", "Status",
)  # fmt: skip
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
DEFAULT_OPTION = ("Title", "Default Title")


def neutral(value: str) -> str:
    """A cell a spreadsheet will not run as a formula."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _html(markdown: str) -> str:
    from bgpub.render.markdown import MarkdownRenderer  # CommonMark, raw HTML omitted

    return str(MarkdownRenderer().render(markdown)).strip() if markdown.strip() else ""


def _rows_of(product: ProductView) -> list[dict[str, str]]:

    def money(cents: int | None) -> str:
        return "" if cents is None else decimal_text(cents, product.currency)

    base = {
        "Handle": product.slug,
        "Title": product.title,
        "Body (HTML)": _html(product.description),
        "Tags": ", ".join(product.tags),
        "Published": "TRUE" if product.status == "ACTIVE" else "FALSE",
        "Status": product.status.lower(),
        "Variant Grams": "" if product.weight_grams is None else str(product.weight_grams),
        "Variant Weight Unit": "g" if product.weight_grams is not None else "",
        "Gift Card": "FALSE",
    }
    offers: list[dict[str, str]] = []
    if not product.variants:
        offers.append({
            "Option1 Name": DEFAULT_OPTION[0], "Option1 Value": DEFAULT_OPTION[1],
            "Variant SKU": product.sku or "", "Variant Price": money(product.price_cents),
            "Variant Compare At Price": money(product.compare_at_cents),
            "Variant Inventory Tracker": "" if product.stock is None else "shopify",
            "Variant Inventory Qty": "" if product.stock is None else str(product.stock),
        })  # fmt: skip
    for v in product.variants:
        row = {
            "Variant SKU": v.sku or "", "Variant Price": money(v.effective_price(product)),
            "Variant Compare At Price": money(product.compare_at_cents) if v.price_cents is None else "",
            "Variant Inventory Tracker": "" if v.stock is None else "shopify",
            "Variant Inventory Qty": "" if v.stock is None else str(v.stock),
            "Variant Image": v.image or "",
        }  # fmt: skip
        for n, (name, value) in enumerate(v.options.items(), start=1):
            row[f"Option{n} Name"], row[f"Option{n} Value"] = name, value
        offers.append(row)
    rows = []
    for n in range(max(len(offers), len(product.images), 1)):
        row = dict(base) if n == 0 else {"Handle": product.slug}
        if n < len(offers):
            row.update(offers[n])
            if n > 0:  # Shopify repeats only the option names' values on later rows
                row = {k: v for k, v in row.items() if "Name" not in k or k.startswith("Handle")}
        if n < len(product.images):
            row["Image Src"], row["Image Position"] = product.images[n], str(n + 1)
        rows.append(row)
    return rows


def export_products(actor: User, project: str | Project) -> str:
    """The whole catalogue, oldest product first, as CSV text (RFC 4180, CRLF line ends)."""
    from bgpub.services.products import list_products

    project = project_for(actor, project, Action.READ)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for product in reversed(list_products(actor, project)):
        for row in _rows_of(product):
            writer.writerow({k: neutral(row.get(k, "")) for k in COLUMNS})
    return out.getvalue()
