"""`bgpub product ...`: the shop's catalogue from the terminal: new, edit (the description in $EDITOR),
list, show, rm, and Shopify-format CSV import and export."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bgpub.cli.confirmation import Command, confirm_deletion, stdin_is_terminal, yes_option
from bgpub.cli.context import CliContext, pass_cli
from bgpub.cli.listing import echo_json, rows_to_print
from bgpub.cli.text_files import read_utf8
from bgpub.errors import InvalidInput
from bgpub.money import decimal_text, format_money, minor_units

if TYPE_CHECKING:
    from bgpub.services.product_views import ProductView


def _stock_text(stock: int | None) -> str:
    return "untracked" if stock is None else str(stock)


def _amount(value: str | None, currency: str, field: str) -> int | None:
    return (
        None
        if value in (None, "")
        else minor_units(value, currency, where=f"--{field}", field=field)
    )


def catalogue_options(command: Command) -> Command:
    """The field options `product new` and `product edit` share."""
    for option in reversed(
        [
            click.option("--price", help="Price, e.g. 28.00 (in the currency's units)."),
            click.option("--currency", help="ISO 4217 code, e.g. GBP (new products: EUR)."),
            click.option(
                "--compare-at", "compare_at", help="The 'was' price, e.g. 32.00 ('' clears)."
            ),
            click.option("--sku", help="Stock keeping unit ('' clears)."),
            click.option("--stock", help="Units in stock, or 'untracked'."),
            click.option("--weight", help="Weight in grams ('' clears)."),
            click.option(
                "--image", "images", multiple=True, help="An image asset, in order (repeat)."
            ),
            click.option("--tag", "tags", multiple=True, help="A tag or collection (repeat)."),
            click.option("--status", help="DRAFT, ACTIVE or ARCHIVED."),
            click.option(
                "--payment-link",
                "payment_link",
                help="A https://buy.stripe.com/... link ('' clears).",
            ),
            click.option("--slug", "new_slug", help="URL slug (default: from the title)."),
        ]
    ):
        command = option(command)
    return command


@click.group()
def product() -> None:
    """The shop's products: add, edit, list, import and export them."""


@product.command("new")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("title")
@catalogue_options
@click.option("--description", help="Markdown description.")
@click.option(
    "--description-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the Markdown description from this file.",
)
@pass_cli
def new(
    cli: CliContext,
    /,
    project_ref: str,
    title: str,
    description: str | None,
    description_file: Path | None,
    **fields: Any,
) -> None:
    """Add a product: `bgpub product new kiln "Morning mug" --price 28.00 --currency GBP --status ACTIVE`."""
    from bgpub.services.products import create_product

    currency = fields["currency"] or "EUR"
    if description_file is not None:
        description = read_utf8(description_file, str(description_file))
    view = create_product(
        cli.workspace().actor,
        project_ref,
        title,
        slug=fields["new_slug"] or None,
        price_cents=_amount(fields["price"], currency, "price") or 0,
        currency=currency,
        description=description or "",
        compare_at_cents=_amount(fields["compare_at"], currency, "compare-at"),
        images=fields["images"],
        status=fields["status"] or "DRAFT",
        sku=fields["sku"],
        stock=fields["stock"],
        weight_grams=fields["weight"],
        tags=fields["tags"],
        payment_link=fields["payment_link"],
    )
    click.echo(
        f"{view.status.lower()} product {view.slug} at {format_money(view.price_cents, view.currency)}"
    )


@product.command("edit")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.option("--title", help="A new title.")
@catalogue_options
@click.option(
    "--description-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Replace the description with this Markdown file instead of opening the editor.",
)
@click.option(
    "--edit/--no-edit",
    "edit",
    default=None,
    help="Open the description in $VISUAL/$EDITOR (default: when no field is given, on a terminal).",
)
@pass_cli
def edit_command(
    cli: CliContext,
    /,
    project_ref: str,
    slug: str,
    title: str | None,
    description_file: Path | None,
    edit: bool | None,
    **fields: Any,
) -> None:
    """Change a product's fields; with none given, its Markdown description opens in your editor."""
    from bgpub.services.products import get_product, update_product

    actor = cli.workspace().actor
    view = get_product(actor, project_ref, slug)
    currency = fields["currency"] or view.currency
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = title
    if fields["new_slug"]:
        changes["new_slug"] = fields["new_slug"]
    if fields["currency"]:
        changes["currency"] = fields["currency"]
    if fields["price"] is not None:
        changes["price_cents"] = _amount(fields["price"], currency, "price")
    if fields["compare_at"] is not None:
        changes["compare_at_cents"] = _amount(fields["compare_at"], currency, "compare-at")
    for name in ("sku", "stock", "status", "payment_link"):
        if fields[name] is not None:
            changes[name] = fields[name]
    if fields["weight"] is not None:
        changes["weight_grams"] = fields["weight"]
    if fields["images"]:
        changes["images"] = list(fields["images"])
    if fields["tags"]:
        changes["tags"] = list(fields["tags"])
    if description_file is not None:
        changes["description"] = read_utf8(description_file, str(description_file))
    use_editor = (not changes and stdin_is_terminal()) if edit is None else edit
    if use_editor:
        described = _edit_description(
            view.description,
            lambda text: update_product(actor, project_ref, slug, description=text, **changes),
        )
        saved = (
            described
            if described is not None
            else (update_product(actor, project_ref, slug, **changes) if changes else None)
        )
    elif changes:
        saved = update_product(actor, project_ref, slug, **changes)
    else:
        raise click.UsageError(
            "nothing to change: give a field option, --description-file or --edit"
        )
    if saved is None or saved == view:
        click.echo(f"product {slug} unchanged: nothing was saved")
        return
    click.echo(f"saved product {saved.slug}")


