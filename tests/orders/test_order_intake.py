"""How a paid Checkout Session becomes an order, at the service (both databases): a session paid later
(bank debits) is PENDING until Stripe says it succeeded or failed; a session whose expanded
`line_items` name the items works like the metadata; a product without variants takes its own
stock; untracked stock is never short; events of other kinds are remembered and ignored."""

from __future__ import annotations

from orders_support import session_event

from bgpub.db.models import Order, OrderItem, Product, ProductVariant, StripeEvent
from bgpub.services.products import create_product
from bgpub.services.stripe_events import apply_stripe_event
from bgpub.services.variants import update_variant


def status() -> str:
    return Order.get().status.value


def test_a_delayed_payment_is_pending_until_stripe_settles_it(shop):
    event = session_event("evt_d1", "cs_d1", [[f"v_{shop.small}", 1, 2400]])
    event["data"]["object"]["payment_status"] = "unpaid"
    assert apply_stripe_event(shop.id, event).outcome == "PENDING"
    assert ProductVariant.get_by_id(shop.small).stock == 4  # reserved while the bank debit runs

    def settle(event_id: str, kind: str) -> str:
        settled = {"id": event_id, "type": kind, "data": {"object": {"id": "cs_d1"}}}
        return apply_stripe_event(shop.id, settled).outcome

    assert settle("evt_d2", "checkout.session.async_payment_succeeded") == "PAID"
    assert settle("evt_d3", "checkout.session.async_payment_failed") == "unchanged"  # already paid
    assert status() == "PAID"


def test_expanded_line_items_name_the_items_too(shop):
    event = session_event("evt_l1", "cs_l1", [], total=6250)
    obj = event["data"]["object"]
    del obj["metadata"]["bgpub_items"]
    obj["line_items"] = {
        "object": "list",
        "data": [
            {
                "quantity": 2,
                "description": "Mug (Small)",
                "price": {
                    "unit_amount": 1500,
                    "product": {"metadata": {"bgpub_ref": f"v_{shop.small}"}},
                },
            },
            {
                "quantity": 1,
                "description": "Mug (Large)",
                "price": {"unit_amount": 3250, "metadata": {"bgpub_ref": f"v_{shop.large}"}},
            },
        ],
    }
    assert apply_stripe_event(shop.id, event).outcome == "PAID"
    assert sorted((i.sku, i.quantity, i.unit_price_cents) for i in OrderItem.select()) == [
        ("MUG-L", 1, 3250),
        ("MUG-S", 2, 1500),
    ]
    assert Order.get().total_cents == 6250


def test_product_stock_untracked_stock_and_other_events(actor, shop):
    create_product(
        actor,
        "kiln",
        "Vase",
        slug="vase",
        price_cents=5000,
        currency="GBP",
        status="ACTIVE",
        sku="VASE",
        stock=1,
    )
    update_variant(actor, "kiln", "mug", shop.small, stock=None)  # made to order: not tracked
    vase = Product.get(Product.slug == "vase").id
    event = session_event("evt_p1", "cs_p1", [[f"p_{vase}", 2, 5000], [f"v_{shop.small}", 7, 2400]])
    apply_stripe_event(shop.id, event)
    lines = {i.sku: (i.quantity, i.oversold) for i in OrderItem.select()}
    assert lines == {"VASE": (2, 1), "MUG-S": (7, 0)}
    assert Product.get_by_id(vase).stock == 0
    assert ProductVariant.get_by_id(shop.small).stock is None
    other = {"id": "evt_o1", "type": "customer.created", "data": {"object": {"id": "cus_1"}}}
    assert apply_stripe_event(shop.id, other).outcome == "ignored"
    assert apply_stripe_event(shop.id, other).outcome == "duplicate"
    assert StripeEvent.select().count() == 2 and Order.select().count() == 1


def test_one_stripe_account_feeding_two_projects_records_each_session_once(actor, shop):
    """Stripe sends every session to every endpoint of the account, each signed with its own secret:
    only the project a session was made for (its `bgpub_project`) records the order."""
    import json

    from orders_support import SECRET, signed

    from bgpub.db.models import Project
    from bgpub.services.integrations import add_integration
    from bgpub.services.stripe_events import verify_stripe_event

    mine = Project.get_by_id(shop.id)
    Project.create(organization=mine.organization_id, name="annex")
    add_integration(
        actor,
        "annex",
        "STRIPE",
        "stripe",
        {"api_key": "sk_test_annex", "webhook_secret": "whsec_annex_0123456789"},
    )
    annex = Project.get(Project.name == "annex").id
    event = session_event("evt_a1", "cs_a1", [[f"v_{shop.small}", 1, 2400]])
    event["data"]["object"]["metadata"]["bgpub_project"] = shop.id
    body = json.dumps(event).encode()

    to_annex = verify_stripe_event(body, signed(body, "whsec_annex_0123456789")["stripe-signature"])
    assert to_annex[0] == annex
    assert apply_stripe_event(*to_annex).outcome == "another project's"
    assert Order.select().count() == 0 and ProductVariant.get_by_id(shop.small).stock == 5
    to_kiln = verify_stripe_event(body, signed(body, SECRET)["stripe-signature"])
    assert to_kiln[0] == shop.id
    assert apply_stripe_event(*to_kiln).outcome == "PAID"
    assert [o.project_id for o in Order.select()] == [shop.id]


def test_a_failed_delayed_payment_cancels_the_order_and_puts_its_units_back(shop):
    event = session_event(
        "evt_f1", "cs_f1", [[f"v_{shop.large}", 5, 3200]]
    )  # 3 in stock, 2 oversold
    event["data"]["object"]["payment_status"] = "unpaid"
    apply_stripe_event(shop.id, event)
    assert ProductVariant.get_by_id(shop.large).stock == 0
    failed = {
        "id": "evt_f2",
        "type": "checkout.session.async_payment_failed",
        "data": {"object": {"id": "cs_f1"}},
    }
    assert apply_stripe_event(shop.id, failed).outcome == "CANCELED"
    assert ProductVariant.get_by_id(shop.large).stock == 3  # what it took, not what it oversold
    failed["id"] = "evt_f3"  # the same news again under another id: nothing more
    assert apply_stripe_event(shop.id, failed).outcome == "unchanged"
    assert ProductVariant.get_by_id(shop.large).stock == 3
    assert (status(), Order.get().total_cents) == ("CANCELED", 16000)
