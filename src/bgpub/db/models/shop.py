"""The shop: products, their variants, orders and order lines. Money is always integer cents."""

from __future__ import annotations

from peewee import CharField, Check, DateTimeField, ForeignKeyField, IntegerField, TextField

from bgpub.db.enums import OrderStatus, ProductStatus
from bgpub.db.fields import CheckedEnumField, JSONField, TextArrayField
from bgpub.db.models.base import TimestampedModel
from bgpub.db.models.core import Project


class Product(TimestampedModel):
    project_id: str
    project = ForeignKeyField(Project, backref="products", on_delete="CASCADE", index=True)
    name = CharField(max_length=200)
    slug = CharField(max_length=200)
    description = TextField(default="")
    price_cents = IntegerField(constraints=[Check('"price_cents" >= 0')])
    currency = CharField(max_length=3, default="EUR")
    images = TextArrayField(default=list)  # asset names, in gallery order
    status = CheckedEnumField(ProductStatus, default=ProductStatus.DRAFT, max_length=16)
    compare_at_cents = IntegerField(null=True, constraints=[Check('"compare_at_cents" >= 0')])
    sku = CharField(max_length=64, null=True)
    stock = IntegerField(null=True)  # null: stock not tracked
    weight_grams = IntegerField(null=True)
    tags = TextArrayField(default=list)  # tags and collections: each gets a collection page
    payment_link = CharField(
        max_length=500, null=True
    )  # a Stripe Payment Link (https://buy.stripe.com/...)

    class Meta:
        table_name = "products"
        indexes = ((("project", "slug"), True),)


class ProductVariant(TimestampedModel):
    product_id: str
    product = ForeignKeyField(Product, backref="variants", on_delete="CASCADE", index=True)
    name = CharField(max_length=200)
    sku = CharField(max_length=64, null=True)
    price_cents = IntegerField(
        null=True, constraints=[Check('"price_cents" >= 0')]
    )  # null: the product's price
    stock = IntegerField(null=True)  # null: stock not tracked
    options = JSONField(default=dict)
    image = CharField(max_length=200, null=True)  # asset name
    payment_link = CharField(
        max_length=500, null=True
    )  # a Stripe Payment Link (https://buy.stripe.com/...)
    position = IntegerField(default=0)  # order among the product's variants

    class Meta:
        table_name = "product_variants"
        indexes = ((("product", "sku"), True),)


class Order(TimestampedModel):
    """Orders are financial records: a project with orders cannot be deleted (RESTRICT), only archived."""

    project_id: str
    project = ForeignKeyField(Project, backref="orders", on_delete="RESTRICT", index=True)
    number = IntegerField()
    customer_email = CharField(max_length=254)
    customer_name = CharField(max_length=200, default="")
    status = CheckedEnumField(OrderStatus, default=OrderStatus.PENDING, max_length=16)
    total_cents = IntegerField(constraints=[Check('"total_cents" >= 0')])
    currency = CharField(max_length=3, default="EUR")
    stripe_session_id = CharField(
        max_length=255, null=True
    )  # the Checkout Session it came from (0015)
    stripe_payment_intent = CharField(
        max_length=255, null=True
    )  # finds the order of a refund (0015)
    fulfilled_at = DateTimeField(null=True)  # `bgpub order fulfil` (0015)
    refunded_at = DateTimeField(null=True)  # Stripe's charge.refunded arrived (0015)
    refund_note = TextField(default="")  # `bgpub order refund-note` (0015)

    class Meta:
        table_name = "orders"
        indexes = (
            (("project", "number"), True),
            (("project", "stripe_session_id"), True),
            (("project", "stripe_payment_intent"), False),
        )


class OrderItem(TimestampedModel):
    order_id: str
    order = ForeignKeyField(Order, backref="items", on_delete="CASCADE", index=True)
    product_id: str | None
    product = ForeignKeyField(
        Product, backref="order_items", null=True, on_delete="SET NULL", index=True
    )
    variant_id: str | None
    variant = ForeignKeyField(
        ProductVariant, backref="order_items", null=True, on_delete="SET NULL", index=True
    )
    name = CharField(max_length=200)  # copied at order time, so the line survives product edits
    quantity = IntegerField(constraints=[Check('"quantity" > 0')])
    unit_price_cents = IntegerField(constraints=[Check('"unit_price_cents" >= 0')])
    sku = CharField(max_length=64, null=True)  # copied at order time (0015)
    oversold = IntegerField(
        default=0
    )  # units sold beyond the stock left: > 0 flags the line (0015)

    class Meta:
        table_name = "order_items"
