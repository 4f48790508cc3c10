"""`bgpub section ...`: shared sections, defined once and shown on many pages. `header` and `footer`
are the site-wide regions (pages opt out with `bgpub page set --no-header/--no-footer`); other names
are placed on a page with `bgpub section place`. Positions count from 1."""

from __future__ import annotations

import json
import sys
from typing import IO

import click

from bgpub.cli.confirmation import confirm_deletion, yes_option
from bgpub.cli.context import CliContext, pass_cli
from bgpub.errors import InvalidInput


@click.group()
def section() -> None:
    """Shared sections: the site header and footer, and named sections pages place."""


def _shown_users(pages: tuple[str, ...], sections: tuple[str, ...]) -> str:
    parts = [f"{len(pages)} page(s)"] + ([f"sections {', '.join(sections)}"] if sections else [])
    return ", ".join(parts)


@section.command("list")
@click.argument("project_ref", metavar="PROJECT")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_command(cli: CliContext, project_ref: str, as_json: bool) -> None:
    """The project's sections, with how many blocks they hold and who shows them."""
    from bgpub.services.sections import list_sections

    views = list_sections(cli.workspace().actor, project_ref)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "name": v.name,
                        "blocks": len(v.blocks),
                        "revision": v.revision,
                        "pages": list(v.pages),
                        "sections": list(v.sections),
                    }
                    for v in views
                ],
                indent=2,
                sort_keys=True,
            )
        )
        return
    if not views:
        click.echo(
            f"no sections; lift shared navbars and footers with 'bgpub section lift {project_ref}' "
            f"or start one with 'bgpub section new {project_ref} NAME'"
        )
        return
    width = max(len(v.name) for v in views)
    for v in views:
        click.echo(
            f"{v.name:<{width}}  {len(v.blocks)} block(s)  shown on {_shown_users(v.pages, v.sections)}"
        )


@section.command("show")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print JSON with every prop.")
@pass_cli
def show(cli: CliContext, project_ref: str, name: str, as_json: bool) -> None:
    """A section's blocks in order and the pages that show it."""
    from bgpub.services.sections import show_section

    view = show_section(cli.workspace().actor, project_ref, name)
    if as_json:
        click.echo(
            json.dumps(
                {
                    "name": view.name,
                    "blocks": list(view.blocks),
                    "pages": list(view.pages),
                    "sections": list(view.sections),
                    "revision": view.revision,
                },
                indent=2,
                ensure_ascii=False,
                sort_keys=True,
            )
        )
        return
    click.echo(
        f"section {view.name} (revision {view.revision}), shown on {_shown_users(view.pages, view.sections)}"
    )
    for position, block in enumerate(view.blocks, start=1):
        click.echo(f"{position:>3}  {block.get('component', '')}")
    if view.pages:
        click.echo("pages: " + ", ".join(view.pages))


@section.command("new")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@pass_cli
def new(cli: CliContext, project_ref: str, name: str) -> None:
    """Start an empty section NAME (lower-case words and hyphens)."""
    from bgpub.services.sections import create_section

    view = create_section(cli.workspace().actor, project_ref, name)
    click.echo(
        f"created section {view.name}; add blocks with 'bgpub section add-block {project_ref} {view.name} COMPONENT'"
    )


@section.command("rename")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@click.argument("new_name")
@pass_cli
def rename(cli: CliContext, project_ref: str, name: str, new_name: str) -> None:
    """Rename a section; the pages and sections placing it follow."""
    from bgpub.services.sections import rename_section

    view = rename_section(cli.workspace().actor, project_ref, name, new_name)
    click.echo(f"renamed section {name} to {view.name}")


