"""Orders as the shop owner sees and handles them: list, show, fulfil, note a refund, totals per day.

Orders are financial records. Nobody deletes one (`delete_order` always refuses; on both databases a
trigger refuses a DELETE, a TRUNCATE or a change of amounts too), a project with orders cannot be
deleted (`projects.delete_project`), and deleting a user only blanks the buyer's name and e-mail on
their orders (`anonymise_buyer`), keeping every amount.

Orders carry buyers' personal data, so reading them needs EDITOR (a VIEWER sees the site, not its
customers); fulfilling is an EDITOR's job; a refund note, a financial annotation, needs ADMIN.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from peewee import fn

from bgpub.db.connection import database
from bgpub.db.enums import OrderStatus
from bgpub.db.fields import utcnow
from bgpub.db.models import Order, OrderItem, Project, User
from bgpub.domain.orders import DayTotal, OrderLine, OrderView
from bgpub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from bgpub.services import audit, validation
from bgpub.services.permissions import Action
from bgpub.services.project_access import project_for

READ_ORDERS = Action.EDIT
FULFIL = Action.EDIT
NOTE_REFUND = Action.PUBLISH  # ADMIN
ANONYMOUS_BUYER = "deleted buyer"
MAX_NOTE = 2000


def _view(order: Order, items: list[OrderItem], language: str = "en") -> OrderView:
    return OrderView(
        number=order.number,
        status=OrderStatus(order.status).value,
        created_at=order.created_at,
        customer_email=order.customer_email,
        customer_name=order.customer_name,
        total_cents=order.total_cents,
        currency=order.currency,
        lines=tuple(
            OrderLine(i.name, i.sku, i.quantity, i.unit_price_cents, i.oversold) for i in items
        ),
        fulfilled_at=order.fulfilled_at,
        refunded_at=order.refunded_at,
        refund_note=order.refund_note or "",
        stripe_session_id=order.stripe_session_id,
        language=language or "en",
    )


def _status(value: str | OrderStatus | None, where: str) -> OrderStatus | None:
    if value in (None, ""):
        return None
    return validation.enum_value(OrderStatus, value, "status", where=where)


def list_orders(
    actor: User,
    project: str | Project,
    *,
    status: str | OrderStatus | None = None,
    oversold_only: bool = False,
    limit: int | None = None,
) -> list[OrderView]:
    """The project's orders, newest first, optionally of one status or only those with oversold lines."""
    project = project_for(actor, project, READ_ORDERS)
    query = Order.select().where(Order.project == project)
    wanted = _status(status, f"project {project.name}, orders")
    if wanted is not None:
        query = query.where(Order.status == wanted)
    if oversold_only:
        query = query.where(
            Order.id.in_(OrderItem.select(OrderItem.order).where(OrderItem.oversold > 0))
        )
    orders = list(query.order_by(Order.number.desc()).limit(limit))
    items: dict[str, list[OrderItem]] = defaultdict(list)
    if orders:
        for item in (
            OrderItem.select()
            .where(OrderItem.order.in_([o.id for o in orders]))
            .order_by(OrderItem.created_at, OrderItem.id)
        ):
            items[item.order_id].append(item)
    return [_view(o, items[o.id], project.language) for o in orders]


def _order(project: Project, number: int | str) -> Order:
    text = str(number).lstrip("#")
    if not text.isdigit() or len(text) > 9:
        raise InvalidInput(
            f"an order number is a whole number, got {number!r}", where=f"project {project.name}"
        )
    order = Order.get_or_none((Order.project == project) & (Order.number == int(text)))
    if order is None:
        raise NotFound(
            f"no order #{text} (see 'bgpub order list {project.name}')",
            where=f"project {project.name}",
        )
    return order


def get_order(actor: User, project: str | Project, number: int | str) -> OrderView:
    project = project_for(actor, project, READ_ORDERS)
    order = _order(project, number)
    items = list(
        OrderItem.select()
        .where(OrderItem.order == order)
        .order_by(OrderItem.created_at, OrderItem.id)
    )
    return _view(order, items, project.language)


def fulfil_order(actor: User, project: str | Project, number: int | str) -> OrderView:
    """Marks a PAID order FULFILLED (shipped or handed over); anything else is refused."""
    project = project_for(actor, project, FULFIL)
    with database.atomic():
        order = _order(project, number)
        if order.status != OrderStatus.PAID:
            raise Conflict(
                f"order #{order.number} is {OrderStatus(order.status).value}; only a PAID order "
                "can be fulfilled",
                where=f"project {project.name}",
            )
        Order.update(
            status=OrderStatus.FULFILLED, fulfilled_at=utcnow(), updated_at=utcnow()
        ).where(Order.id == order.id).execute()
        audit.record(
            actor, project.organization, "order.fulfil", "order", order.id, {"number": order.number}
        )
    return get_order(actor, project, number)


