"""The issue's done-when, from an empty workspace: `bgpub new kiln --from shop`, a product with two
variants from the CLI, ten more from a Shopify CSV, publish; then every page parses as strict HTML5,
every product page's JSON-LD is a Product with Offers, and every grid and collection link resolves.
On both databases."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from urllib.parse import urlsplit

import html5lib

from bgpub.services import products
from bgpub.services.lookup import find_project
from bgpub.services.targets import default_site_path

FIELDS = ["Handle", "Title", "Body (HTML)", "Tags", "Option1 Name", "Option1 Value", "Variant SKU",
          "Variant Inventory Tracker", "Variant Inventory Qty", "Variant Price", "Variant Compare At Price",
          "Image Src", "Status"]  # fmt: skip


def _shopify_csv() -> str:
    """Ten products as Shopify writes them: three with two sizes, one sold out, hostile text in two."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for n in range(10):
        title = f"Bowl {n}" if n != 3 else 'Bowl "3" </script><script>alert(1)</script>'
        body = f"<p>Bowl <em>number</em> {n}.</p>" + (
            "<img src=x onerror=alert(1)>" if n == 4 else ""
        )
        base = {"Handle": f"bowl-{n}", "Title": title, "Body (HTML)": body,
                "Tags": "Bowls" + (", Gifts" if n % 2 else ""), "Image Src": "river-bowl.svg",
                "Status": "active", "Variant Price": f"{20 + n}.00"}  # fmt: skip
        if n < 3:
            writer.writerow(
                {
                    **base,
                    "Option1 Name": "Size",
                    "Option1 Value": "Small",
                    "Variant SKU": f"B{n}-S",
                    "Variant Inventory Tracker": "shopify",
                    "Variant Inventory Qty": "4",
                }
            )
            writer.writerow({"Handle": f"bowl-{n}", "Option1 Value": "Large", "Variant SKU": f"B{n}-L",
                             "Variant Price": f"{30 + n}.00", "Variant Inventory Tracker": "shopify",
                             "Variant Inventory Qty": "0"})  # fmt: skip
        else:
            writer.writerow({**base, "Option1 Name": "Title", "Option1 Value": "Default Title",
                             "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "0" if n == 5 else "9",
                             "Variant Compare At Price": "99.00" if n == 6 else ""})  # fmt: skip
    return out.getvalue()


def _json_ld(tree) -> list[dict]:
    return [
        json.loads(el.text) for el in tree.iter("script") if el.get("type") == "application/ld+json"
    ]


def test_a_shop_from_an_empty_workspace_publishes_valid_product_pages(
    bgpub, actor, tmp_path, monkeypatch
):
    monkeypatch.delenv("BGPUB_COMPONENTS_PATH", raising=False)  # the real library the starter uses
    assert bgpub("new", "kiln", "--from", "shop").code == 0
    made = bgpub("product", "new", "kiln", "Speckled jug", "--price", "45.00", "--currency", "GBP",
                 "--status", "ACTIVE", "--tag", "Jugs", "--image", "morning-mug.svg", "--description",
                 "A **jug** that pours.")  # fmt: skip
    assert made.code == 0, made.err
    for size, price, link in (("Small", "45.00", "test_small"), ("Large", "55.00", "test_large")):
        added = bgpub("variant", "add", "kiln", "speckled-jug", f"Size={size}", "--price", price, "--stock", "3",
                      "--payment-link", f"https://buy.stripe.com/{link}")  # fmt: skip
        assert added.code == 0, added.err
    source = tmp_path / "products.csv"
    source.write_text(_shopify_csv(), encoding="utf-8")
    imported = bgpub("product", "import", "kiln", source, "--currency", "GBP")
    assert imported.code == 0, imported.err
    assert "imported 10 new" in imported.out
    done = bgpub("publish", "kiln")
    assert done.code == 0, done.err
    assert "warning: no checkout for" in done.err  # the CSV's products have no Payment Link

    site = default_site_path(find_project(actor, "kiln"))
    pages = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*.html")}
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    trees = {path: parser.parse(data) for path, data in pages.items()}  # raises on any parse error
    on_sale = [p for p in products.list_products(actor, "kiln") if p.status == "ACTIVE"]
    assert len(on_sale) == 11 + 6  # ours, the CSV's and the starter's six
    for product in on_sale:
        path = f"products/{product.slug}/index.html"
        assert path in trees, path
        (ld,) = [d for d in _json_ld(trees[path]) if d["@type"] == "Product"]
        assert ld["name"] == product.title and ld["url"].endswith(f"/products/{product.slug}/")
        offers = ld["offers"]
        assert len(offers) == max(1, len(product.variants))
        assert all(o["@type"] == "Offer" and o["priceCurrency"] == product.currency for o in offers)
        assert all(o["availability"].startswith("https://schema.org/") for o in offers)
        assert b"<script>alert(1)" not in pages[path] and b"onerror" not in pages[path]
    jug = trees["products/speckled-jug/index.html"]
    assert [
        a.get("href") for a in jug.iter("a") if "shop-offer__buy" in (a.get("class") or "")
    ] == ["https://buy.stripe.com/test_small", "https://buy.stripe.com/test_large"]
    jug_ld = [d for d in _json_ld(jug) if d["@type"] == "Product"][0]
    assert [o["price"] for o in jug_ld["offers"]] == ["45.00", "55.00"]
    sold = trees["products/bowl-0/index.html"]
    buttons = [b for b in sold.iter("button") if "shop-offer__buy" in (b.get("class") or "")]
    assert [b.get("disabled") is not None for b in buttons] == [
        True
    ]  # Large is sold out; Small asks
    asks = [a.get("href") for a in sold.iter("a") if "shop-offer__buy" in (a.get("class") or "")]
    assert len(asks) == 1 and asks[0].startswith("mailto:")
    _assert_links_resolve(trees, pages, site)
    for page in ("index.html", "shop/index.html"):  # the starter's grids now link to product pages
        links = {a.get("href") for a in trees[page].iter("a")}
        assert any(link and "/products/" in link for link in links), page
    assert "collections/bowls/index.html" in trees and "collections/gifts/index.html" in trees


def _assert_links_resolve(trees, pages, site: Path) -> None:
    for path, tree in trees.items():
        for a in tree.iter("a"):
            href = a.get("href") or ""
            parts = urlsplit(href)
            if parts.scheme or not parts.path.startswith("/"):
                continue
            target = parts.path.lstrip("/")
            target = target + "index.html" if target.endswith("/") or not target else target
            assert target in pages or (site / target).is_file(), f"{path}: {href}"
