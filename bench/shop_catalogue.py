"""Shop benchmark: a Shopify CSV of N products (a third with three sizes) imported into a fresh SQLite
workspace, exported again, and the storefront rendered (pure renderer, from the project's snapshot),
then one product's price changed and the site rendered again in the same process.

Prints ONE JSON line: seconds of the import, the export and each render, the outputs, and what the
one-product edit re-rendered (its page, its collections, the pages with a product grid).

    python bench/shop_catalogue.py [--products 1000]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
import time
from pathlib import Path

FIELDS = ["Handle", "Title", "Body (HTML)", "Tags", "Option1 Name", "Option1 Value", "Variant SKU",
          "Variant Inventory Tracker", "Variant Inventory Qty", "Variant Price", "Status"]  # fmt: skip


def shopify_csv(count: int) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS)
    writer.writeheader()
    for n in range(count):
        base = {"Handle": f"item-{n}", "Title": f"Item {n}", "Body (HTML)": f"<p>Item <em>{n}</em>, made by hand.</p>",
                "Tags": f"Collection {n % 20}", "Status": "active"}  # fmt: skip
        if n % 3 == 0:
            for i, size in enumerate(("S", "M", "L")):
                row = {"Handle": base["Handle"], "Option1 Value": size, "Variant SKU": f"I{n}-{size}",
                       "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": str(n % 7),
                       "Variant Price": f"{10 + n % 50 + i}.00"}  # fmt: skip
                writer.writerow({**base, "Option1 Name": "Size", **row} if i == 0 else row)
        else:
            writer.writerow({**base, "Option1 Name": "Title", "Option1 Value": "Default Title",
                             "Variant Inventory Tracker": "shopify", "Variant Inventory Qty": "5",
                             "Variant Price": f"{10 + n % 50}.00"})  # fmt: skip
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--products", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bgpub-shop-bench-") as home:
        os.environ["BGPUB_HOME"] = home
        from bgpub.render import BuildInfo, Renderer, load_library, load_themes
        from bgpub.render.paths import components_dirs, themes_dirs
        from bgpub.services import blobs, product_csv, products
        from bgpub.services.importing import create_from_starter
        from bgpub.services.snapshots import project_snapshot
        from bgpub.services.workspace import open_workspace

        actor = open_workspace(f"sqlite:///{home}/bench.db", workspace_path=Path(home)).actor
        create_from_starter(actor, "kiln", "shop")
        text = shopify_csv(args.products)
        started = time.perf_counter()
        report = product_csv.import_products(actor, "kiln", text, currency="GBP")
        import_seconds = time.perf_counter() - started
        started = time.perf_counter()
        exported = product_csv.export_products(actor, "kiln")
        export_seconds = time.perf_counter() - started
        snapshot = project_snapshot(actor, "kiln")
        renderer = Renderer(load_library(components_dirs()), load_themes(themes_dirs()), blobs.get)
        started = time.perf_counter()
        full = renderer.render(snapshot, BuildInfo())
        render_seconds = time.perf_counter() - started
        products.update_product(actor, "kiln", "item-1", price_cents=9999)
        started = time.perf_counter()
        edit = renderer.render(project_snapshot(actor, "kiln"), BuildInfo())
        edit_seconds = time.perf_counter() - started
    rebuilt = sorted(p for p in edit.rendered if p.endswith(".html"))
    print(json.dumps({
        "products": args.products, "variants": report.variants, "csv_bytes": len(text),
        "import_seconds": round(import_seconds, 2), "export_seconds": round(export_seconds, 2),
        "export_rows": exported.count("\n") - 1, "outputs": len(full.files),
        "full_render_seconds": round(render_seconds, 2), "one_product_edit_seconds": round(edit_seconds, 3),
        "rebuilt_html": rebuilt,
    }))  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
