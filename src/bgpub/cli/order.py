"""`bgpub order list|show|fulfil|refund-note|forget-buyer|totals|export|publish-due`: the shop's orders.

Orders arrive from Stripe through `bgpub collect`; here they are read, fulfilled and annotated. There
is no `order rm`: orders are financial records. Amounts are formatted with Babel for the site's
language (`£53.00`, `53,00 €`); `--json` and the CSV keep integer minor units or plain decimals.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from bgpub.cli.context import CliContext, pass_cli
from bgpub.errors import InvalidInput

if TYPE_CHECKING:
    from bgpub.domain.orders import OrderView

STATUSES = ("PENDING", "PAID", "FULFILLED", "CANCELED", "REFUNDED")


def _money(cents: int, currency: str, language: str) -> str:
    from bgpub.money import format_money

    return format_money(cents, currency, language)


def _as_json(view: OrderView) -> dict[str, object]:
    return {
        "number": view.number,
        "status": view.status,
        "created_at": view.created_at.isoformat(),
        "customer_name": view.customer_name,
        "customer_email": view.customer_email,
        "total_cents": view.total_cents,
        "currency": view.currency,
        "fulfilled_at": view.fulfilled_at.isoformat() if view.fulfilled_at else None,
        "refunded_at": view.refunded_at.isoformat() if view.refunded_at else None,
        "refund_note": view.refund_note,
        "lines": [
            {
                "name": line.name,
                "sku": line.sku,
                "quantity": line.quantity,
                "unit_price_cents": line.unit_price_cents,
                "oversold": line.oversold,
            }
            for line in view.lines
        ],
    }


def _summary(view: OrderView) -> str:
    flag = f"  OVERSOLD {view.oversold}" if view.oversold else ""
    items = sum(line.quantity for line in view.lines)
    who = view.customer_name or view.customer_email or "-"
    total = _money(view.total_cents, view.currency, view.language)
    return (
        f"#{view.number:<5} {view.created_at:%Y-%m-%d %H:%M}  {view.status:<9} {total:>12}  "
        f"{items:>3} item(s)  {who}{flag}"
    )


@click.group()
def order() -> None:
    """The shop's orders: list, show, fulfil, note refunds, export."""


@order.command("list")
@click.argument("project_ref", metavar="PROJECT")
@click.option(
    "--status", type=click.Choice(STATUSES, case_sensitive=False), help="Only this status."
)
@click.option("--oversold", is_flag=True, help="Only orders with a line sold beyond the stock.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (amounts in minor units).")
@pass_cli
def list_command(
    cli: CliContext, project_ref: str, status: str | None, oversold: bool, as_json: bool
) -> None:
    """List a project's orders, newest first: `bgpub order list kiln --status PAID`."""
    from bgpub.services.orders import list_orders

    views = list_orders(cli.workspace().actor, project_ref, status=status, oversold_only=oversold)
    if as_json:
        click.echo(json.dumps([_as_json(v) for v in views], indent=2, ensure_ascii=False))
    elif not views:
        click.echo("no orders")
    else:
        for view in views:
            click.echo(_summary(view))


@order.command("show")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("number")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (amounts in minor units).")
@pass_cli
def show_command(cli: CliContext, project_ref: str, number: str, as_json: bool) -> None:
    """One order with its lines: `bgpub order show kiln 12`."""
    from bgpub.services.orders import get_order

    view = get_order(cli.workspace().actor, project_ref, number)
    if as_json:
        click.echo(json.dumps(_as_json(view), indent=2, ensure_ascii=False))
        return
    click.echo(f"order #{view.number}  {view.status}  {view.created_at:%Y-%m-%d %H:%M} UTC")
    click.echo(f"buyer: {view.customer_name or '-'} <{view.customer_email or '-'}>")
    for line in view.lines:
        price = _money(line.unit_price_cents, view.currency, view.language)
        total = _money(line.total_cents, view.currency, view.language)
        flag = f"  OVERSOLD {line.oversold} (not in stock)" if line.oversold else ""
        click.echo(
            f"  {line.quantity} x {line.name} [{line.sku or '-'}] at {price} = {total}{flag}"
        )
    click.echo(f"total charged: {_money(view.total_cents, view.currency, view.language)}")
    if view.fulfilled_at:
        click.echo(f"fulfilled: {view.fulfilled_at:%Y-%m-%d %H:%M} UTC")
    if view.refunded_at:
        click.echo(f"refunded: {view.refunded_at:%Y-%m-%d %H:%M} UTC")
    if view.refund_note:
        click.echo(f"refund note: {view.refund_note}")


