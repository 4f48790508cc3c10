"""Shop orders as the editor shows them: an order with its lines, and a day's totals; plain values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class OrderLine:
    """One product line of an order, at the price paid."""

    name: str
    sku: str | None
    quantity: int
    unit_price_cents: int
    oversold: int  # > 0: sold beyond the stock left; the shop owner must sort it out

    @property
    def total_cents(self) -> int:
        return self.quantity * self.unit_price_cents


@dataclass(frozen=True)
class OrderView:
    """An order as the editor's orders screen and the export show it."""

    number: int
    status: str
    created_at: datetime
    customer_email: str
    customer_name: str
    total_cents: int
    currency: str
    lines: tuple[OrderLine, ...]
    fulfilled_at: datetime | None = None
    refunded_at: datetime | None = None
    refund_note: str = ""
    stripe_session_id: str | None = None
    language: str = "en"  # the site's language: amounts are formatted for it

    @property
    def oversold(self) -> int:
        return sum(line.oversold for line in self.lines)


@dataclass(frozen=True)
class DayTotal:
    """One day's orders and takings in one currency."""

    day: date
    currency: str
    orders: int
    total_cents: int  # paid, fulfilled and pending orders; refunded and canceled ones are left out


@dataclass
class EventOutcome:
    """What an event did, and what must happen once its transaction committed (webhook deliveries)."""

    outcome: str
    order_number: int | None = None
    after_commit: list[Callable[[], object]] = field(default_factory=list)