@section.command("rm")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@click.option(
    "--force", is_flag=True, help="Delete the site header or footer even while pages show it."
)
@yes_option
@pass_cli
def remove(cli: CliContext, project_ref: str, name: str, force: bool, yes: bool) -> None:
    """Delete a section no page shows (asks first; --yes does not)."""
    from bgpub.services.sections import delete_section, show_section

    actor = cli.workspace().actor
    view = show_section(actor, project_ref, name)
    confirm_deletion(f"section {view.name} ({len(view.blocks)} blocks) of {project_ref}", yes)
    delete_section(actor, project_ref, name, force=force)
    click.echo(f"deleted section {view.name}")


@section.command("set")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@click.argument("source", type=click.File("r", encoding="utf-8"), metavar="FILE")
@pass_cli
def set_command(cli: CliContext, project_ref: str, name: str, source: IO[str]) -> None:
    """Replace the blocks of section NAME with FILE's JSON list (`-` reads stdin):
    `[{"component": "navbar", "props": {...}}]`. `header` and `footer` are created on first set."""
    from bgpub.services.sections import set_section_blocks

    where = (
        "stdin" if source is sys.stdin or getattr(source, "name", "") == "<stdin>" else source.name
    )
    try:
        blocks = json.loads(source.read())
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"malformed JSON: {exc.msg}", where=f"{where}:{exc.lineno}") from None
    view = set_section_blocks(cli.workspace().actor, project_ref, name, blocks)
    click.echo(
        f"section {view.name} now holds {len(view.blocks)} block(s), shown on {len(view.pages)} page(s)"
    )


@section.command("add-block")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@click.argument("component")
@click.option(
    "--at", type=click.IntRange(min=1), help="Position in the section (1 = first; default last)."
)
@click.option(
    "--prop", "props", multiple=True, metavar="NAME=VALUE", help="A prop value (repeatable)."
)
@pass_cli
def add_block(
    cli: CliContext,
    project_ref: str,
    name: str,
    component: str,
    at: int | None,
    props: tuple[str, ...],
) -> None:
    """Add a COMPONENT block to section NAME (`section` with --prop name=OTHER places another section)."""
    from bgpub.services.blocks import parse_assignments
    from bgpub.services.sections import SECTION_BLOCK, add_section_block

    actor = cli.workspace().actor
    if component == SECTION_BLOCK:
        values = dict(p.partition("=")[::2] for p in props)
    else:
        values = parse_assignments(actor, project_ref, component, props)
    view = add_section_block(
        actor, project_ref, name, component, values, at=None if at is None else at - 1
    )
    click.echo(
        f"section {view.name} now holds {len(view.blocks)} block(s), shown on {len(view.pages)} page(s)"
    )


@section.command("place")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@click.option("--page", "slug", required=True, help="The page to place it on.")
@click.option(
    "--at", type=click.IntRange(min=1), help="Position on the page (1 = first; default last)."
)
@pass_cli
def place(cli: CliContext, project_ref: str, name: str, slug: str, at: int | None) -> None:
    """Place section NAME on a page as a block: a reference, so editing the section changes the page."""
    from bgpub.services.sections import place_section

    index = place_section(
        cli.workspace().actor, project_ref, slug, name, at=None if at is None else at - 1
    )
    click.echo(f"placed section {name} as block {index + 1} of page {slug}")


@section.command("lift")
@click.argument("project_ref", metavar="PROJECT")
@click.option("--dry-run", is_flag=True, help="Say what would change; change nothing.")
@pass_cli
def lift(cli: CliContext, project_ref: str, dry_run: bool) -> None:
    """Turn the same navbar (first block) and footer (last block) of several pages into the shared
    header and footer; the site renders exactly as before."""
    from bgpub.services.section_lift import lift_sections

    plan = lift_sections(cli.workspace().actor, project_ref, dry_run=dry_run)
    verb = "would lift" if dry_run else "lifted"
    for item in plan.lifts:
        line = f"{verb} the {item.block.get('component')} of {len(item.pages)} page(s) into the shared {item.region}"
        if item.opted_out:
            line += f"; {', '.join(item.opted_out)} opt out of it"
        click.echo(line)
    for reason in plan.skipped:
        click.echo(f"left alone: {reason}")
