"""Helpers of the order tests: a real uvicorn on a free loopback port, Stripe events built from the
checked-in fixture and signed with Stripe's own library."""

from __future__ import annotations

import json
import socket
import threading
import time
from pathlib import Path

import stripe
import uvicorn

FIXTURE = Path(__file__).parent / "fixtures" / "checkout_session_completed.json"
SECRET = "whsec_kiln_test_0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class LiveServer:
    """uvicorn serving the app from a thread of this process (so it shares the test's database)."""

    def __init__(self, app, port: int | None = None):
        port = port or free_port()
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(
            app, host="127.0.0.1", port=port, access_log=False, log_level="warning", lifespan="on"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def start(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


def fixture_event(project_id: str, small: str, large: str) -> dict:
    """The checked-in `checkout.session.completed` with this test's project and variant ids."""
    text = FIXTURE.read_text()
    for key, value in (("PROJECT", project_id), ("SMALL", small), ("LARGE", large)):
        text = text.replace("{{%s}}" % key, value)
    return json.loads(text)


def session_event(
    event_id: str,
    session_id: str,
    items: list[list],
    *,
    total: int | None = None,
    currency: str = "gbp",
    kind: str = "checkout.session.completed",
) -> dict:
    """A completed Checkout Session naming `items` ([ref, quantity, unit amount]) in its metadata."""
    return {
        "id": event_id,
        "object": "event",
        "type": kind,
        "data": {
            "object": {
                "id": session_id,
                "object": "checkout.session",
                "amount_total": total if total is not None else sum(q * u for _, q, u in items),
                "currency": currency,
                "customer_details": {"email": "buyer@example.test", "name": "A Buyer"},
                "metadata": {"bgpub_items": json.dumps(items)},
                "payment_intent": "pi_" + session_id,
                "payment_status": "paid",
            }
        },
    }


def body_of(event: dict) -> bytes:
    return json.dumps(event).encode()


def signed(body: bytes, secret: str = SECRET, at: int | None = None) -> dict[str, str]:
    header = stripe.WebhookSignature.generate_signature_header(
        body.decode(), secret, at if at is not None else int(time.time())
    )
    return {"stripe-signature": header, "content-type": "application/json"}