def _edit_description(text: str, save: Callable[[str], ProductView]) -> ProductView | None:
    """Opens $VISUAL/$EDITOR on the description until `save(text)` accepts it; None if unchanged."""
    shown, last = text, None
    while True:
        edited = click.edit(shown, extension=".md", require_save=False)
        content = shown if edited is None else edited
        if content == text:
            return None
        try:
            return save(content)
        except InvalidInput as exc:
            if content == last:  # saved again without a change: give up with the error
                raise
            click.echo(f"error: {exc}", err=True)
            shown = last = content


@product.command("list")
@click.argument("project_ref", metavar="PROJECT")
@click.option("--status", help="DRAFT, ACTIVE or ARCHIVED.")
@click.option("--search", help="Text in the title, slug, SKU or description.")
@click.option("--tag", help="Only products with this tag or collection.")
@click.option("--stock", type=click.Choice(["in", "low", "out", "untracked"]), help="Stock state.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_command(
    cli: CliContext,
    project_ref: str,
    status: str | None,
    search: str | None,
    tag: str | None,
    stock: str | None,
    as_json: bool,
) -> None:
    """The products, newest first."""
    from bgpub.services.products import list_products

    rows = list_products(
        cli.workspace().actor, project_ref, status=status, search=search, tag=tag, stock=stock
    )
    empty = f"no products; add one with 'bgpub product new {project_ref} \"Title\" --price 10.00'"
    if not rows_to_print(rows, as_json, empty):
        return
    width = max(len(p.slug) for p in rows)
    for p in rows:
        state = "sold out" if p.sold_out else f"stock {_stock_text(p.total_stock)}"
        variants = f"  {len(p.variants)} variants" if p.variants else ""
        click.echo(
            f"{p.status:<8}  {p.slug:<{width}}  {format_money(p.price_cents, p.currency):>12}  "
            f"{state}{variants}  {p.title}"
        )


@product.command("show")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def show(cli: CliContext, project_ref: str, slug: str, as_json: bool) -> None:
    """Every field of a product, its variants and its description."""
    from bgpub.services.products import get_product

    p = get_product(cli.workspace().actor, project_ref, slug)
    if as_json:
        echo_json(p.as_json())
        return

    def money(cents: int) -> str:
        return format_money(cents, p.currency)

    lines = [
        f"title:        {p.title}",
        f"slug:         {p.slug}",
        f"status:       {p.status}",
        f"price:        {money(p.price_cents)} ({decimal_text(p.price_cents, p.currency)} {p.currency})",
        f"compare at:   {money(p.compare_at_cents) if p.compare_at_cents is not None else '-'}",
        f"sku:          {p.sku or '-'}",
        f"stock:        {_stock_text(p.stock)}",
        f"weight:       {f'{p.weight_grams} g' if p.weight_grams is not None else '-'}",
        f"tags:         {', '.join(p.tags) or '-'}",
        f"images:       {', '.join(p.images) or '-'}",
        f"payment link: {p.payment_link or '-'}",
    ]
    for n, v in enumerate(p.variants, start=1):
        price = money(v.effective_price(p))
        lines.append(
            f"variant {n}:    {v.name}  sku {v.sku or '-'}  {price}  stock {_stock_text(v.stock)}"
            + (f"  image {v.image}" if v.image else "")
            + (f"  {v.payment_link}" if v.payment_link else "")
        )
    click.echo("\n".join(lines))
    if p.description:
        click.echo("\n" + p.description.rstrip("\n"))


@product.command("rm")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@yes_option
@pass_cli
def remove(cli: CliContext, project_ref: str, slug: str, yes: bool) -> None:
    """Delete a product and its variants (asks first; --yes does not). Orders keep their lines."""
    from bgpub.services.products import get_product, remove_product

    actor = cli.workspace().actor
    view = get_product(actor, project_ref, slug)
    confirm_deletion(
        f"product {slug} ({view.title!r}, {len(view.variants)} variants) of {project_ref}", yes
    )
    remove_product(actor, project_ref, slug)
    click.echo(f"removed product {slug}")


@product.command("import")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--currency", default="EUR", show_default=True, help="Currency of the CSV's prices.")
@click.option(
    "--status", help="Status of new products (default: the CSV's Status column, else ACTIVE)."
)
@pass_cli
def import_command(
    cli: CliContext, project_ref: str, source: Path, currency: str, status: str | None
) -> None:
    """Products from a Shopify product CSV (Handle, Title, Body (HTML), Option1 Name/Value...); all or nothing."""
    from bgpub.services.product_csv import import_products

    try:
        handle = sys.stdin.buffer if str(source) == "-" else source.open("rb")
    except OSError as exc:
        raise InvalidInput(exc.strerror or "cannot be read", where=str(source)) from None
    with handle:
        report = import_products(
            cli.workspace().actor,
            project_ref,
            handle,
            currency=currency,
            status=status,
            where=str(source),
        )
    click.echo(
        f"imported {report.created} new and {report.updated} updated products "
        f"({report.variants} variants) from {source}"
    )


@product.command("export")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path), required=False)
@pass_cli
def export_command(cli: CliContext, project_ref: str, target: Path | None) -> None:
    """The catalogue as a Shopify product CSV (to TARGET, or standard output)."""
    from bgpub.services.product_csv_export import export_products

    text = export_products(cli.workspace().actor, project_ref)
    if target is None or str(target) == "-":
        click.echo(text, nl=False)
        return
    try:
        target.write_text(text, encoding="utf-8", newline="")
    except OSError as exc:
        raise InvalidInput(exc.strerror or "cannot be written", where=str(target)) from None
    click.echo(f"exported {text.count(chr(10)) - 1} rows to {target}")
