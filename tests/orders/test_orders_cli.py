"""`bgpub order list|show|fulfil|refund-note|totals|export --csv`: the real entry point in-process, on
both databases. Amounts are Babel-formatted for the site's language; the CSV neutralises formulas in
every cell a buyer or a product title could fill; mistakes exit non-zero with one line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from orders_support import session_event

from bgpub.db.enums import SubscriptionTier
from bgpub.db.models import Organization, OrganizationMember
from bgpub.services.products import create_product
from bgpub.services.projects import update_project
from bgpub.services.stripe_events import apply_stripe_event

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]


@pytest.fixture
def bgpub(db_target, actor, capsys):
    from bgpub.cli import main

    org = (
        Organization.select().join(OrganizationMember).where(OrganizationMember.user == actor).get()
    )
    org.tier = SubscriptionTier.PRO
    org.save()

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(["--database-url", db_target.url, *map(str, args)])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def paid(
    shop,
    n: int,
    items: list[list],
    *,
    name: str = "A Buyer",
    total: int | None = None,
    currency: str = "gbp",
) -> None:
    event = session_event(f"evt_cli_{n}", f"cs_cli_{n}", items, total=total, currency=currency)
    event["data"]["object"]["customer_details"]["name"] = name
    apply_stripe_event(shop.id, event)


def test_list_show_fulfil_and_note_a_refund(bgpub, shop):
    paid(shop, 1, [[f"v_{shop.small}", 2, 1450], [f"v_{shop.large}", 1, 1950]], total=5300)
    paid(shop, 2, [[f"v_{shop.large}", 2, 3200]])  # the last two large mugs
    paid(shop, 3, [[f"v_{shop.large}", 1, 3200]])  # none left: oversold
    code, out, _ = bgpub("order", "list", "kiln")
    assert code == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == ["#3", "#2", "#1"]
    assert "£53.00" in lines[2] and "£64.00" in lines[1]
    assert "OVERSOLD 1" in lines[0] and "OVERSOLD" not in lines[1]
    assert bgpub("order", "list", "kiln", "--oversold")[1].split()[0] == "#3"

    code, out, _ = bgpub("order", "show", "kiln", "1")
    assert code == 0
    assert "2 x Mug (Small) [MUG-S] at £14.50 = £29.00" in out
    assert "total charged: £53.00" in out

    assert bgpub("order", "fulfil", "kiln", "1")[1].strip() == "order #1 is FULFILLED"
    code, _, err = bgpub("order", "fulfil", "kiln", "1")
    assert code == 1 and "only a PAID order" in err and "Traceback" not in err
    assert bgpub("order", "refund-note", "kiln", "2", "Chipped: refunded in Stripe")[0] == 0
    data = json.loads(bgpub("order", "show", "kiln", "2", "--json")[1])
    assert data["refund_note"] == "Chipped: refunded in Stripe" and data["total_cents"] == 6400
    assert [line["unit_price_cents"] for line in data["lines"]] == [3200]
    assert (
        json.loads(bgpub("order", "list", "kiln", "--status", "fulfilled", "--json")[1])[0][
            "number"
        ]
        == 1
    )

    for args, code_wanted, says in [
        (("order", "show", "kiln", "99"), 1, "no order #99"),
        (("order", "show", "kiln", "1;DROP"), 2, "whole number"),
        (("order", "refund-note", "kiln", "2", "   "), 2, "note is required"),
        (("order", "export", "kiln"), 2, "--csv"),
        (("order", "list", "nope"), 1, "no project"),
    ]:
        code, _, err = bgpub(*args)
        assert code == code_wanted and says in err, (args, err)
    assert bgpub("order", "rm", "kiln", "1")[0] == 2  # no such command: orders are never removed
    code, out, _ = bgpub("order", "forget-buyer", "kiln", "Buyer@example.test")
    assert code == 0 and out.startswith("3 order(s)")
    assert all("deleted buyer" in line for line in bgpub("order", "list", "kiln")[1].splitlines())


def test_amounts_follow_the_currency_and_the_site_language(bgpub, shop, actor):
    update_project(actor, "kiln", language="fr")
    paid(shop, 1, [[f"v_{shop.small}", 1, 2800]], currency="eur")
    paid(shop, 2, [[f"v_{shop.small}", 1, 2800]], currency="jpy")
    out = bgpub("order", "list", "kiln")[1]
    assert "28,00\xa0€" in out.replace("\u202f", "\xa0")
    assert "2\u202f800" in out or "2\xa0800" in out  # yen: no minor digits
    totals = bgpub("order", "totals", "kiln")[1]
    assert "1 order(s)" in totals


def test_the_csv_export_neutralises_formulas_and_keeps_amounts_exact(bgpub, shop, actor, tmp_path):
    create_product(
        actor,
        "kiln",
        "@SUM(A1:A9)",
        slug="sum",
        price_cents=100,
        currency="GBP",
        status="ACTIVE",
        stock=1,
    )
    from bgpub.db.models import Product

    sum_id = Product.get(Product.slug == "sum").id
    for n, name in enumerate(HOSTILE):
        paid(shop, n, [[f"v_{shop.small}", 1, 1450], [f"p_{sum_id}", 1, 100]], name=name)
    target = tmp_path / "orders.csv"
    code, out, _ = bgpub("order", "export", "--csv", "kiln", "-o", target)
    assert code == 0 and "wrote" in out
    text = target.read_bytes().decode("utf-8")  # as written: a \r inside a cell stays one
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert len(rows) == 2 * len(HOSTILE)
    for row in rows:
        for column, cell in row.items():
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (column, cell)
    assert sorted({r["customer_name"] for r in rows}) == sorted("'" + h for h in HOSTILE)
    assert {r["item"] for r in rows} == {"Mug (Small)", "'@SUM(A1:A9)"}
    assert {(r["unit_price"], r["line_total"], r["order_total"]) for r in rows} == {
        ("14.50", "14.50", "15.50"),
        ("1.00", "1.00", "15.50"),
    }
    oversold = [r for r in rows if r["item"] == "'@SUM(A1:A9)" and r["oversold"] == "1"]
    assert len(oversold) == len(HOSTILE) - 1  # one in stock, then oversold
    assert bgpub("order", "export", "--csv", "kiln")[1] == text
