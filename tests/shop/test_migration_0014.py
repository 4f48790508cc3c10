"""Migration 0014 (the catalogue columns): down turns ACTIVE back into `active`, up again turns it into
a status; the products and their variants survive both ways, on both databases."""

from __future__ import annotations

from bgpub.db import schema
from bgpub.services import products, variants

NAME = "0014_catalogue"


def _columns(db, table: str) -> set[str]:
    return {c.name for c in db.get_columns(table)}


def test_0014_down_and_up_keeps_the_catalogue(db, actor, project):
    products.create_product(actor, "shop", "Mug", price_cents=2800, currency="GBP", status="ACTIVE")
    products.create_product(actor, "shop", "Draft bowl", price_cents=100, status="DRAFT")
    variants.add_variant(actor, "shop", "mug", ["Size=S"], sku="M-S", stock=4)
    later = [name for name in schema.applied(db) if name > NAME]
    assert schema.rollback(db, len(later) + 1)[-1] == NAME  # any later migration first
    assert {"status", "tags", "stock", "payment_link"}.isdisjoint(_columns(db, "products"))
    assert "active" in _columns(db, "products")
    rows = db.execute_sql("SELECT slug, active FROM products ORDER BY slug").fetchall()
    assert [(slug, bool(active)) for slug, active in rows] == [("draft-bowl", False), ("mug", True)]
    assert db.execute_sql("SELECT sku, stock FROM product_variants").fetchall() == [("M-S", 4)]

    assert schema.migrate(db, NAME) == [NAME]
    mug = products.get_product(actor, "shop", "mug")
    assert (mug.status, mug.tags, mug.stock, mug.variants[0].stock) == ("ACTIVE", (), None, 4)
    assert products.get_product(actor, "shop", "draft-bowl").status == "DRAFT"
    schema.migrate(db)
