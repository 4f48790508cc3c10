"""`POST /hooks/stripe`: only events signed with a project's Stripe signing secret (and fresh) are
taken; a paid checkout marks its order PAID once, a refund REFUNDED; anything else changes nothing."""

from __future__ import annotations

import json
import time

import pytest

from bgpub.db.enums import OrderStatus
from bgpub.db.models import Order
from bgpub.services.integrations import add_integration
from bgpub.services.stripe_events import stripe_signature

SECRET = "whsec_test_0123456789abcdef"


@pytest.fixture
def order(actor, site):
    add_integration(
        actor, site.name, "STRIPE", "stripe", {"api_key": "sk_test_x", "webhook_secret": SECRET}
    )
    return Order.create(project=site.id, number=7, customer_email="a@example.com", total_cents=1500)


def event(kind: str, number: int | str = 7, event_id: str | None = None) -> bytes:
    return json.dumps(
        {
            "id": event_id or f"evt_{kind}_{number}",
            "type": kind,
            "data": {"object": {"metadata": {"order_number": str(number)}}},
        }
    ).encode()


def send(
    client, body: bytes, secret: str = SECRET, at: int | None = None, header: str | None = None
):
    signature = (
        header if header is not None else stripe_signature(secret, body, at or int(time.time()))
    )
    return client.post(
        "/hooks/stripe",
        content=body,
        headers={"stripe-signature": signature, "content-type": "application/json"},
    )


def status(order) -> OrderStatus:
    return Order.get_by_id(order.id).status


def test_a_signed_checkout_marks_the_order_paid_once_and_a_refund_refunds_it(client, order):
    paid = send(client, event("checkout.session.completed"))
    assert paid.status_code == 200 and paid.json() == {"received": True, "outcome": "PAID"}
    assert status(order) == OrderStatus.PAID
    again = send(client, event("checkout.session.completed"))  # Stripe retries: nothing changes
    assert again.json()["outcome"] == "duplicate"
    resent = send(client, event("checkout.session.completed", event_id="evt_other"))
    assert resent.json()["outcome"] == "unchanged"
    assert send(client, event("customer.created")).json()["outcome"] == "ignored"
    assert send(client, event("charge.refunded")).json()["outcome"] == "REFUNDED"
    assert status(order) == OrderStatus.REFUNDED


def test_unsigned_forged_stale_or_tampered_events_change_nothing(client, order):
    body = event("checkout.session.completed")
    now = int(time.time())
    refused = [
        send(client, body, header=""),
        send(client, body, header="t=abc,v1=00"),
        send(client, body, secret="whsec_someone_else"),
        send(client, body, at=now - 3600),  # replayed an hour later
        send(
            client,
            body,
            header=stripe_signature(SECRET, body, now).replace(str(now), str(now + 1), 1),
        ),
        send(
            client,
            event("checkout.session.completed", 8),
            header=stripe_signature(SECRET, body, now),
        ),
    ]
    assert [r.status_code for r in refused] == [400] * len(refused)
    assert all(r.json()["error"] for r in refused)
    assert status(order) == OrderStatus.PENDING
