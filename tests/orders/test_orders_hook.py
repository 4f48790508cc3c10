"""Done-when, orders: a signed `checkout.session.completed` posted to the running collector creates one
order with two lines at the prices charged and takes the stock; the same event again changes nothing;
unsigned, forged, re-timestamped or stale copies are refused with 400 and write nothing; a refund marks
the order REFUNDED. Both databases, a real uvicorn on loopback, events signed by Stripe's library."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx
import pytest
from orders_support import body_of, fixture_event, session_event, signed
from standardwebhooks import Webhook as Receiver

from bgpub.db.models import AuditLog, Order, OrderItem, ProductVariant, StripeEvent
from bgpub.services.webhooks import add_webhook


def post(live, body: bytes, headers: dict[str, str]) -> httpx.Response:
    return httpx.post(f"{live.url}/hooks/stripe", content=body, headers=headers, timeout=30)


def stock(variant_id: str) -> int | None:
    return ProductVariant.get_by_id(variant_id).stock


def written() -> tuple[int, int, int]:
    return Order.select().count(), OrderItem.select().count(), StripeEvent.select().count()


def test_a_signed_checkout_makes_one_order_once_at_the_prices_charged(live, shop):
    body = body_of(fixture_event(shop.id, shop.small, shop.large))
    first = post(live, body, signed(body))
    assert first.status_code == 200, first.text
    assert first.json() == {"received": True, "outcome": "PAID"}
    (order,) = Order.select()
    assert (order.number, order.total_cents, order.currency, order.status.value) == (
        1,
        5300,
        "GBP",
        "PAID",
    )
    assert (order.customer_email, order.customer_name) == ("Ada.Buyer@example.test", "Ada Buyer")
    assert order.stripe_session_id == "cs_test_a1KilnTwoMugs"
    lines = sorted(
        (i.name, i.sku, i.quantity, i.unit_price_cents, i.oversold, i.variant_id)
        for i in OrderItem.select().where(OrderItem.order == order)
    )
    assert lines == [
        ("Mug (Large)", "MUG-L", 1, 1950, 0, shop.large),  # charged, not the 3200 listed
        ("Mug (Small)", "MUG-S", 2, 1450, 0, shop.small),
    ]
    assert (stock(shop.small), stock(shop.large)) == (3, 2)

    # Stripe retries (same body, fresh signature) and a replay of the very same request: nothing changes
    again = post(live, body, signed(body))
    replay = post(live, body, first.request.headers)
    assert [again.status_code, again.json()["outcome"]] == [200, "duplicate"]
    assert [replay.status_code, replay.json()["outcome"]] == [200, "duplicate"]
    # a new event id for the same session (Stripe resends under another id): still one order
    other = fixture_event(shop.id, shop.small, shop.large)
    other["id"] = "evt_1QkilnCheckout0002"
    other_body = body_of(other)
    assert post(live, other_body, signed(other_body)).json()["outcome"] == "unchanged"
    assert written() == (1, 2, 2)
    assert (stock(shop.small), stock(shop.large)) == (3, 2)
    assert AuditLog.select().where(AuditLog.action == "order.created").count() == 1


def test_unsigned_forged_retimestamped_or_stale_events_are_refused_and_write_nothing(live, shop):
    body = body_of(fixture_event(shop.id, shop.small, shop.large))
    now = int(time.time())
    good = signed(body, at=now)["stripe-signature"]
    tampered = json.loads(body)
    tampered["data"]["object"]["amount_total"] = 1
    attempts = {
        "unsigned": {},
        "empty header": {"stripe-signature": ""},
        "garbage header": {"stripe-signature": "t=abc,v1=zz"},
        "no v1": {"stripe-signature": f"t={now},v0=abc"},
        "another secret": signed(body, secret="whsec_someone_else_entirely"),
        "re-timestamped": {"stripe-signature": good.replace(f"t={now}", f"t={now + 60}")},
        "stale (signed an hour ago)": signed(body, at=now - 3600),
        "just past tolerance": signed(body, at=now - 330),
        "tampered body": {"stripe-signature": good, "_body": "tampered"},
    }
    for label, headers in attempts.items():
        sent = body_of(tampered) if headers.pop("_body", None) else body
        answer = post(live, sent, {"content-type": "application/json", **headers})
        assert answer.status_code == 400, label
        assert answer.json()["error"], label
    assert written() == (0, 0, 0)
    assert (stock(shop.small), stock(shop.large)) == (5, 3)


def test_malformed_bgpub_items_are_refused_whole(live, shop):
    """A signed session whose items are not as /checkout writes them: 400, nothing written (Stripe
    retries it, and the audit of the shop shows no half order)."""
    hostile = [
        "not json",
        "{}",
        "[]",
        json.dumps([["v_" + shop.small, 0, 100]]),
        json.dumps([["v_" + shop.small, 1, -5]]),
        json.dumps([["v_" + shop.small, 1, 1.5]]),
        json.dumps([["x_" + shop.small, 1, 100]]),
        json.dumps([["v_../../etc", 1, 100]]),
        json.dumps([["v_" + shop.small, 10**6, 100]]),
        json.dumps([["v_" + shop.small, 1, 2**40]]),
        json.dumps([["v_" + shop.small, 1, 100]] * 51),
    ]
    for n, items in enumerate(hostile):
        event = session_event(f"evt_bad_{n}", f"cs_bad_{n}", [])
        event["data"]["object"]["metadata"]["bgpub_items"] = items
        body = body_of(event)
        assert post(live, body, signed(body)).status_code == 400, items
    assert written() == (0, 0, 0)
    assert stock(shop.small) == 5


def test_an_item_of_another_project_is_not_taken_from_its_stock(live, shop):
    from bgpub.db.models import Product, Project

    mine = Project.get_by_id(shop.id)
    other = Project.create(organization=mine.organization_id, name="elsewhere")
    theirs = ProductVariant.create(
        product=Product.create(project=other.id, name="Vase", slug="vase", price_cents=100),
        name="One",
        stock=4,
    )
    body = body_of(session_event("evt_x", "cs_x", [["v_" + theirs.id, 2, 100]]))
    assert post(live, body, signed(body)).json()["outcome"] == "PAID"
    (item,) = OrderItem.select()
    assert (item.variant_id, item.name, item.oversold) == (
        None,
        "(removed item v_%s)" % theirs.id,
        0,
    )
    assert ProductVariant.get_by_id(theirs.id).stock == 4


def test_a_full_refund_marks_the_order_refunded_and_a_partial_one_only_notes_it(live, shop):
    body = body_of(fixture_event(shop.id, shop.small, shop.large))
    post(live, body, signed(body))

    def charge(event_id: str, refunded: bool) -> str:
        event = {
            "id": event_id,
            "object": "event",
            "type": "charge.refunded",
            "data": {
                "object": {
                    "id": "ch_1",
                    "object": "charge",
                    "payment_intent": "pi_3KilnTwoMugs",
                    "amount": 5300,
                    "amount_refunded": 5300 if refunded else 500,
                    "refunded": refunded,
                }
            },
        }
        raw = body_of(event)
        return post(live, raw, signed(raw)).json()["outcome"]

    assert charge("evt_r1", refunded=False) == "partially refunded"
    assert Order.get().status.value == "PAID"
    assert charge("evt_r2", refunded=True) == "REFUNDED"
    assert charge("evt_r2", refunded=True) == "duplicate"
    order = Order.get()
    assert (order.status.value, order.total_cents) == ("REFUNDED", 5300) and order.refunded_at
    assert (stock(shop.small), stock(shop.large)) == (
        3,
        2,
    )  # goods may be kept: stock is the owner's call


class Hooks(BaseHTTPRequestHandler):
    received: list[tuple[dict, bytes]] = []
    arrived = threading.Event()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        Hooks.received.append(({k.lower(): v for k, v in self.headers.items()}, body))
        self.send_response(204)
        self.end_headers()
        Hooks.arrived.set()

    def log_message(self, *args):
        pass


@pytest.fixture
def receiver():
    Hooks.received, Hooks.arrived = [], threading.Event()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Hooks)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/orders"
    server.shutdown()


def test_order_created_reaches_the_projects_webhook_signed_and_without_buyer_details(
    live, shop, actor, receiver
):
    _, secret = add_webhook(actor, "kiln", receiver, events=["order.created"], allow_private=True)
    body = body_of(fixture_event(shop.id, shop.small, shop.large))
    assert post(live, body, signed(body)).status_code == 200
    assert Hooks.arrived.wait(20)
    headers, raw = Hooks.received[0]
    payload = Receiver(secret).verify(raw, headers)  # the receiver's own library checks it
    assert payload["event"] == "order.created" and payload["project"] == "kiln"
    assert payload["order"]["number"] == 1 and payload["order"]["total_cents"] == 5300
    assert sorted(
        (i["sku"], i["quantity"], i["unit_price_cents"]) for i in payload["order"]["items"]
    ) == [("MUG-L", 1, 1950), ("MUG-S", 2, 1450)]
    assert b"Ada" not in raw and b"example.test" not in raw
    post(live, body, signed(body))  # the duplicate announces nothing
    assert len(Hooks.received) == 1
