"""Stripe events for the shop, received by `bgpub collect` at `POST /hooks/stripe`.

The signature is Stripe's scheme: header `Stripe-Signature: t=<unix time>,v1=<hex>`, where v1 is
HMAC-SHA256 of `<t>.<raw body>` under the endpoint's signing secret, and t is at most five minutes
old. The secret is the `webhook_secret` of a project's enabled STRIPE integration (encrypted at rest);
the project whose secret verifies the event is the one it is for. An event naming an order
(`data.object.metadata.order_number`) moves that order: `checkout.session.completed` and
`payment_intent.succeeded` to PAID, `charge.refunded` to REFUNDED; anything else is acknowledged.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from bgpub.db.connection import database
from bgpub.db.enums import IntegrationType, OrderStatus
from bgpub.db.models import Integration, Order
from bgpub.errors import InvalidInput, PermissionDenied
from bgpub.services import audit, secrets

TOLERANCE = 300
TRANSITIONS = {
    "checkout.session.completed": (OrderStatus.PENDING, OrderStatus.PAID),
    "payment_intent.succeeded": (OrderStatus.PENDING, OrderStatus.PAID),
    "charge.refunded": (OrderStatus.PAID, OrderStatus.REFUNDED),
}


def stripe_signature(secret: str, body: bytes, timestamp: int) -> str:
    """The header Stripe sends for `body` (also what tests and local tools send)."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def _parse(header: str) -> tuple[int, list[str]]:
    timestamp, signatures = None, []
    for part in header.split(","):
        key, _, value = part.strip().partition("=")
        if key == "t" and value.isdigit():
            timestamp = int(value)
        elif key == "v1" and value:
            signatures.append(value)
    if timestamp is None or not signatures:
        raise PermissionDenied("malformed Stripe-Signature header", where="stripe webhook")
    return timestamp, signatures


def stripe_secrets() -> list[tuple[str, str]]:
    """(project id, signing secret) of every enabled STRIPE integration with a `webhook_secret`."""
    found = []
    rows = Integration.select().where(
        (Integration.type == IntegrationType.STRIPE) & Integration.enabled
    )
    for row in rows:
        plain = secrets.decrypt_or_none(row.config_encrypted)
        config = json.loads(plain) if plain else {}
        if isinstance(config, dict) and config.get("webhook_secret"):
            found.append((row.project_id, config["webhook_secret"]))
    return found


def verify_stripe_event(
    body: bytes, header: str, now: float | None = None
) -> tuple[str, dict[str, Any]]:
    """(project id, event) for a body signed by one of the projects' secrets; PermissionDenied otherwise."""
    timestamp, signatures = _parse(header or "")
    if abs((now or time.time()) - timestamp) > TOLERANCE:
        raise PermissionDenied(
            "the signature is too old (or from the future)", where="stripe webhook"
        )
    for project_id, secret in stripe_secrets():
        expected = stripe_signature(secret, body, timestamp).split("v1=", 1)[1]
        if any(hmac.compare_digest(expected, s) for s in signatures):
            try:
                event = json.loads(body)
            except ValueError:
                raise InvalidInput("the body is not JSON", where="stripe webhook") from None
            if not isinstance(event, dict) or not isinstance(event.get("type"), str):
                raise InvalidInput("not a Stripe event", where="stripe webhook")
            return project_id, event
    raise PermissionDenied(
        "no project's Stripe signing secret verifies this event", where="stripe webhook"
    )


def apply_stripe_event(project_id: str, event: dict[str, Any]) -> str:
    """What the event did: 'ignored', 'unchanged' or the order's new status (idempotent)."""
    change = TRANSITIONS.get(event["type"])
    obj = (event.get("data") or {}).get("object") or {}
    number = str((obj.get("metadata") or {}).get("order_number") or "")
    if change is None or not number.isdigit():
        return "ignored"
    before, after = change
    with database.atomic():
        order = Order.get_or_none((Order.project == project_id) & (Order.number == int(number)))
        if order is None or order.status != before:
            return "unchanged"
        order.status = after
        order.save(only=[Order.status, Order.updated_at])
        audit.record(
            None,
            order.project.organization,
            f"order.{after.value.lower()}",
            "order",
            order.id,
            {"number": order.number, "stripe_event": str(event.get("id", ""))[:64]},
        )
    return after.value
