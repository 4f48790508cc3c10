"""Products and variants through the services, on both databases: validation names the field and
changes nothing, SKUs are unique in the project, every write leaves one audit row."""

from __future__ import annotations

import pytest

from bgpub.db.models import AuditLog, Product
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.services import products, variants


def test_create_edit_and_read_a_product_with_variants(actor, project):
    made = products.create_product(
        actor,
        "shop",
        "Morning mug",
        price_cents=2800,
        currency="gbp",
        images=["mug.png", "mug-side.png"],
        tags=["Mugs", "Gifts"],
        stock=3,
        status="active",
        description="A *big* mug.",
        payment_link="https://buy.stripe.com/test_abc123",
    )
    assert (made.slug, made.currency, made.status, made.images) == (
        "morning-mug",
        "GBP",
        "ACTIVE",
        ("mug.png", "mug-side.png"),
    )
    assert made.price_text("en") == "£28.00" and made.low_stock and not made.sold_out
    small = variants.add_variant(
        actor, "shop", "morning-mug", ["Size=Small", "Colour=Oat"], sku="MUG-S", stock=0
    )
    large = variants.add_variant(
        actor,
        "shop",
        "morning-mug",
        {"Size": "Large", "Colour": "Oat"},
        sku="MUG-L",
        price_cents=3400,
        stock=2,
        image="mug-side.png",
    )
    assert (small.name, large.name, small.position < large.position) == (
        "Small / Oat",
        "Large / Oat",
        True,
    )
    view = products.get_product(actor, "shop", "morning-mug")
    assert [v.sku for v in view.variants] == ["MUG-S", "MUG-L"]
    assert view.total_stock == 2 and not view.sold_out
    assert (
        view.variants[0].effective_price(view) == 2800
        and view.variants[1].effective_price(view) == 3400
    )
    variants.update_variant(actor, "shop", "morning-mug", "large / oat", stock=0)
    assert products.get_product(actor, "shop", "morning-mug").sold_out
    edited = products.update_product(
        actor, "shop", "morning-mug", new_slug="mug", compare_at_cents=3200, tags=["Mugs"]
    )
    assert (edited.slug, edited.compare_at_cents, edited.tags) == ("mug", 3200, ("Mugs",))
    assert [v.slug for v in products.list_products(actor, "shop", stock="out")] == ["mug"]
    assert [v.slug for v in products.list_products(actor, "shop", tag="mugs", search="big")] == [
        "mug"
    ]
    variants.remove_variant(actor, "shop", "mug", "MUG-S")
    assert [v.sku for v in variants.list_variants(actor, "shop", "mug")] == ["MUG-L"]
    products.remove_product(actor, "shop", "mug")
    with pytest.raises(NotFound):
        products.get_product(actor, "shop", "mug")
    actions = [a.action for a in AuditLog.select().order_by(AuditLog.created_at, AuditLog.id)]
    assert [a for a in actions if a.startswith(("product.", "variant."))] == [
        "product.create",
        "variant.add",
        "variant.add",
        "variant.update",
        "product.update",
        "variant.remove",
        "product.remove",
    ]


HOSTILE = [
    ({"title": ""}, "title"),
    ({"title": "Evil\nrow"}, "title"),
    ({"price_cents": -1}, "price"),
    ({"price_cents": 12.5}, "price"),
    ({"price_cents": 2**40}, "price"),
    ({"currency": "XXQ"}, "currency"),
    ({"currency": "€"}, "currency"),
    ({"compare_at_cents": -5}, "compare-at"),
    ({"images": ["missing.png"]}, "images"),
    ({"images": ["../../etc/passwd"]}, "images"),
    ({"status": "LIVE"}, "status"),
    ({"sku": "=HYPERLINK(1)"}, "sku"),
    ({"sku": "x" * 65}, "sku"),
    ({"stock": -3}, "stock"),
    ({"stock": "many"}, "stock"),
    ({"weight_grams": -1}, "weight"),
    ({"payment_link": "http://buy.stripe.com/abc"}, "payment_link"),
    ({"payment_link": "https://buy.stripe.com.evil.example/abc"}, "payment_link"),
    ({"payment_link": "https://evil@buy.stripe.com/abc"}, "payment_link"),
    ({"payment_link": "https://buy.stripe.com/abc?x=<script>"}, "payment_link"),
    ({"payment_link": "javascript:alert(1)"}, "payment_link"),
    ({"slug": "Bad Slug"}, "slug"),
    ({"slug": "../up"}, "slug"),
    ({"description": "nul\x00"}, "description"),
    ({"tags": ["ok", "bad\x1b[31m"]}, "tag"),
]


@pytest.mark.parametrize(
    ("fields", "field"), HOSTILE, ids=[f"{h[1]}-{i}" for i, h in enumerate(HOSTILE)]
)
def test_bad_product_input_is_refused_naming_the_field_and_nothing_is_written(
    actor, project, fields, field
):
    args = {"title": "Mug", "price_cents": 100, **fields}
    title = args.pop("title")
    with pytest.raises(InvalidInput) as caught:
        products.create_product(actor, "shop", title, **args)
    assert field in caught.value.message.lower() or field == (caught.value.field or "")
    assert "shop" in (caught.value.where or "")
    assert Product.select().count() == 0


def test_skus_and_slugs_and_options_are_unique(actor, project):
    products.create_product(actor, "shop", "Mug", price_cents=100, sku="A-1")
    with pytest.raises(Conflict, match="SKU 'A-1'"):
        products.create_product(actor, "shop", "Bowl", price_cents=100, sku="A-1")
    with pytest.raises(Conflict, match="SKU 'A-1'"):
        variants.add_variant(actor, "shop", "mug", ["Size=S"], sku="A-1")
    with pytest.raises(Conflict, match="slug 'mug'"):
        products.create_product(actor, "shop", "Other", slug="mug", price_cents=1)
    assert products.create_product(actor, "shop", "Mug", price_cents=1).slug == "mug-2"
    variants.add_variant(actor, "shop", "mug", ["Size=S"])
    with pytest.raises(Conflict, match="already has these options"):
        variants.add_variant(actor, "shop", "mug", ["size=s"])
    with pytest.raises(InvalidInput, match="options"):
        variants.add_variant(actor, "shop", "mug", ["A=1", "B=2", "C=3", "D=4"])
    with pytest.raises(InvalidInput, match="NAME=VALUE"):
        variants.add_variant(actor, "shop", "mug", ["Size"])
    with pytest.raises(NotFound, match="no variant"):
        variants.update_variant(actor, "shop", "mug", "XL", stock=1)


def test_a_viewer_cannot_change_the_catalogue(actor, project, org):
    from bgpub.db.enums import Role
    from bgpub.db.models import OrganizationMember, User
    from bgpub.errors import PermissionDenied

    viewer = User.create(email="viewer@example.com", name="Viewer")
    OrganizationMember.create(organization=org, user=viewer, role=Role.VIEWER)
    products.create_product(actor, "shop", "Mug", price_cents=100)
    assert [p.slug for p in products.list_products(viewer, f"{org.slug}/shop")] == ["mug"]
    with pytest.raises(PermissionDenied):
        products.update_product(viewer, f"{org.slug}/shop", "mug", price_cents=1)
    with pytest.raises(PermissionDenied):
        variants.add_variant(viewer, f"{org.slug}/shop", "mug", ["Size=S"])
    assert products.get_product(actor, "shop", "mug").price_cents == 100
