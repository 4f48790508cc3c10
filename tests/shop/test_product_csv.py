"""Shopify product CSV import and export: round trip, hostile files, formula injection, on both databases."""

from __future__ import annotations

import csv
import io

import pytest

from bgpub.db.models import Product
from bgpub.errors import InvalidInput, LimitExceeded
from bgpub.services import product_csv, products, variants

HEADER = (
    "Handle,Title,Body (HTML),Tags,Published,Option1 Name,Option1 Value,Option2 Name,Option2 Value,"
    "Variant SKU,Variant Grams,Variant Inventory Tracker,Variant Inventory Qty,Variant Price,"
    "Variant Compare At Price,Image Src,Image Position,Status\n"
)
SHOP_CSV = HEADER + (
    'river-bowl,River bowl,"<p>Wide &amp; <strong>shallow</strong>.</p><script>alert(1)</script>'
    '<a href=""javascript:alert(1)"" onclick=""x()"">click</a>",Bowls,TRUE,Title,Default Title,,,'
    "RB-1,900,shopify,7,36.00,40.00,https://cdn.shopify.com/s/files/mug.png?v=1,1,active\n"
    'tee,Tee,<p>Soft</p>,"Clothes, Gifts",TRUE,Size,S,Colour,Red,TEE-S-R,,shopify,3,20.00,,mug.png,1,active\n'
    "tee,,,,,,M,,Red,TEE-M-R,,shopify,0,22.00,,mug-side.png,2,\n"
    "tee,,,,,,L,,Red,TEE-L-R,,,,22.00,,,,\n"
)


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_import_reads_shopify_rows_and_cleans_the_html(actor, project):
    report = product_csv.import_products(actor, "shop", SHOP_CSV, currency="GBP", where="shop.csv")
    assert (report.created, report.updated, report.variants, report.skipped_images) == (2, 0, 3, [])
    bowl = products.get_product(actor, "shop", "river-bowl")
    assert (bowl.price_cents, bowl.compare_at_cents, bowl.stock, bowl.sku, bowl.weight_grams) == (
        3600,
        4000,
        7,
        "RB-1",
        900,
    )
    assert bowl.images == ("mug.png",) and bowl.tags == ("Bowls",) and bowl.status == "ACTIVE"
    assert "**shallow**" in bowl.description
    assert "script" not in bowl.description and "javascript" not in bowl.description
    assert "onclick" not in bowl.description
    tee = products.get_product(actor, "shop", "tee")
    assert [(v.name, v.sku, v.stock, v.effective_price(tee)) for v in tee.variants] == [
        ("S / Red", "TEE-S-R", 3, 2000),
        ("M / Red", "TEE-M-R", 0, 2200),
        ("L / Red", "TEE-L-R", None, 2200),
    ]
    assert tee.images == ("mug.png", "mug-side.png") and tee.tags == ("Clothes", "Gifts")


def test_export_import_export_is_a_fixed_point(actor, project, org):
    from bgpub.services.projects import create_project

    product_csv.import_products(actor, "shop", SHOP_CSV, currency="GBP")
    products.create_product(
        actor,
        "shop",
        '=HYPERLINK("http://evil")',
        slug="formula",
        price_cents=100,
        currency="GBP",
        description="+1 and -1 and @me",
        tags=["@team"],
    )
    first = product_csv.export_products(actor, "shop")
    rows = _rows(first)
    assert [r["Handle"] for r in rows][:1] == ["river-bowl"]
    for row in rows:  # nothing a spreadsheet would evaluate
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row.values()), row
    assert any(r["Title"] == '\'=HYPERLINK("http://evil")' for r in rows)
    create_project(actor, "copy", title="Copy")
    from shop_support import PNG  # the copy needs the same assets

    from bgpub.services.assets import add_asset

    add_asset(actor, "copy", PNG, name="mug.png")
    add_asset(actor, "copy", PNG, name="mug-side.png")
    product_csv.import_products(actor, "copy", first, currency="GBP")
    assert product_csv.export_products(actor, "copy") == first
    copied = products.get_product(actor, "copy", "formula")
    assert copied.title == '=HYPERLINK("http://evil")' and copied.tags == ("@team",)
    # importing the same file again replaces, never duplicates
    again = product_csv.import_products(actor, "copy", first, currency="GBP")
    assert (again.created, again.updated) == (0, 3)
    assert product_csv.export_products(actor, "copy") == first