def note_refund(actor: User, project: str | Project, number: int | str, note: str) -> OrderView:
    """Records why or how an order was refunded (a refund itself is made in Stripe and arrives as
    `charge.refunded`); the note replaces the previous one, the audit trail keeps both."""
    project = project_for(actor, project, NOTE_REFUND)
    where = f"project {project.name}, order #{number}"
    text = validation.optional_text(note, "note", max_length=MAX_NOTE, where=where, multiline=True)
    if not text.strip():
        raise InvalidInput("the refund note is empty", where=where, field="note")
    with database.atomic():
        order = _order(project, number)
        Order.update(refund_note=text, updated_at=utcnow()).where(Order.id == order.id).execute()
        audit.record(
            actor,
            project.organization,
            "order.refund-note",
            "order",
            order.id,
            {"number": order.number, "length": len(text)},
        )
    return get_order(actor, project, number)


def delete_order(actor: User, project: str | Project, number: int | str) -> None:
    """Always refused, whoever asks: orders are financial records."""
    project = project_for(actor, project, READ_ORDERS)
    order = _order(project, number)
    raise PermissionDenied(
        f"order #{order.number} is a financial record and cannot be deleted by anyone; "
        "record a refund with 'bgpub order refund-note' instead",
        where=f"project {project.name}",
    )


def day_totals(views: list[OrderView], *, every_status: bool = False) -> list[DayTotal]:
    """Orders and takings per UTC day and currency, newest day first; refunded and canceled orders
    are left out unless `every_status` (a list already filtered by status counts as it is)."""
    sums: dict[tuple[date, str], list[int]] = defaultdict(lambda: [0, 0])
    for view in views:
        if not every_status and view.status in ("REFUNDED", "CANCELED"):
            continue
        bucket = sums[(view.created_at.date(), view.currency)]
        bucket[0] += 1
        bucket[1] += view.total_cents
    rows = [DayTotal(day, currency, n, cents) for (day, currency), (n, cents) in sums.items()]
    return sorted(rows, key=lambda r: (r.day, r.currency), reverse=True)


def list_day_totals(
    actor: User,
    project: str | Project,
    *,
    status: str | OrderStatus | None = None,
    days: int | None = None,
) -> list[DayTotal]:
    """`day_totals` of the project's orders (of one status when given), the last `days` days with orders."""
    rows = day_totals(list_orders(actor, project, status=status), every_status=bool(status))
    if days is not None:
        kept = sorted({r.day for r in rows}, reverse=True)[:days]
        rows = [r for r in rows if r.day in kept]
    return rows


def forget_buyer(actor: User, project: str | Project, email: str) -> int:
    """A buyer (not a bgpub user) asks to be forgotten: their name and e-mail go from the project's
    orders, the amounts and lines stay (ADMIN). The audit row counts orders and never holds the address.
    Returns how many orders were changed."""
    project = project_for(actor, project, NOTE_REFUND)
    where = f"project {project.name}, buyer"
    address = (
        validation.email(email, where=where) if isinstance(email, str) and email.strip() else None
    )
    if address is None:
        raise InvalidInput("give the buyer's e-mail address", where=where, field="email")
    with database.atomic():
        changed: int = (
            Order.update(customer_email="", customer_name=ANONYMOUS_BUYER, updated_at=utcnow())
            .where((Order.project == project) & (fn.lower(Order.customer_email) == address.lower()))
            .execute()
        )
        if not changed:
            raise NotFound("no order of this project has that e-mail address", where=where)
        audit.record(
            actor,
            project.organization,
            "order.forget-buyer",
            "project",
            project.id,
            {"orders": changed},
        )
    return changed


def anonymise_buyer(email: str) -> int:
    """Blanks the buyer's name and e-mail on every order they placed (amounts, lines and numbers stay);
    called by `users.delete_user` inside its transaction. Returns how many orders were changed."""
    if not email:
        return 0
    found: int = (
        Order.update(customer_email="", customer_name=ANONYMOUS_BUYER, updated_at=utcnow())
        .where(fn.lower(Order.customer_email) == email.lower())
        .execute()
    )
    return found
