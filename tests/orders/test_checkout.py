"""`POST /checkout`: a buy button becomes a Stripe Checkout Session created by the official `stripe`
library, here talking to a loopback stand-in that records every request, and a 303 to its page. The
exact API call is asserted; every refusal is a 4xx page and reaches Stripe not at all. The session's
metadata, sent back by Stripe in `checkout.session.completed`, makes the order."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import html5lib
import httpx
import pytest
from orders_support import body_of, signed

from bgpub.db.models import Order, OrderItem, Product, ProductVariant
from bgpub.services.checkout_sessions import API_BASE_ENV
from bgpub.services.integrations import set_integration_enabled

SITE = "https://kiln.example"


class StandIn(BaseHTTPRequestHandler):
    """Stripe's API as far as this test needs: records requests, answers like Stripe does."""

    requests: list[dict] = []
    answer: tuple[int, dict] | None = None

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("content-length", 0))).decode()
        StandIn.requests.append(
            {
                "method": "POST",
                "path": self.path,
                "authorization": self.headers.get("authorization"),
                "form": dict(parse_qsl(raw, keep_blank_values=True)),
            }
        )
        status, body = StandIn.answer or (
            200,
            {
                "id": "cs_test_standin_1",
                "object": "checkout.session",
                "url": "https://checkout.stripe.com/c/pay/cs_test_standin_1",
                "mode": "payment",
            },
        )
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("request-id", "req_standin")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def stripe_api(monkeypatch):
    StandIn.requests, StandIn.answer = [], None
    server = ThreadingHTTPServer(("127.0.0.1", 0), StandIn)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv(API_BASE_ENV, f"http://127.0.0.1:{server.server_address[1]}")
    yield StandIn
    server.shutdown()


def buy(live, shop, referer: str = f"{SITE}/shop/mug/", **fields) -> httpx.Response:
    form = {"project": shop.id, "product": "mug", "variant": shop.small, **fields}
    form = {k: v for k, v in form.items() if v is not None}
    return httpx.post(
        f"{live.url}/checkout",
        data=form,
        timeout=30,
        follow_redirects=False,
        headers={"origin": SITE, "referer": referer},
    )


def test_a_buy_button_creates_exactly_this_checkout_session_and_redirects_to_it(
    live, shop, stripe_api
):
    answer = buy(live, shop, quantity="2")
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "https://checkout.stripe.com/c/pay/cs_test_standin_1"
    (call,) = stripe_api.requests
    assert (call["method"], call["path"], call["authorization"]) == (
        "POST",
        "/v1/checkout/sessions",
        "Bearer sk_test_kiln",
    )
    ref = f"v_{shop.small}"
    assert call["form"] == {
        "mode": "payment",
        "line_items[0][quantity]": "2",
        "line_items[0][price_data][currency]": "gbp",
        "line_items[0][price_data][unit_amount]": "2400",
        "line_items[0][price_data][product_data][name]": "Mug (Small)",
        "line_items[0][price_data][product_data][metadata][bgpub_ref]": ref,
        "metadata[bgpub_project]": shop.id,
        "metadata[bgpub_items]": f'[["{ref}",2,2400]]',
        "payment_intent_data[metadata][bgpub_project]": shop.id,
        "success_url": f"{SITE}/thanks/?checkout={{CHECKOUT_SESSION_ID}}",
        "cancel_url": f"{SITE}/shop/mug/",
    }
    assert Order.select().count() == 0  # nothing is an order until Stripe says it is paid

    # Stripe sends the session back, paid: the metadata it carries makes the order
    event = {
        "id": "evt_standin",
        "object": "event",
        "type": "checkout.session.completed",
        "data": {
            "object": {
                "id": "cs_test_standin_1",
                "object": "checkout.session",
                "amount_total": 4800,
                "currency": "gbp",
                "payment_status": "paid",
                "customer_details": {"email": "b@example.test", "name": "B"},
                "metadata": {
                    k.removeprefix("metadata[").removesuffix("]"): v
                    for k, v in call["form"].items()
                    if k.startswith("metadata[")
                },
            }
        },
    }
    body = body_of(event)
    hook = httpx.post(f"{live.url}/hooks/stripe", content=body, headers=signed(body), timeout=30)
    assert hook.json()["outcome"] == "PAID"
    (item,) = OrderItem.select()
    assert (item.variant_id, item.quantity, item.unit_price_cents) == (shop.small, 2, 2400)
    assert ProductVariant.get_by_id(shop.small).stock == 3


