"""Orders as CSV (`bgpub order export --csv`): one row per order line, the order's fields repeated,
as Shopify's order export lays it out, so a spreadsheet can total by order or by product.

Amounts are plain decimals in the order's currency (`53.00` GBP, `2800` JPY), from integer minor units,
never a float. Any cell a spreadsheet would read as a formula (starting with = + - @, a tab or a
carriage return) is prefixed with `'`: buyers' names and product titles are not to be trusted.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime

from bgpub.domain.orders import OrderView
from bgpub.money import decimal_text

COLUMNS = (
    "number",
    "created_at",
    "status",
    "customer_name",
    "customer_email",
    "currency",
    "order_total",
    "item",
    "sku",
    "quantity",
    "unit_price",
    "line_total",
    "oversold",
    "fulfilled_at",
    "refunded_at",
    "refund_note",
)
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """The cell as text a spreadsheet shows and never evaluates."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in FORMULA_STARTS else text


def _when(value: datetime | None) -> str:
    return value.isoformat(sep=" ", timespec="seconds") if value else ""


def orders_csv(orders: list[OrderView]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for order in orders:
        head = [
            order.number,
            _when(order.created_at),
            order.status,
            order.customer_name,
            order.customer_email,
            order.currency,
            decimal_text(order.total_cents, order.currency),
        ]
        tail = [_when(order.fulfilled_at), _when(order.refunded_at), order.refund_note]
        lines = order.lines or ()
        if not lines:
            writer.writerow([safe_cell(v) for v in [*head, "", "", "", "", "", "", *tail]])
        for line in lines:
            writer.writerow(
                [
                    safe_cell(v)
                    for v in [
                        *head,
                        line.name,
                        line.sku or "",
                        line.quantity,
                        decimal_text(line.unit_price_cents, order.currency),
                        decimal_text(line.total_cents, order.currency),
                        line.oversold,
                        *tail,
                    ]
                ]
            )
    return out.getvalue()
