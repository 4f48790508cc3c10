"""The editor's Orders screen (Pilot; SQLite, as a front end's test): reached with `O` from the project screen;
status filters and an oversold filter; orders and takings per day for what is shown; an order's lines
read in full as text; `f` fulfils a PAID order and `n` records a refund note through the services."""

from __future__ import annotations

import asyncio

import pytest
from orders_support import session_event
from tests.tui.tui_support import until  # checks every 10 ms, gives up after 30 s

from bgpub.services.orders import get_order
from bgpub.services.stripe_events import apply_stripe_event
from bgpub.tui.app import make_app
from bgpub.tui.screens.orders import OVERSOLD, OrdersScreen

# A front end's test: SQLite only, like tests/tui (tests/conftest.py, `_editor_on_sqlite`).
pytestmark = pytest.mark.editor


def seed(shop) -> None:
    first = session_event(
        "evt_t1", "cs_t1", [[f"v_{shop.small}", 2, 1450], [f"v_{shop.large}", 1, 1950]], total=4850
    )
    first["data"]["object"]["customer_details"]["name"] = "[b]Ada[/b] <i>"
    apply_stripe_event(shop.id, first)
    apply_stripe_event(shop.id, session_event("evt_t2", "cs_t2", [[f"v_{shop.large}", 4, 3200]]))
    apply_stripe_event(shop.id, session_event("evt_t3", "cs_t3", [[f"v_{shop.small}", 1, 2400]]))
    refund = {
        "id": "evt_t3r",
        "type": "charge.refunded",
        "data": {
            "object": {"payment_intent": "pi_cs_t3", "refunded": True, "amount_refunded": 2400}
        },
    }
    apply_stripe_event(shop.id, refund)


@pytest.mark.slow
def test_orders_screen_filters_totals_fulfils_and_notes(workspace, actor, shop):
    seed(shop)
    asyncio.run(flow(make_app(workspace, "kiln", format_time=lambda moment: ""), actor))


async def flow(app, actor) -> None:
    from textual.widgets import Input, Select

    async with app.run_test(size=(130, 40)) as pilot:
        await until(pilot, lambda: app.screen.__class__.__name__ == "ProjectScreen", "project")
        project_screen = app.screen
        await pilot.press("O")
        await until(
            pilot, lambda: isinstance(app.screen, OrdersScreen) and app.screen.rows, "orders loaded"
        )
        screen = app.screen
        assert [v.number for v in screen.rows] == [3, 2, 1]  # newest first
        orders = screen.query_one("#orders")
        assert [orders.get_row_at(i)[2] for i in range(3)] == ["REFUNDED", "PAID", "PAID"]
        assert "oversold 2" in orders.get_row_at(1)[6]  # 4 wanted, 2 large mugs left after #1
        days = screen.query_one("#per-day")
        assert days.row_count == 1
        assert days.get_row_at(0)[1:] == ["2", "£176.50"]  # 48.50 + 128.00; the refund not counted

        select = screen.query_one("#order-filter", Select)
        select.value = OVERSOLD
        await until(pilot, lambda: [v.number for v in screen.rows] == [2], "oversold only")
        select.value = "REFUNDED"
        await until(pilot, lambda: [v.number for v in screen.rows] == [3], "refunded only")
        assert days.get_row_at(0)[1:] == ["1", "£24.00"]
        select.value = "*"
        await until(pilot, lambda: len(screen.rows) == 3, "all again")

        screen.table.focus()
        screen.table.move_cursor(row=2)  # order #1
        await until(
            pilot,
            lambda: "[b]Ada[/b] <i>" in str(screen.query_one("#order-text").render()),
            "the buyer's name shown as typed, not as markup",
        )
        await pilot.press("f")
        await until(pilot, lambda: get_order(actor, "kiln", 1).status == "FULFILLED", "fulfilled")
        await until(
            pilot, lambda: screen.rows and screen.rows[2].status == "FULFILLED", "the list agrees"
        )
        screen.table.move_cursor(row=1)  # order #2
        await until(
            pilot,
            lambda: "OVERSOLD 2" in str(screen.query_one("#order-text").render()),
            "the oversold line flagged",
        )
        await pilot.press("f")  # PAID: fulfilled too (the owner decides about the oversold units)
        await until(pilot, lambda: get_order(actor, "kiln", 2).status == "FULFILLED", "fulfilled")
        await until(pilot, lambda: screen.rows and screen.rows[1].status == "FULFILLED", "reloaded")
        await pilot.press("f")  # no longer PAID: refused with a notification, nothing changes
        await until(
            pilot,
            lambda: any("only PAID orders" in n.message for n in app._notifications),
            "the refusal",
        )
        assert get_order(actor, "kiln", 2).status == "FULFILLED"
        screen.table.move_cursor(row=0)  # order #3, refunded
        await pilot.press("n")
        await until(pilot, lambda: app.screen.__class__.__name__ == "FormModal", "note asks")
        app.screen.query_one(Input).value = "Cracked in the post"
        await pilot.press("enter")
        await until(
            pilot,
            lambda: get_order(actor, "kiln", 3).refund_note == "Cracked in the post",
            "note saved",
        )
        await until(pilot, lambda: isinstance(app.screen, OrdersScreen), "modal closed")
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is project_screen, "back to the project")
        from bgpub.tui.commands import entries

        assert "Orders" in [e.title for e in entries(project_screen)]
