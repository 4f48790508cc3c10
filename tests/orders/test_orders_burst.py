"""Done-when, concurrency: 50 distinct paid checkouts arrive at once (50 client threads posting to the
running collector, which handles them on its worker threads) for the last 10 units of a variant:
50 orders with distinct numbers, stock 0, 40 units flagged as oversold, stock never negative. Both
databases: PostgreSQL serialises per project with an advisory lock and row locks, SQLite by taking
the write lock at BEGIN (IMMEDIATE)."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
from orders_support import body_of, session_event, signed

from bgpub.db.models import Order, OrderItem, ProductVariant

BUYERS = 50
LEFT = 10


def test_fifty_buyers_for_the_last_ten_units(live, shop):
    ProductVariant.update(stock=LEFT).where(ProductVariant.id == shop.small).execute()
    bodies = [
        body_of(session_event(f"evt_burst_{n}", f"cs_burst_{n}", [[f"v_{shop.small}", 1, 2400]]))
        for n in range(BUYERS)
    ]
    start = threading.Barrier(BUYERS)

    def buy(body: bytes) -> tuple[int, str]:
        with httpx.Client(timeout=60) as client:
            headers = signed(body)
            start.wait(timeout=60)
            answer = client.post(f"{live.url}/hooks/stripe", content=body, headers=headers)
            return answer.status_code, answer.json().get("outcome", answer.text)

    with ThreadPoolExecutor(BUYERS) as pool:
        answers = list(pool.map(buy, bodies))
    assert answers == [(200, "PAID")] * BUYERS
    assert ProductVariant.get_by_id(shop.small).stock == 0
    numbers = sorted(Order.select(Order.number).scalars())
    assert numbers == list(range(1, BUYERS + 1))
    lines = list(OrderItem.select())
    assert len(lines) == BUYERS
    assert sum(i.oversold for i in lines) == BUYERS - LEFT
    assert sorted(i.oversold for i in lines) == [0] * LEFT + [1] * (BUYERS - LEFT)

    # the whole burst again (Stripe retrying every event): nothing changes
    with ThreadPoolExecutor(BUYERS) as pool:
        start = threading.Barrier(BUYERS)
        again = list(pool.map(buy, bodies))
    assert again == [(200, "duplicate")] * BUYERS
    assert Order.select().count() == BUYERS and ProductVariant.get_by_id(shop.small).stock == 0
