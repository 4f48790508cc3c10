"""Stripe events for the shop, received by `bgpub collect` at `POST /hooks/stripe`.

The `Stripe-Signature` header is checked by Stripe's own library (`stripe.Webhook.construct_event`,
tolerance 300 s) against the `webhook_secret` of each enabled STRIPE integration (encrypted at rest);
the project whose secret verifies the event is the one it is for (when several do, the one the
session's `metadata.bgpub_project` names; a session made for another project is left to it). Each event id is remembered per
project in the same transaction as its effect, so Stripe's retries (and a replayed body, within the
tolerance) change nothing. What an event does:

- `checkout.session.completed`: the order and its lines are created, stock decremented
  (`order_intake`); a session paid later (`payment_status: unpaid`) gives a PENDING order that
  `checkout.session.async_payment_succeeded` marks PAID (`..._failed`: CANCELED, its units back
  in stock).
- `charge.refunded`: a fully refunded charge marks its order REFUNDED (found by payment intent).
- older orders named by `metadata.order_number` still move PENDING -> PAID on a completed session.
- anything else is acknowledged and remembered.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import stripe
from peewee import IntegrityError

from bgpub.db.connection import database, is_postgres
from bgpub.db.enums import IntegrationType, OrderStatus
from bgpub.db.models import Integration, Order, Project, StripeEvent
from bgpub.errors import InvalidInput, PermissionDenied
from bgpub.services import audit, order_intake, secrets
from bgpub.services.order_intake import EventOutcome

TOLERANCE = 300
ORDERS_LOCK_CLASS = 0x626F  # "bo": the first key of the per-project order lock (PostgreSQL)
WHERE = "stripe webhook"


def stripe_signature(secret: str, body: bytes, timestamp: int) -> str:
    """The header Stripe sends for `body` (tests and local tools sign with Stripe's own code)."""
    found: str = stripe.WebhookSignature.generate_signature_header(
        body.decode("utf-8"), secret, timestamp
    )
    return found


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


def verify_stripe_event(body: bytes, header: str) -> tuple[str, dict[str, Any]]:
    """(project id, event as plain data) for a body one project's secret signed within the last
    five minutes; PermissionDenied for anything unsigned, forged, re-timestamped or stale."""
    if not header:
        raise PermissionDenied("the Stripe-Signature header is missing", where=WHERE)
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("the body is not UTF-8 JSON", where=WHERE) from None
    stale = False
    verified: list[str] = []
    for project_id, secret in stripe_secrets():
        try:
            stripe.Webhook.construct_event(body, header, secret, tolerance=TOLERANCE)
        except stripe.SignatureVerificationError as exc:
            stale = stale or "tolerance" in str(exc)
            continue
        except ValueError:
            raise InvalidInput("the body is not JSON", where=WHERE) from None
        verified.append(project_id)
    if not verified:
        if stale:
            raise PermissionDenied("the signature is older than five minutes", where=WHERE)
        raise PermissionDenied(
            "no project's Stripe signing secret verifies this event", where=WHERE
        )
    event = json.loads(body)
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        raise InvalidInput("not a Stripe event", where=WHERE)
    if not isinstance(event.get("id"), str) or not 0 < len(event["id"]) <= 255:
        raise InvalidInput("the event has no id", where=WHERE)
    named = _named_project(
        event
    )  # several projects sharing one secret: the session says whose it is
    return (named if named in verified else verified[0]), event


def _named_project(event: dict[str, Any]) -> str | None:
    metadata = _object(event).get("metadata")
    named = metadata.get("bgpub_project") if isinstance(metadata, dict) else None
    return named if isinstance(named, str) else None


def lock_project_orders(project_id: str) -> None:
    """Serialises order writing per project (numbers, stock): an advisory lock held until commit on
    PostgreSQL; on SQLite every transaction already holds the write lock (BEGIN IMMEDIATE)."""
    if is_postgres():
        database.execute_sql(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (ORDERS_LOCK_CLASS, project_id)
        )


def _object(event: dict[str, Any]) -> dict[str, Any]:
    data = event.get("data")
    obj = data.get("object") if isinstance(data, dict) else None
    return obj if isinstance(obj, dict) else {}


def _record(project: Project, order: Order, status: OrderStatus, event: dict[str, Any]) -> None:
    audit.record(
        None,
        project.organization,
        f"order.{status.value.lower()}",
        "order",
        order.id,
        {"number": order.number, "stripe_event": event["id"][:64]},
    )


def _move(
    project: Project, order: Order | None, before: set[OrderStatus], after: OrderStatus, event: Any
) -> str:
    if order is None or order.status not in before:
        return "unchanged"
    changes: dict[Any, Any] = {Order.status: after}
    if after == OrderStatus.REFUNDED:
        changes[Order.refunded_at] = order_intake.now()
    Order.update(changes).where(Order.id == order.id).execute()
    _record(project, order, after, event)
    return after.value


def _session_order(project: Project, obj: dict[str, Any]) -> Order | None:
    session = obj.get("id")
    if not isinstance(session, str) or not session:
        return None
    return Order.get_or_none((Order.project == project) & (Order.stripe_session_id == session))


def _numbered_order(project: Project, obj: dict[str, Any]) -> Order | None:
    metadata: dict[str, Any] = obj["metadata"] if isinstance(obj.get("metadata"), dict) else {}
    number = str(metadata.get("order_number") or "")
    if not number.isdigit() or len(number) > 9:
        return None
    return Order.get_or_none((Order.project == project) & (Order.number == int(number)))


def _completed(project: Project, event: dict[str, Any]) -> EventOutcome:
    obj = _object(event)
    named = _named_project(event)
    if named is not None and named != project.id:
        # one Stripe account feeding several projects' endpoints: each gets every session; only the
        # project the session was made for records it
        return EventOutcome("another project's")
    if order_intake.names_items(obj):
        return order_intake.record_checkout(project, obj, event["id"])
    outcome = _move(
        project, _numbered_order(project, obj), {OrderStatus.PENDING}, OrderStatus.PAID, event
    )
    return EventOutcome(
        outcome if outcome != "unchanged" or _numbered_order(project, obj) else "ignored"
    )


def _refunded(project: Project, event: dict[str, Any]) -> EventOutcome:
    obj = _object(event)
    intent = obj.get("payment_intent")
    order = None
    if isinstance(intent, str) and intent:
        order = Order.get_or_none(
            (Order.project == project) & (Order.stripe_payment_intent == intent)
        )
    order = order or _numbered_order(project, obj)
    if order is None:
        return EventOutcome("ignored")
    if obj.get("refunded") is False:  # a partial refund: noted, the order stays as it is
        audit.record(
            None,
            project.organization,
            "order.partially-refunded",
            "order",
            order.id,
            {"number": order.number, "amount_refunded": obj.get("amount_refunded")},
        )
        return EventOutcome("partially refunded", order.number)
    paid = {OrderStatus.PAID, OrderStatus.FULFILLED}
    return EventOutcome(_move(project, order, paid, OrderStatus.REFUNDED, event), order.number)


def _async(project: Project, event: dict[str, Any], after: OrderStatus) -> EventOutcome:
    order = _session_order(project, _object(event))
    outcome = _move(project, order, {OrderStatus.PENDING}, after, event)
    if order is not None and outcome == OrderStatus.CANCELED.value:
        order_intake.restock(order)  # the payment failed: the units it held are for sale again
    return EventOutcome(outcome, order.number if order else None)


HANDLERS: dict[str, Callable[[Project, dict[str, Any]], EventOutcome]] = {
    "checkout.session.completed": _completed,
    "checkout.session.async_payment_succeeded": lambda p, e: _async(p, e, OrderStatus.PAID),
    "checkout.session.async_payment_failed": lambda p, e: _async(p, e, OrderStatus.CANCELED),
    "charge.refunded": _refunded,
}


def apply_stripe_event(project_id: str, event: dict[str, Any]) -> EventOutcome:
    """Applies a verified event once: 'duplicate' when this project already handled its id."""
    handler = HANDLERS.get(event["type"])
    try:
        with database.atomic():
            lock_project_orders(project_id)
            project = Project.get_by_id(project_id)
            seen = StripeEvent.select().where(
                (StripeEvent.project == project_id) & (StripeEvent.event_id == event["id"])
            )
            if seen.exists():
                return EventOutcome("duplicate")
            result = handler(project, event) if handler else EventOutcome("ignored")
            StripeEvent.create(
                project=project_id,
                event_id=event["id"],
                type=event["type"][:100],
                outcome=result.outcome[:32],
            )
    except IntegrityError:  # the same event committed by another worker meanwhile
        if (
            StripeEvent.select()
            .where((StripeEvent.project == project_id) & (StripeEvent.event_id == event["id"]))
            .exists()
        ):
            return EventOutcome("duplicate")
        raise
    return result


def run_after_commit(result: EventOutcome) -> None:
    """Deliveries the event asked for (the project's `order.created` webhooks); never raises."""
    for call in result.after_commit:
        try:
            call()
        except Exception:  # a receiver's failure is recorded by the delivery itself
            pass
