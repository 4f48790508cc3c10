"""An order from a paid Stripe Checkout Session: its lines at the prices charged, stock taken in the
same transaction.

The session names what was bought in one of two ways: `metadata.bgpub_items`, which `POST /checkout`
writes when it creates the session (a JSON list of `[ref, quantity, unit amount charged]`, `ref` being
`v_<variant id>` or `p_<product id>`), or expanded `line_items` whose price or product carries
`metadata.bgpub_ref`. Amounts come from the session, never from today's catalogue; the order total is
the session's `amount_total`. Stock never goes below zero: what is sold beyond it is recorded on the
line (`oversold`) for the shop owner to sort out. The caller holds the project's order lock.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from peewee import ModelSelect

from bgpub.db.connection import is_postgres
from bgpub.db.enums import OrderStatus
from bgpub.db.fields import utcnow
from bgpub.db.models import Order, OrderItem, Product, ProductVariant, Project, PublishRequest
from bgpub.domain.orders import EventOutcome as EventOutcome
from bgpub.errors import InvalidInput
from bgpub.services import audit

_Query = TypeVar("_Query", bound="ModelSelect[Any]")

MAX_LINES = 50
MAX_QUANTITY = 999
MAX_MINOR = 2_147_483_647
REF = re.compile(r"^([vp])_([a-z0-9]{1,32})$")
CURRENCY = re.compile(r"^[A-Za-z]{3}$")
WHERE = "stripe checkout session"


@dataclass(frozen=True)
class Line:
    ref: str  # v_<id> or p_<id>
    quantity: int
    unit_cents: int
    description: str = ""


def now() -> datetime:
    return utcnow()


def _amount(value: object, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_MINOR:
        raise InvalidInput(f"{what} must be a whole number of minor units", where=WHERE)
    return value


def _quantity(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_QUANTITY:
        raise InvalidInput(f"a quantity must be 1 to {MAX_QUANTITY}", where=WHERE)
    return value


def _ref(value: object) -> str:
    if not isinstance(value, str) or not REF.fullmatch(value):
        raise InvalidInput(
            "an item reference must be v_<variant id> or p_<product id>", where=WHERE
        )
    return value


def _metadata(obj: dict[str, Any]) -> dict[str, Any]:
    metadata = obj.get("metadata")
    return metadata if isinstance(metadata, dict) else {}


def _expanded(obj: dict[str, Any]) -> list[dict[str, Any]]:
    items = obj.get("line_items")
    data = items.get("data") if isinstance(items, dict) else None
    return [i for i in data if isinstance(i, dict)] if isinstance(data, list) else []


def names_items(obj: dict[str, Any]) -> bool:
    """Whether the session says what was bought (else it is not a bgpub checkout)."""
    return "bgpub_items" in _metadata(obj) or bool(_expanded(obj))


def _line_ref(item: dict[str, Any]) -> object:
    price: dict[str, Any] = item["price"] if isinstance(item.get("price"), dict) else {}
    product: dict[str, Any] = price["product"] if isinstance(price.get("product"), dict) else {}
    for holder in (item, price, product):
        ref = _metadata(holder).get("bgpub_ref")
        if ref:
            return ref
    return None


def parse_lines(obj: dict[str, Any]) -> list[Line]:
    """The session's lines; InvalidInput naming the first thing that is not as `POST /checkout` writes it."""
    expanded = _expanded(obj)
    if expanded:
        lines = []
        for item in expanded[: MAX_LINES + 1]:
            price: dict[str, Any] = item["price"] if isinstance(item.get("price"), dict) else {}
            description: str = (
                item["description"] if isinstance(item.get("description"), str) else ""
            )
            lines.append(
                Line(
                    _ref(_line_ref(item)),
                    _quantity(item.get("quantity")),
                    _amount(price.get("unit_amount"), "unit_amount"),
                    description[:200],
                )
            )
    else:
        try:
            raw = json.loads(str(_metadata(obj).get("bgpub_items")))
        except ValueError:
            raise InvalidInput("metadata bgpub_items is not JSON", where=WHERE) from None
        if not isinstance(raw, list):
            raise InvalidInput("metadata bgpub_items must be a list", where=WHERE)
        lines = []
        for entry in raw[: MAX_LINES + 1]:
            if not isinstance(entry, list) or len(entry) != 3:
                raise InvalidInput(
                    "each bgpub_items entry is [ref, quantity, unit amount]", where=WHERE
                )
            lines.append(
                Line(_ref(entry[0]), _quantity(entry[1]), _amount(entry[2], "unit amount"))
            )
    if not lines or len(lines) > MAX_LINES:
        raise InvalidInput(f"a checkout has 1 to {MAX_LINES} lines", where=WHERE)
    return lines


def _customer(obj: dict[str, Any]) -> tuple[str, str]:
    details: dict[str, Any] = (
        obj["customer_details"] if isinstance(obj.get("customer_details"), dict) else {}
    )
    email = details.get("email") or obj.get("customer_email") or ""
    name = details.get("name") or ""
    return (email if isinstance(email, str) else "")[:254], (name if isinstance(name, str) else "")[
        :200
    ]


def _locked(query: _Query) -> _Query:
    return query.for_update() if is_postgres() else query


