"""Orders and takings per day (`list_day_totals`, what `bgpub order totals` and the editor's Orders
screen show), on both databases: refunded orders are left out of the takings unless a status filter
asks for them. The editor's test of the screen runs on SQLite only, so this is the PostgreSQL proof."""

from __future__ import annotations

from orders_support import session_event

from bgpub.services.orders import list_day_totals
from bgpub.services.stripe_events import apply_stripe_event


def test_refunded_orders_count_only_when_asked_for(actor, shop):
    paid = [[f"v_{shop.small}", 2, 1450], [f"v_{shop.large}", 1, 1950]]
    apply_stripe_event(shop.id, session_event("evt_d1", "cs_d1", paid, total=4850))
    apply_stripe_event(shop.id, session_event("evt_d2", "cs_d2", [[f"v_{shop.large}", 4, 3200]]))
    apply_stripe_event(shop.id, session_event("evt_d3", "cs_d3", [[f"v_{shop.small}", 1, 2400]]))
    refund = {"payment_intent": "pi_cs_d3", "refunded": True, "amount_refunded": 2400}
    apply_stripe_event(
        shop.id, {"id": "evt_d3r", "type": "charge.refunded", "data": {"object": refund}}
    )

    [every] = list_day_totals(actor, "kiln")
    assert (every.orders, every.total_cents) == (2, 4850 + 12800)  # the refund not counted
    [refunded] = list_day_totals(actor, "kiln", status="REFUNDED")
    assert (refunded.orders, refunded.total_cents) == (1, 2400)
    assert refunded.day == every.day and refunded.currency == every.currency
