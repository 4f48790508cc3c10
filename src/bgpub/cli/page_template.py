"""`bgpub page template ...`: save a page as a template, list the organization's templates, remove one.

New pages start from a template with `bgpub page add PROJECT SLUG --template NAME`.
"""

from __future__ import annotations

import json

import click

from bgpub.cli.confirmation import confirm_deletion, yes_option
from bgpub.cli.context import CliContext, pass_cli


@click.group("template")
def template() -> None:
    """Page templates of the project's organization (shared by all its projects)."""


@template.command("save")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.argument("name")
@click.option("--description", default="", help="What the template is for.")
@click.option("--replace", is_flag=True, help="Replace a template of that name.")
@pass_cli
def save(
    cli: CliContext, project_ref: str, slug: str, name: str, description: str, replace: bool
) -> None:
    """Save page SLUG of PROJECT as template NAME: `bgpub page template save demo pricing pricing-page`."""
    from bgpub.services.page_templates import save_page_template

    saved = save_page_template(
        cli.workspace().actor, project_ref, slug, name, description=description, replace=replace
    )
    click.echo(
        f"saved page {slug} as template {saved.name} ({len(saved.blocks)} blocks) "
        f"in organization {saved.organization}"
    )


@template.command("list")
@click.argument("project_ref", metavar="PROJECT")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_command(cli: CliContext, project_ref: str, as_json: bool) -> None:
    """The templates PROJECT's organization offers, by name."""
    from bgpub.services.page_templates import list_page_templates

    rows = list_page_templates(cli.workspace().actor, project_ref)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "name": t.name,
                        "title": t.title,
                        "description": t.description,
                        "blocks": len(t.blocks),
                        "components": list(t.components),
                        "source": t.source,
                    }
                    for t in rows
                ],
                indent=2,
            )
        )
        return
    if not rows:
        click.echo(
            f"no page templates yet; save one with 'bgpub page template save {project_ref} SLUG NAME'"
        )
        return
    width = max(len(t.name) for t in rows)
    for t in rows:
        about = f"  {t.description}" if t.description else ""
        click.echo(f"{t.name:<{width}}  [{len(t.blocks)} blocks]  from {t.source}{about}")


@template.command("rm")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@yes_option
@pass_cli
def remove(cli: CliContext, project_ref: str, name: str, yes: bool) -> None:
    """Delete template NAME (pages made from it keep their blocks; asks first, --yes does not)."""
    from bgpub.services.page_templates import get_page_template, remove_page_template

    actor = cli.workspace().actor
    found = get_page_template(actor, project_ref, name)
    confirm_deletion(
        f"page template {name} ({len(found.blocks)} blocks) of organization {found.organization}",
        yes,
    )
    remove_page_template(actor, project_ref, name)
    click.echo(f"removed page template {name}")
