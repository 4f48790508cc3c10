"""`bgpub block ...`: a page's component instances. Positions count from 1; props are NAME=VALUE
(numbers and true/false parsed by the component's schema, list props as JSON text)."""

from __future__ import annotations

import json

import click

from bgpub.cli.context import CliContext, pass_cli

PREFERRED = ("heading", "title", "name", "label", "text")


def _summary(props: dict) -> str:
    """The block's heading or first text prop, for `block list` (stored key order differs by database)."""
    keys = [k for k in PREFERRED if k in props] + sorted(k for k in props if k not in PREFERRED)
    for value in (props[k] for k in keys):
        if isinstance(value, str) and value.strip():
            text = " ".join(value.split())
            return text if len(text) <= 50 else text[:47] + "..."
    return ""


@click.group()
def block() -> None:
    """Add, change, order and remove the blocks (component instances) of a page."""


@block.command("add")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.argument("component")
@click.option("--at", type=click.IntRange(min=1), help="Position on the page (1 = first; default last).")
@click.option("--prop", "props", multiple=True, metavar="NAME=VALUE", help="A prop value (repeatable).")
@pass_cli
def add(cli: CliContext, project_ref: str, slug: str, component: str, at: int | None, props: tuple[str, ...]) -> None:
    """Add a COMPONENT block to page SLUG: `bgpub block add demo home hero --prop heading=Hello`."""
    from bgpub.services.blocks import add_block, parse_assignments

    actor = cli.workspace().actor
    values = parse_assignments(actor, project_ref, component, props, slug=slug)
    view = add_block(actor, project_ref, slug, component, values, at=None if at is None else at - 1)
    click.echo(f"added block {view.position} ({component}) to page {slug}")


@block.command("set")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.argument("position", type=click.IntRange(min=1))
@click.argument("assignments", nargs=-1, required=True, metavar="NAME=VALUE...")
@pass_cli
def set_command(cli: CliContext, project_ref: str, slug: str, position: int, assignments: tuple[str, ...]) -> None:
    """Set props of block POSITION (an empty VALUE of a number, choice or asset prop resets it)."""
    from bgpub.services.blocks import parse_assignments, set_props

    actor = cli.workspace().actor
    values = parse_assignments(actor, project_ref, None, assignments, slug=slug, index=position - 1)
    view = set_props(actor, project_ref, slug, position - 1, values)
    click.echo(f"updated block {view.position} ({view.component}) on page {slug}")


@block.command("move")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.argument("position", type=click.IntRange(min=1))
@click.argument("to", type=click.IntRange(min=1))
@pass_cli
def move(cli: CliContext, project_ref: str, slug: str, position: int, to: int) -> None:
    """Move block POSITION to position TO."""
    from bgpub.services.blocks import move_block

    view = move_block(cli.workspace().actor, project_ref, slug, position - 1, to - 1)
    click.echo(f"moved block {position} ({view.component}) to position {to}")


@block.command("duplicate")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.argument("position", type=click.IntRange(min=1))
@pass_cli
def duplicate(cli: CliContext, project_ref: str, slug: str, position: int) -> None:
    """Insert a copy of block POSITION right after it."""
    from bgpub.services.blocks import duplicate_block

    view = duplicate_block(cli.workspace().actor, project_ref, slug, position - 1)
    click.echo(f"duplicated block {position} as block {view.position} ({view.component})")


@block.command("rm")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.argument("position", type=click.IntRange(min=1))
@pass_cli
def remove(cli: CliContext, project_ref: str, slug: str, position: int) -> None:
    """Remove block POSITION from the page."""
    from bgpub.services.blocks import remove_block

    view = remove_block(cli.workspace().actor, project_ref, slug, position - 1)
    click.echo(f"removed block {position} ({view.component}) from page {slug}")


@block.command("list")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with every prop.")
@pass_cli
def list_command(cli: CliContext, project_ref: str, slug: str, as_json: bool) -> None:
    """The blocks of page SLUG in order."""
    from bgpub.services.blocks import list_blocks

    views = list_blocks(cli.workspace().actor, project_ref, slug)
    if as_json:
        click.echo(json.dumps([{"position": v.position, "component": v.component, "props": v.props} for v in views],
                              indent=2, ensure_ascii=False, sort_keys=True))
        return
    if not views:
        click.echo(f"page {slug} has no blocks; add one with 'bgpub block add {project_ref} {slug} COMPONENT'")
        return
    width = max(len(v.component) for v in views)
    for v in views:
        click.echo(f"{v.position:>3}  {v.component:<{width}}  {_summary(v.props)}")