@order.command("fulfil")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("number")
@pass_cli
def fulfil_command(cli: CliContext, project_ref: str, number: str) -> None:
    """Mark a PAID order FULFILLED (shipped or handed over)."""
    from bgpub.services.orders import fulfil_order

    view = fulfil_order(cli.workspace().actor, project_ref, number)
    click.echo(f"order #{view.number} is {view.status}")


@order.command("refund-note")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("number")
@click.argument("note")
@pass_cli
def refund_note_command(cli: CliContext, project_ref: str, number: str, note: str) -> None:
    """Record why or how an order was refunded (the refund itself is made in Stripe)."""
    from bgpub.services.orders import note_refund

    view = note_refund(cli.workspace().actor, project_ref, number, note)
    click.echo(f"order #{view.number}: refund note recorded")


@order.command("forget-buyer")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("email")
@pass_cli
def forget_buyer_command(cli: CliContext, project_ref: str, email: str) -> None:
    """Blank a buyer's name and e-mail on the project's orders (their request); amounts stay."""
    from bgpub.services.orders import forget_buyer

    changed = forget_buyer(cli.workspace().actor, project_ref, email)
    click.echo(f"{changed} order(s) no longer name the buyer")


@order.command("totals")
@click.argument("project_ref", metavar="PROJECT")
@click.option("--days", type=click.IntRange(1, 3660), default=30, show_default=True)
@pass_cli
def totals_command(cli: CliContext, project_ref: str, days: int) -> None:
    """Orders and takings per day (refunded and canceled orders left out)."""
    from bgpub.services.orders import list_day_totals
    from bgpub.services.projects import show_project

    actor = cli.workspace().actor
    language = show_project(actor, project_ref).language
    rows = list_day_totals(actor, project_ref, days=days)
    if not rows:
        click.echo("no orders")
    for row in rows:
        click.echo(
            f"{row.day:%Y-%m-%d}  {row.orders:>4} order(s)  "
            f"{_money(row.total_cents, row.currency, language):>14}"
        )


@order.command("export")
@click.argument("project_ref", metavar="PROJECT")
@click.option(
    "--csv", "as_csv", is_flag=True, help="CSV, one row per order line (the only format)."
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of standard output.",
)
@click.option(
    "--status", type=click.Choice(STATUSES, case_sensitive=False), help="Only this status."
)
@pass_cli
def export_command(
    cli: CliContext, project_ref: str, as_csv: bool, output: Path | None, status: str | None
) -> None:
    """Every order line as CSV for a spreadsheet: `bgpub order export --csv kiln -o orders.csv`."""
    if not as_csv:
        raise InvalidInput("say --csv (the export's one format)", where="order export")
    from bgpub.services.order_export import orders_csv
    from bgpub.services.orders import list_orders

    text = orders_csv(list_orders(cli.workspace().actor, project_ref, status=status))
    if output is None:
        click.echo(text, nl=False)
        return
    output.write_text(text, encoding="utf-8", newline="")
    click.echo(f"wrote {output}")


@order.command("publish-due")
@pass_cli
def publish_due_command(cli: CliContext) -> None:
    """Publish the projects a sell-out asked to publish (setting publish_on_sellout); cron it."""
    from bgpub.services.sellout_publishing import run_sellout_publishes

    outcomes = run_sellout_publishes(cli.workspace().actor)
    if not outcomes:
        click.echo("nothing to publish")
    failed = False
    for outcome in outcomes:
        if outcome.error:
            failed = True
            click.echo(f"{outcome.project}: not published: {outcome.error}", err=True)
        else:
            click.echo(f"{outcome.project}: published version {outcome.version} ({outcome.reason})")
    if failed:
        raise SystemExit(1)
