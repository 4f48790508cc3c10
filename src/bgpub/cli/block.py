"""`bgpub block ...`: a page's component instances. Positions count from 1; props are NAME=VALUE
(numbers and true/false parsed by the component's schema, list props as JSON text)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

import click

from bgpub.cli.confirmation import confirm_deletion, yes_option
from bgpub.cli.context import CliContext, pass_cli

if TYPE_CHECKING:
    from bgpub.domain.blocks import BlockView

PREFERRED = ("heading", "title", "name", "label", "text")


def _first_text(props: Mapping[str, object]) -> str:
    """The heading or first text prop (stored key order differs by database, so the order is fixed here)."""
    keys = [k for k in PREFERRED if k in props] + sorted(k for k in props if k not in PREFERRED)
    return next(
        (" ".join(v.split()) for v in (props[k] for k in keys) if isinstance(v, str) and v.strip()),
        "",
    )


def _summary(view: BlockView) -> str:
    """What `block list` shows of a block: its heading (a default one too), else its first list's items
    (`3 stats: happy customers, ...`), else the component's name."""
    text = _first_text(view.props)
    if not text:
        lists = [(k, v) for k, v in sorted(view.props.items()) if isinstance(v, list) and v]
        if lists:
            key, items = lists[0]
            shown = [t for t in (_first_text(i) for i in items if isinstance(i, dict)) if t]
            text = f"{len(items)} {key.replace('_', ' ')}" + (
                f": {', '.join(shown)}" if shown else ""
            )
    text = text or view.name or view.component
    return text if len(text) <= 50 else text[:47] + "..."


@click.group()
def block() -> None:
    """Add, change, order and remove the blocks (component instances) of a page."""


@block.command("add")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.argument("component")
@click.option(
    "--at", type=click.IntRange(min=1), help="Position on the page (1 = first; default last)."
)
@click.option(
    "--prop", "props", multiple=True, metavar="NAME=VALUE", help="A prop value (repeatable)."
)
@pass_cli
def add(
    cli: CliContext,
    project_ref: str,
    slug: str,
    component: str,
    at: int | None,
    props: tuple[str, ...],
) -> None:
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
def set_command(
    cli: CliContext, project_ref: str, slug: str, position: int, assignments: tuple[str, ...]
) -> None:
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
@yes_option
@pass_cli
def remove(cli: CliContext, project_ref: str, slug: str, position: int, yes: bool) -> None:
    """Remove block POSITION from the page (asks first; --yes does not)."""
    from bgpub.services.blocks import list_blocks, remove_block

    actor = cli.workspace().actor
    shown = {v.position: v for v in list_blocks(actor, project_ref, slug)}
    if position in shown:  # a wrong position is refused by remove_block, naming the page's blocks
        confirm_deletion(f"block {position} ({shown[position].component}) of page {slug}", yes)
    view = remove_block(actor, project_ref, slug, position - 1)
    click.echo(f"removed block {position} ({view.component}) from page {slug}")


@block.command("list")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with every prop.")
@pass_cli
def list_command(cli: CliContext, project_ref: str, slug: str, as_json: bool) -> None:
    """The blocks of page SLUG in order."""
    from bgpub.services.blocks import describe_blocks, list_blocks

    actor = cli.workspace().actor
    if as_json:
        views = list_blocks(actor, project_ref, slug)
        click.echo(
            json.dumps(
                [
                    {"position": v.position, "component": v.component, "props": v.props}
                    for v in views
                ],
                indent=2,
                ensure_ascii=False,
                sort_keys=True,
            )
        )
        return
    views = describe_blocks(actor, project_ref, slug)
    if not views:
        click.echo(
            f"page {slug} has no blocks; add one with 'bgpub block add {project_ref} {slug} COMPONENT'"
        )
        return
    width = max(len(v.component) for v in views)
    for v in views:
        click.echo(f"{v.position:>3}  {v.component:<{width}}  {_summary(v)}")
