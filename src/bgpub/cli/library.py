"""`bgpub library ...`: sync components/ into the database, list components, save customised ones."""

from __future__ import annotations

import json

import click

from bgpub.cli.confirmation import confirm_deletion, yes_option
from bgpub.cli.context import CliContext, pass_cli


@click.group()
def library() -> None:
    """The component library: sync, list, and your organization's saved components."""


@library.command("sync")
@pass_cli
def sync(cli: CliContext) -> None:
    """Load components/ into the database (adds new, updates changed, deletes nothing)."""
    from bgpub.services.library import sync_library

    report = sync_library(cli.workspace().actor)
    click.echo(
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged"
    )
    for key in report.missing:
        click.echo(
            f"warning: {key} is in the database but no longer in components/ (kept)", err=True
        )


@library.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with each component's props.")
@pass_cli
def list_command(cli: CliContext, as_json: bool) -> None:
    """Library components and your organizations' saved components."""
    from bgpub.services.library import list_library

    entries = list_library(cli.workspace().actor)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "key": e.key,
                        "name": e.name,
                        "type": e.type,
                        "description": e.description,
                        "base": e.base,
                        "organization": e.organization,
                        "defaults": e.defaults,
                        "props": [
                            {
                                k: getattr(p, k)
                                for k in ("name", "type", "required", "default", "help")
                            }
                            for p in e.props
                        ],
                    }
                    for e in entries
                ],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if not entries:
        click.echo("the library is empty; run 'bgpub library sync'")
        return
    width = max(len(e.key) for e in entries)
    for e in entries:
        origin = f"  (saved in {e.organization}, based on {e.base})" if e.base else ""
        click.echo(f"{e.key:<{width}}  {e.type:<10} {e.description}{origin}")


@library.command("save")
@click.argument("key")
@click.argument("base")
@click.option("--name", help="Display name (default: the base component's).")
@click.option("--description", default="")
@click.option(
    "--default",
    "defaults",
    multiple=True,
    metavar="NAME=VALUE",
    help="A default prop value (repeatable).",
)
@click.option(
    "--org", "organization", metavar="SLUG", help="Organization to save it in (default: yours)."
)
@pass_cli
def save(
    cli: CliContext,
    key: str,
    base: str,
    name: str | None,
    description: str,
    defaults: tuple[str, ...],
    organization: str | None,
) -> None:
    """Save a customised component KEY based on library component BASE with its own defaults."""
    from bgpub.services.blocks import parse_assignments
    from bgpub.services.library import save_component

    actor = cli.workspace().actor
    values = parse_assignments(actor, None, base, defaults)
    save_component(
        actor,
        key,
        base,
        name=name,
        description=description,
        defaults=values,
        organization=organization,
    )
    click.echo(f"saved component {key} (based on {base})")


@library.command("rm")
@click.argument("key")
@click.option("--org", "organization", metavar="SLUG")
@yes_option
@pass_cli
def remove(cli: CliContext, key: str, organization: str | None, yes: bool) -> None:
    """Delete a saved component (asks first; refused while a page uses it)."""
    from bgpub.services.library import remove_component

    actor = cli.workspace().actor
    confirm_deletion(f"saved component {key}", yes)
    remove_component(actor, key, organization=organization)
    click.echo(f"removed saved component {key}")
