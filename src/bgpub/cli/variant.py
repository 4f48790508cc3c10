"""`bgpub variant ...`: a product's variants (size, colour...), each with its own SKU, price, stock,
image and Payment Link. A variant is named by its SKU, its name (`M / Blue`), its number or its id."""

from __future__ import annotations

from typing import Any

import click

from bgpub.cli.confirmation import Command, confirm_deletion, yes_option
from bgpub.cli.context import CliContext, pass_cli
from bgpub.cli.listing import rows_to_print
from bgpub.money import format_money, minor_units


def _fields(command: Command) -> Command:
    for option in reversed(
        [
            click.option("--sku", help="The variant's SKU ('' clears)."),
            click.option("--price", help="Its own price, e.g. 34.00 ('' uses the product's)."),
            click.option("--stock", help="Units in stock, or 'untracked'."),
            click.option("--image", help="An image asset ('' clears)."),
            click.option(
                "--payment-link",
                "payment_link",
                help="A https://buy.stripe.com/... link ('' clears).",
            ),
        ]
    ):
        command = option(command)
    return command


def _currency(cli: CliContext, project_ref: str, product: str) -> str:
    """The product's currency, which a --price is read in (the acting user is the command's own)."""
    from bgpub.services.products import get_product

    return get_product(cli.workspace().actor, project_ref, product).currency


@click.group()
def variant() -> None:
    """A product's variants: add, change, list and remove them."""


@variant.command("add")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("product")
@click.argument("options", nargs=-1, required=True, metavar="NAME=VALUE...")
@_fields
@pass_cli
def add(
    cli: CliContext, /, project_ref: str, product: str, options: tuple[str, ...], **fields: Any
) -> None:
    """Add a variant: `bgpub variant add kiln morning-mug Size=Large Colour=Oat --sku MUG-L --stock 5`."""
    from bgpub.services.variants import add_variant

    actor = cli.workspace().actor
    price = None
    if fields["price"]:
        price = minor_units(fields["price"], _currency(cli, project_ref, product), where="--price")
    view = add_variant(
        actor,
        project_ref,
        product,
        list(options),
        sku=fields["sku"],
        price_cents=price,
        stock=fields["stock"],
        image=fields["image"] or None,
        payment_link=fields["payment_link"],
    )
    click.echo(f"added variant {view.name} to product {product}")


@variant.command("set")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("product")
@click.argument("ref", metavar="VARIANT")
@click.argument("options", nargs=-1, metavar="[NAME=VALUE...]")
@_fields
@pass_cli
def set_command(
    cli: CliContext,
    /,
    project_ref: str,
    product: str,
    ref: str,
    options: tuple[str, ...],
    **fields: Any,
) -> None:
    """Change a variant's fields (and, given NAME=VALUE pairs, its options)."""
    from bgpub.services.variants import update_variant

    actor = cli.workspace().actor
    changes: dict[str, Any] = {}
    if options:
        changes["options"] = list(options)
    if fields["price"] is not None:
        changes["price_cents"] = (
            minor_units(fields["price"], _currency(cli, project_ref, product), where="--price")
            if fields["price"]
            else None
        )
    for name in ("sku", "stock", "payment_link"):
        if fields[name] is not None:
            changes[name] = fields[name]
    if fields["image"] is not None:
        changes["image"] = fields["image"] or None
    if not changes:
        raise click.UsageError("nothing to change: give NAME=VALUE options or a field option")
    view = update_variant(actor, project_ref, product, ref, **changes)
    click.echo(f"saved variant {view.name} of product {product}")


@variant.command("list")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("product")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_command(cli: CliContext, project_ref: str, product: str, as_json: bool) -> None:
    """The product's variants, in order."""
    from bgpub.services.products import get_product

    view = get_product(cli.workspace().actor, project_ref, product)
    empty = f"no variants; add one with 'bgpub variant add {project_ref} {product} Size=M'"
    if not rows_to_print(view.variants, as_json, empty):
        return
    width = max(len(v.name) for v in view.variants)
    for n, v in enumerate(view.variants, start=1):
        stock = (
            "untracked" if v.stock is None else ("sold out" if v.stock <= 0 else f"stock {v.stock}")
        )
        click.echo(
            f"{n:>2}  {v.name:<{width}}  {v.sku or '-':<12}  "
            f"{format_money(v.effective_price(view), view.currency):>12}  {stock}"
        )


@variant.command("rm")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("product")
@click.argument("ref", metavar="VARIANT")
@yes_option
@pass_cli
def remove(cli: CliContext, project_ref: str, product: str, ref: str, yes: bool) -> None:
    """Delete a variant (asks first; --yes does not)."""
    from bgpub.services.variants import get_variant, remove_variant

    actor = cli.workspace().actor
    view = get_variant(actor, project_ref, product, ref)
    confirm_deletion(f"variant {view.name} of product {product}", yes)
    remove_variant(actor, project_ref, product, ref)
    click.echo(f"removed variant {view.name} of product {product}")
