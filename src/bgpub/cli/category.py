"""`bgpub category ...`: the blog's categories."""

from __future__ import annotations

import json

import click

from bgpub.cli.confirmation import confirm_deletion, yes_option
from bgpub.cli.context import CliContext, pass_cli


@click.group()
def category() -> None:
    """Add, list, rename and remove blog categories."""


@category.command("add")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@pass_cli
def add(cli: CliContext, project_ref: str, name: str) -> None:
    """Add a category (its slug comes from the name)."""
    from bgpub.services.taxonomy import add_category

    view = add_category(cli.workspace().actor, project_ref, name)
    click.echo(f"added category {view.name} ({view.slug})")


@category.command("list")
@click.argument("project_ref", metavar="PROJECT")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_command(cli: CliContext, project_ref: str, as_json: bool) -> None:
    """Categories with their post counts."""
    from bgpub.services.taxonomy import list_categories

    rows = list_categories(cli.workspace().actor, project_ref)
    if as_json:
        click.echo(
            json.dumps(
                [{"name": c.name, "slug": c.slug, "posts": c.posts} for c in rows],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if not rows:
        click.echo(f"no categories; add one with 'bgpub category add {project_ref} NAME'")
    for c in rows:
        click.echo(f"{c.slug}  {c.name}  [{c.posts} post{'' if c.posts == 1 else 's'}]")


@category.command("rename")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@click.argument("new_name")
@pass_cli
def rename(cli: CliContext, project_ref: str, name: str, new_name: str) -> None:
    """Rename a category (by name or slug); its slug follows the new name."""
    from bgpub.services.taxonomy import rename_category

    view = rename_category(cli.workspace().actor, project_ref, name, new_name)
    click.echo(f"renamed category {name} to {view.name} ({view.slug})")


@category.command("rm")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@yes_option
@pass_cli
def remove(cli: CliContext, project_ref: str, name: str, yes: bool) -> None:
    """Delete a category; its posts stay, without a category (asks first; --yes does not)."""
    from bgpub.services.taxonomy import list_categories, remove_category

    actor = cli.workspace().actor
    found = next((c for c in list_categories(actor, project_ref) if name in (c.name, c.slug)), None)
    if found is not None:
        confirm_deletion(
            f"category {found.name} ({found.posts} posts keep existing) of {project_ref}", yes
        )
    posts = remove_category(actor, project_ref, name)
    click.echo(
        f"removed category {name}" + (f"; {posts} posts have no category now" if posts else "")
    )