def _stocked_row(project: Project, ref: str) -> tuple[Product | None, ProductVariant | None]:
    kind, row_id = ref.split("_", 1)
    if kind == "v":
        variant = _locked(
            ProductVariant.select()
            .join(Product)
            .where((ProductVariant.id == row_id) & (Product.project == project))
        ).first()
        return (variant.product if variant else None), variant
    product = _locked(
        Product.select().where((Product.id == row_id) & (Product.project == project))
    ).first()
    return product, None


def _take(row: Product | ProductVariant | None, quantity: int) -> tuple[int, bool]:
    """(units oversold, whether this sale emptied the stock); untracked stock (null) is never short."""
    if row is None or row.stock is None:
        return 0, False
    before = max(row.stock, 0)
    taken = min(before, quantity)
    if taken:
        model = type(row)
        model.update(stock=model.stock - taken).where(model.id == row.id).execute()
    return quantity - taken, before > 0 and before - taken == 0


def _line_name(product: Product | None, variant: ProductVariant | None, line: Line) -> str:
    if product is None:
        return (line.description or f"(removed item {line.ref})")[:200]
    if variant is None:
        return product.name[:200]
    return f"{product.name} ({variant.name})"[:200]


def _next_number(project: Project) -> int:
    last = (
        Order.select(Order.number)
        .where(Order.project == project)
        .order_by(Order.number.desc())
        .scalar()
    )
    return (last or 0) + 1


def record_checkout(project: Project, obj: dict[str, Any], event_id: str) -> EventOutcome:
    """Creates the order of a completed session (once per session) and takes its stock."""
    session = obj.get("id")
    if not isinstance(session, str) or not 0 < len(session) <= 255:
        raise InvalidInput("the session has no id", where=WHERE)
    if (
        Order.select()
        .where((Order.project == project) & (Order.stripe_session_id == session))
        .exists()
    ):
        return EventOutcome("unchanged")
    lines = parse_lines(obj)
    currency = obj.get("currency")
    if not isinstance(currency, str) or not CURRENCY.fullmatch(currency):
        raise InvalidInput("the session has no ISO 4217 currency", where=WHERE)
    total = _amount(obj.get("amount_total"), "amount_total")
    email, name = _customer(obj)
    paid = obj.get("payment_status") in ("paid", "no_payment_required")
    intent = obj.get("payment_intent") if isinstance(obj.get("payment_intent"), str) else None
    order = Order.create(
        project=project,
        number=_next_number(project),
        customer_email=email,
        customer_name=name,
        status=OrderStatus.PAID if paid else OrderStatus.PENDING,
        total_cents=total,
        currency=currency.upper(),
        stripe_session_id=session,
        stripe_payment_intent=intent,
    )
    sold_out: list[str] = []
    items = []
    for line in lines:
        product, variant = _stocked_row(project, line.ref)
        oversold, emptied = _take(variant if variant is not None else product, line.quantity)
        label = _line_name(product, variant, line)
        if emptied or oversold:
            sold_out.append(label)
        holder = variant if variant is not None else product
        sku = holder.sku if holder is not None else None
        items.append(
            OrderItem.create(
                order=order,
                product=product,
                variant=variant,
                name=label,
                quantity=line.quantity,
                unit_price_cents=line.unit_cents,
                sku=sku,
                oversold=oversold,
            )
        )
    audit.record(
        None,
        project.organization,
        "order.created",
        "order",
        order.id,
        {
            "number": order.number,
            "stripe_event": event_id[:64],
            "lines": len(items),
            "oversold": sum(i.oversold for i in items),
        },
    )
    if sold_out and (project.settings or {}).get("publish_on_sellout"):
        request_publish(project, "sold out: " + ", ".join(sorted(set(sold_out))))
    payload = order_payload(project, order, items)
    outcome = EventOutcome(order.status.value, order.number)
    outcome.after_commit.append(lambda: _announce(project, payload))
    return outcome


def restock(order: Order) -> None:
    """Puts back the units an order took (not those it oversold) into tracked stock: for an order whose
    delayed payment failed. The caller holds the project's order lock."""
    for item in OrderItem.select().where(OrderItem.order == order):
        taken = item.quantity - item.oversold
        row = (
            ProductVariant.get_or_none(ProductVariant.id == item.variant_id)
            if item.variant_id
            else (Product.get_or_none(Product.id == item.product_id) if item.product_id else None)
        )
        if row is None or row.stock is None or taken <= 0:
            continue
        model = type(row)
        model.update(stock=model.stock + taken).where(model.id == row.id).execute()


def request_publish(project: Project, reason: str) -> None:
    """One pending publish request per project (several sell-outs before it runs share it)."""
    pending = PublishRequest.select().where(
        (PublishRequest.project == project) & PublishRequest.done_at.is_null()
    )
    if pending.exists():
        return
    PublishRequest.create(project=project, reason=reason[:1000])


def order_payload(project: Project, order: Order, items: list[OrderItem]) -> dict[str, Any]:
    """What the project's `order.created` webhooks receive: amounts and lines, no buyer details."""
    return {
        "event": "order.created",
        "project": project.name,
        "order": {
            "number": order.number,
            "status": OrderStatus(order.status).value,
            "total_cents": order.total_cents,
            "currency": order.currency,
            "items": [
                {
                    "name": i.name,
                    "sku": i.sku,
                    "quantity": i.quantity,
                    "unit_price_cents": i.unit_price_cents,
                    "oversold": i.oversold,
                }
                for i in items
            ],
        },
    }


def _announce(project: Project, payload: dict[str, Any]) -> None:
    from bgpub.services.webhooks import notify

    notify(project, "order.created", payload)
