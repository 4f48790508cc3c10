"""Orders are financial records: no service, no SQL statement and no migration step deletes one or
changes its amounts; a project with orders stays; deleting a buyer's account blanks their name and
e-mail on their orders and keeps the amounts. A sell-out can ask for a publish. Both databases."""

from __future__ import annotations

import pytest
from orders_support import fixture_event, session_event
from peewee import IntegrityError

from bgpub.db import schema
from bgpub.db.models import Order, OrderItem, Project, PublishRequest
from bgpub.errors import Conflict, PermissionDenied
from bgpub.services.orders import delete_order, get_order
from bgpub.services.projects import delete_project, update_project
from bgpub.services.sellout_publishing import run_sellout_publishes
from bgpub.services.stripe_events import apply_stripe_event
from bgpub.services.users import delete_user, find_or_create_user


@pytest.fixture
def order(shop):
    apply_stripe_event(shop.id, fixture_event(shop.id, shop.small, shop.large))
    return Order.get()


def refused(db, statement: str, *params) -> bool:
    try:
        with db.atomic():
            db.execute_sql(statement, params)
    except IntegrityError:
        return True
    return False


def test_nobody_deletes_an_order_or_changes_its_amounts(db, actor, shop, order):
    with pytest.raises(PermissionDenied, match="financial record"):
        delete_order(actor, "kiln", 1)
    p = db.param
    assert refused(db, f"DELETE FROM orders WHERE id = {p}", order.id)
    assert refused(db, "DELETE FROM order_items")
    assert refused(db, f"UPDATE orders SET total_cents = 1 WHERE id = {p}", order.id)
    assert refused(db, "UPDATE orders SET currency = 'EUR'")
    assert refused(db, "UPDATE orders SET number = number + 100")
    assert refused(db, "UPDATE order_items SET unit_price_cents = 0")
    assert refused(db, "UPDATE order_items SET quantity = quantity + 1")
    if db_is_postgres(db):
        assert refused(db, "TRUNCATE orders CASCADE")
        assert refused(db, "TRUNCATE order_items")
    # what may change: status, notes, the buyer's details, links to products
    assert not refused(db, "UPDATE orders SET customer_name = 'X', refund_note = 'n'")
    assert not refused(db, "UPDATE order_items SET variant_id = NULL")
    view = get_order(actor, "kiln", 1)
    assert (view.total_cents, len(view.lines), sorted(x.unit_price_cents for x in view.lines)) == (
        5300,
        2,
        [1450, 1950],
    )


def db_is_postgres(db) -> bool:
    from peewee import PostgresqlDatabase

    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)


def test_a_project_with_orders_cannot_be_deleted(actor, shop, order):
    with pytest.raises(Conflict, match="1 order"):
        delete_project(actor, "kiln")
    assert Project.select().where(Project.id == shop.id).exists()
    assert OrderItem.select().count() == 2


def test_deleting_the_buyer_blanks_their_details_and_keeps_the_amounts(actor, shop, order):
    buyer, _ = find_or_create_user("ada.buyer@example.test", "Ada Buyer")  # Stripe had Ada.Buyer@
    delete_user(buyer, buyer.email)
    kept = Order.get_by_id(order.id)
    assert (kept.customer_email, kept.customer_name) == ("", "deleted buyer")
    assert (kept.total_cents, kept.currency, kept.number) == (5300, "GBP", 1)
    assert sorted(i.unit_price_cents for i in OrderItem.select()) == [1450, 1950]


def test_migration_0015_down_and_up_keeps_the_orders(db, shop, order):
    name = "0015_orders"
    later = [n for n in schema.applied(db) if n > name]
    assert schema.rollback(db, len(later) + 1)[-1] == name
    assert "oversold" not in {c.name for c in db.get_columns("order_items")}
    assert db.execute_sql("SELECT number, total_cents FROM orders").fetchall() == [(1, 5300)]
    schema.migrate(db)
    assert refused(db, "DELETE FROM orders")  # the triggers are back
    assert Order.get().refund_note == "" and {i.oversold for i in OrderItem.select()} == {0}


def test_a_sell_out_asks_for_one_publish_when_the_project_says_so(actor, shop):
    def sell(n: int, variant: str, quantity: int) -> None:
        items = [[f"v_{variant}", quantity, 100]]
        apply_stripe_event(shop.id, session_event(f"evt_s{n}", f"cs_s{n}", items))

    sell(1, shop.large, 3)  # sold out, but the setting is off
    assert PublishRequest.select().count() == 0
    update_project(actor, "kiln", settings={"publish_on_sellout": "true"})
    sell(2, shop.small, 4)  # 5 -> 1: still in stock
    assert PublishRequest.select().count() == 0
    sell(3, shop.small, 2)  # the last one, and one oversold
    sell(4, shop.large, 1)  # oversold again: the pending request covers it
    (request,) = PublishRequest.select()
    assert request.done_at is None and "Mug (Small)" in request.reason

    calls = []

    def failing(actor, project, message):
        from bgpub.errors import PublishError

        raise PublishError("target unreachable")

    assert run_sellout_publishes(actor, publish=failing)[0].error.endswith("target unreachable")
    assert PublishRequest.get().done_at is None  # tried again next run

    class Result:
        version = 7

    def publishing(actor, project, message):
        calls.append((project.name, message))
        return Result()

    (outcome,) = run_sellout_publishes(actor, publish=publishing)
    assert (outcome.project, outcome.version, outcome.error) == ("kiln", 7, "")
    assert calls == [("kiln", request.reason)]
    assert run_sellout_publishes(actor, publish=publishing) == []
    assert PublishRequest.get().version == 7


def test_a_buyer_who_is_no_user_can_be_forgotten_and_the_amounts_stay(actor, shop, order):
    from bgpub.db.models import AuditLog
    from bgpub.errors import InvalidInput, NotFound
    from bgpub.services.orders import forget_buyer

    assert forget_buyer(actor, "kiln", "ADA.buyer@EXAMPLE.test") == 1
    kept = Order.get_by_id(order.id)
    assert (kept.customer_email, kept.customer_name, kept.total_cents) == (
        "",
        "deleted buyer",
        5300,
    )
    with pytest.raises(NotFound):
        forget_buyer(actor, "kiln", "ada.buyer@example.test")  # nothing left to forget
    with pytest.raises(InvalidInput):
        forget_buyer(actor, "kiln", "not an address")
    (row,) = AuditLog.select().where(AuditLog.action == "order.forget-buyer")
    assert row.summary == {"orders": 1} and "example.test" not in str(row.summary)