BAD = [
    (HEADER + "mug,Mug,,,TRUE,Title,Default Title,,,,,,,12;5,,,,\n", "Variant Price", ":2"),
    (HEADER + "mug,Mug,,,TRUE,Title,Default Title,,,,,,,-3,,,,\n", "Variant Price", ":2"),
    (HEADER + "mug,Mug,,,TRUE,Title,Default Title,,,,,,,1e9,,,,\n", "Variant Price", ":2"),
    (HEADER + "mug,Mug,,,TRUE,Title,Default Title,,,,,,,99999999999,,,,\n", "Variant Price", ":2"),
    (
        HEADER + "mug,Mug,,,TRUE,Title,Default Title,,,,,shopify,lots,1.00,,,,\n",
        "Inventory Qty",
        ":2",
    ),
    (
        HEADER + "ok,Ok,,,TRUE,Title,Default Title,,,,,,,1.00,,,,\n"
        "mug,Mug,,,TRUE,Title,Default Title,,,,,,,NaN,,,,\n",
        "Variant Price",
        ":3",
    ),
    (
        HEADER + "mug,Mug,,,TRUE,Size,S,,,DUP,,,,1.00,,,,\nmug,,,,,,M,,,DUP,,,,1.00,,,,\n",
        "SKU 'DUP'",
        ":3",
    ),
    (HEADER + 'mug,"unterminated,,,\n', "malformed CSV", ""),
    ("Title,Price\nMug,1\n", "Handle", ":1"),
    (HEADER + ",,,,,,,,,,,,,1.00,,,,\n", "Handle", ":2"),
    (
        HEADER + "mug,Mug,,,TRUE,Title,Default Title,,,,,,,1.00,,,,,extra,cells\n",
        "more cells",
        ":2",
    ),
    (b"\xff\xfe\x00H\x00a", "UTF-8", ""),
]


@pytest.mark.parametrize(("data", "words", "line"), BAD, ids=[str(i) for i in range(len(BAD))])
def test_a_bad_file_is_refused_naming_line_and_column_and_writes_nothing(
    actor, project, data, words, line
):
    with pytest.raises(InvalidInput) as caught:
        product_csv.import_products(actor, "shop", data, currency="EUR", where="bad.csv")
    assert words in str(caught.value), str(caught.value)
    assert (caught.value.where or "").startswith("bad.csv" + line), caught.value.where
    assert Product.select().count() == 0


def test_huge_files_are_refused_before_parsing(actor, project, monkeypatch):
    monkeypatch.setattr(product_csv, "MAX_BYTES", 1000)
    with pytest.raises(LimitExceeded, match="larger than"):
        product_csv.import_products(actor, "shop", io.BytesIO(HEADER.encode() + b"x" * 2000))
    monkeypatch.setattr(product_csv, "MAX_BYTES", 20_000_000)
    monkeypatch.setattr(product_csv, "MAX_ROWS", 5)
    many = HEADER + "".join(
        f"p{i},P{i},,,TRUE,Title,Default Title,,,,,,,1.00,,,,\n" for i in range(6)
    )
    with pytest.raises(LimitExceeded, match="more than 5 rows"):
        product_csv.import_products(actor, "shop", many)
    huge_cell = HEADER + "mug,Mug," + "x" * 200_000 + ",,TRUE,Title,Default Title,,,,,,,1.00,,,,\n"
    with pytest.raises(InvalidInput, match="malformed CSV"):
        product_csv.import_products(actor, "shop", huge_cell)
    assert Product.select().count() == 0


def test_images_that_are_not_assets_are_reported_not_fetched(actor, project):
    text = (
        HEADER
        + "mug,Mug,,,TRUE,Title,Default Title,,,,,,,1.00,,https://cdn.example/unknown.jpg,1,\n"
    )
    report = product_csv.import_products(actor, "shop", text)
    assert report.skipped_images == ["https://cdn.example/unknown.jpg"]
    assert products.get_product(actor, "shop", "mug").images == ()
    variants.list_variants(actor, "shop", "mug")
