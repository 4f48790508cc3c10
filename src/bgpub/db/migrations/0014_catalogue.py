"""The shop's catalogue: products get a status, compare-at price, SKU, stock, weight, tags and a Payment Link;
variants get an image, a Payment Link, an order, and stock that may go untracked.

- `products.status` (DRAFT | ACTIVE | ARCHIVED, CHECK) replaces `products.active`: active rows become
  ACTIVE, the others DRAFT (down: ACTIVE is active, anything else is not).
- `products.compare_at_cents` (null, CHECK >= 0), `sku` (null), `stock` (null: untracked),
  `weight_grams` (null), `tags` (TEXT[] on PostgreSQL, a JSON array on SQLite; existing rows get an
  empty list), `payment_link` (null).
- `product_variants.stock` becomes nullable (null: untracked); `image` (null), `payment_link` (null),
  `position` (0 for existing rows).
"""

from peewee import *

STATUSES = "'DRAFT', 'ACTIVE', 'ARCHIVED'"


def _is_pg(db) -> bool:
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)


def _text_array(db):
    pg = _is_pg(db)

    class TextArrayColumn(Field):
        def ddl_datatype(self, ctx):  # literal: immune to the database's field_types mapping
            return SQL("TEXT[]" if pg else "JSON")

    return TextArrayColumn


def up(migrator, db):
    empty = "'{}'" if _is_pg(db) else "'[]'"
    status = CharField(max_length=16, null=True, constraints=[Check(f'"status" IN ({STATUSES})')])
    migrator.migrate(
        migrator.add_column("products", "status", status),
        migrator.sql(
            "UPDATE products SET status = CASE WHEN active THEN 'ACTIVE' ELSE 'DRAFT' END"
        ),
        migrator.add_not_null("products", "status"),
        migrator.drop_column("products", "active"),
        migrator.add_column(
            "products",
            "compare_at_cents",
            IntegerField(null=True, constraints=[Check('"compare_at_cents" >= 0')]),
        ),
        migrator.add_column("products", "sku", CharField(max_length=64, null=True)),
        migrator.add_column("products", "stock", IntegerField(null=True)),
        migrator.add_column("products", "weight_grams", IntegerField(null=True)),
        migrator.add_column("products", "tags", _text_array(db)(null=True)),
        migrator.sql(f"UPDATE products SET tags = {empty}"),
        migrator.add_not_null("products", "tags"),
        migrator.add_column("products", "payment_link", CharField(max_length=500, null=True)),
        migrator.drop_not_null("product_variants", "stock"),
        migrator.add_column("product_variants", "image", CharField(max_length=200, null=True)),
        migrator.add_column(
            "product_variants", "payment_link", CharField(max_length=500, null=True)
        ),
        migrator.add_column("product_variants", "position", IntegerField(null=True)),
        migrator.sql("UPDATE product_variants SET position = 0"),
        migrator.add_not_null("product_variants", "position"),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("product_variants", "position"),
        migrator.drop_column("product_variants", "payment_link"),
        migrator.drop_column("product_variants", "image"),
        migrator.sql("UPDATE product_variants SET stock = 0 WHERE stock IS NULL"),
        migrator.add_not_null("product_variants", "stock"),
        migrator.drop_column("products", "payment_link"),
        migrator.drop_column("products", "tags"),
        migrator.drop_column("products", "weight_grams"),
        migrator.drop_column("products", "stock"),
        migrator.drop_column("products", "sku"),
        migrator.drop_column("products", "compare_at_cents"),
        migrator.add_column("products", "active", BooleanField(null=True)),
        migrator.sql("UPDATE products SET active = (status = 'ACTIVE')"),
        migrator.add_not_null("products", "active"),
        migrator.drop_column("products", "status"),
    )
