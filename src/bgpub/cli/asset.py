"""`bgpub asset ...`: add, list and remove a project's files (images, documents, fonts, video)."""

from __future__ import annotations

import json

import click

from bgpub.cli.confirmation import confirm_deletion, yes_option
from bgpub.cli.context import CliContext, pass_cli


@click.group()
def asset() -> None:
    """Add, list and remove a project's files."""


@asset.command("add")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("--alt", default="", help="Alternative text, read out by screen readers.")
@click.option("--name", help="Name to refer to it by in props (default: from the file name).")
@pass_cli
def add(cli: CliContext, project_ref: str, file: str, alt: str, name: str | None) -> None:
    """Store FILE as an asset of PROJECT: `bgpub asset add demo logo.png --alt "Acme logo"`."""
    from bgpub.services.assets import add_asset

    created = add_asset(cli.workspace().actor, project_ref, file, name=name, alt=alt)
    size = f", {created.width}x{created.height}" if created.width else ""
    click.echo(f"added asset {created.name} ({created.mime}, {created.size} bytes{size})")


@asset.command("list")
@click.argument("project_ref", metavar="PROJECT")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_command(cli: CliContext, project_ref: str, as_json: bool) -> None:
    """The project's assets by name."""
    from bgpub.services.assets import list_assets

    rows = list_assets(cli.workspace().actor, project_ref)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "name": a.name,
                        "type": a.type,
                        "mime": a.mime,
                        "size": a.size,
                        "sha256": a.hash,
                        "alt": a.alt,
                        "width": a.width,
                        "height": a.height,
                        "focus_x": a.focus[0] if a.focus else None,
                        "focus_y": a.focus[1] if a.focus else None,
                    }
                    for a in rows
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if not rows:
        click.echo(f"no assets yet; add one with 'bgpub asset add {project_ref} FILE'")
        return
    width = max(len(a.name) for a in rows)
    for a in rows:
        dims = f"{a.width}x{a.height}" if a.width else "-"
        click.echo(f"{a.name:<{width}}  {a.mime:<16} {a.size:>9}  {dims:<11} {a.alt}")


@asset.command("rm")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@yes_option
@pass_cli
def remove(cli: CliContext, project_ref: str, name: str, yes: bool) -> None:
    """Remove an asset (asks first; refused while a page uses it)."""
    from bgpub.services.assets import remove_asset, show_asset

    actor = cli.workspace().actor
    confirm_deletion(f"asset {show_asset(actor, project_ref, name).name} of {project_ref}", yes)
    remove_asset(actor, project_ref, name)
    click.echo(f"removed asset {name}")


@asset.command("alt")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@click.argument("text")
@pass_cli
def alt_command(cli: CliContext, project_ref: str, name: str, text: str) -> None:
    """Set an asset's alternative text."""
    from bgpub.services.assets import set_alt

    set_alt(cli.workspace().actor, project_ref, name, text)
    click.echo(f"updated alt text of {name}")


def _unit(value: str, name: str) -> float:
    """A focal point coordinate from `0.3` or `30%`."""
    text = value.strip()
    try:
        return float(text[:-1]) / 100 if text.endswith("%") else float(text)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not a number from 0 to 1 or a percentage", param_hint=name
        ) from None


@asset.command("focus")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@click.argument("x")
@click.argument("y")
@pass_cli
def focus_command(cli: CliContext, project_ref: str, name: str, x: str, y: str) -> None:
    """Set an image's focal point, kept in view when a card, cover or share image crops it.

    X and Y go from 0 (left, top) to 1 (right, bottom), or as percentages:
    `bgpub asset focus demo team.jpg 0.5 0.25` or `... 50% 25%`.
    """
    from bgpub.services.assets import set_focus

    done = set_focus(cli.workspace().actor, project_ref, name, _unit(x, "X"), _unit(y, "Y"))
    across, down = done.focus or (0.5, 0.5)  # set_focus always stores a point
    click.echo(f"focal point of {name}: {across * 100:g}% across, {down * 100:g}% down")