def test_refusals_are_clear_pages_and_never_reach_stripe(live, shop, stripe_api, actor):
    Product.create(
        project=shop.id, name="Jug", slug="jug", price_cents=900, currency="GBP", status="DRAFT"
    )
    Product.create(
        project=shop.id,
        name="Bowl",
        slug="bowl",
        price_cents=900,
        currency="GBP",
        status="ACTIVE",
        stock=0,
    )
    ProductVariant.update(stock=0).where(ProductVariant.id == shop.large).execute()
    cases = [
        (404, "Not found", {"project": "nope"}),
        (404, "Not found", {"product": "teapot"}),
        (404, "Not found", {"variant": "c" * 24}),
        (410, "Not on sale", {"product": "jug", "variant": None}),
        (409, "Sold out", {"product": "bowl", "variant": None}),
        (409, "Sold out", {"variant": shop.large}),
        (409, "Sold out", {"quantity": "6"}),  # five small mugs left
        (400, "Cannot check out", {"quantity": "0"}),
        (400, "Cannot check out", {"quantity": "11"}),
        (400, "Cannot check out", {"quantity": "1e3"}),
        (400, "Cannot check out", {"variant": None}),  # the mug has sizes: one must be chosen
        (404, "Not found", {"product": "<script>alert(1)</script>"}),  # named back, escaped
    ]
    for status, title, fields in cases:
        answer = buy(live, shop, **fields)
        assert answer.status_code == status, (fields, answer.text)
        tree = html5lib.parse(answer.text, namespaceHTMLElements=False)
        assert tree.find(".//h1").text == title, fields
        assert "<script>" not in answer.text
    elsewhere = httpx.post(
        f"{live.url}/checkout",
        timeout=30,
        data={"project": shop.id, "product": "mug", "variant": shop.small},
        headers={"origin": "https://evil.example"},
    )
    assert elsewhere.status_code == 403
    json_post = httpx.post(f"{live.url}/checkout", json={"project": shop.id}, timeout=30)
    assert json_post.status_code == 415
    set_integration_enabled(actor, "kiln", "stripe", False)
    assert buy(live, shop).status_code == 409
    assert stripe_api.requests == []


def test_stripe_refusing_gives_a_502_page_and_no_redirect(live, shop, stripe_api):
    stripe_api.answer = (
        400,
        {"error": {"type": "invalid_request_error", "message": "Invalid currency: gbp"}},
    )
    answer = buy(live, shop)
    assert answer.status_code == 502 and "location" not in answer.headers
    assert len(stripe_api.requests) == 1
    assert Order.select().count() == 0


def test_a_flood_of_checkouts_from_one_client_is_limited(db, shop, stripe_api, one_minute):
    from orders_support import LiveServer

    from bgpub.collector.app import make_app
    from bgpub.collector.settings import CollectorSettings

    server = LiveServer(make_app(CollectorSettings(form_rate=3, flush_seconds=0.02))).start()
    try:
        answers = [buy(server, shop).status_code for _ in range(5)]
    finally:
        server.stop()
    assert answers == [303, 303, 303, 429, 429]
    assert len(stripe_api.requests) == 3


def test_the_variant_may_be_named_by_sku_or_name_as_published_pages_do(live, shop, stripe_api):
    assert buy(live, shop, variant="MUG-L").status_code == 303
    assert buy(live, shop, variant="Small").status_code == 303
    assert buy(live, shop, variant="small").status_code == 404  # names match exactly
    refs = [
        r["form"]["line_items[0][price_data][product_data][metadata][bgpub_ref]"]
        for r in stripe_api.requests
    ]
    assert refs == [f"v_{shop.large}", f"v_{shop.small}"]


def test_the_cancel_button_leads_back_to_the_shop_never_elsewhere(live, shop, stripe_api):
    buy(
        live, shop, referer=f"{SITE}/"
    )  # Referrer-Policy strict-origin-when-cross-origin: origin only
    buy(live, shop, referer=f"{SITE}/", **{"return": "/collections/mugs/"})
    buy(live, shop, referer=f"{SITE}/", **{"return": "//evil.example/phish"})
    buy(live, shop, referer=f"{SITE}/", **{"return": "https://evil.example/"})
    cancels = [r["form"]["cancel_url"] for r in stripe_api.requests]
    assert cancels == [
        f"{SITE}/products/mug/",
        f"{SITE}/collections/mugs/",
        f"{SITE}/products/mug/",
        f"{SITE}/products/mug/",
    ]
