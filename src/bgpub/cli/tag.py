"""`bgpub tag ...`: the blog's tags (they are made by tagging posts)."""

from __future__ import annotations

import json

import click

from bgpub.cli.context import CliContext, pass_cli


@click.group()
def tag() -> None:
    """List, rename and merge blog tags."""


@tag.command("list")
@click.argument("project_ref", metavar="PROJECT")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_command(cli: CliContext, project_ref: str, as_json: bool) -> None:
    """Tags with their post counts."""
    from bgpub.services.taxonomy import list_tags

    rows = list_tags(cli.workspace().actor, project_ref)
    if as_json:
        click.echo(
            json.dumps(
                [{"name": t.name, "slug": t.slug, "posts": t.posts} for t in rows],
                indent=2,
                ensure_ascii=False,
            )
        )
        return
    if not rows:
        click.echo(f"no tags; tag a post with 'bgpub post new {project_ref} \"Title\" --tag NAME'")
    for t in rows:
        click.echo(f"{t.slug}  {t.name}  [{t.posts} post{'' if t.posts == 1 else 's'}]")


@tag.command("rename")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("name")
@click.argument("new_name")
@pass_cli
def rename(cli: CliContext, project_ref: str, name: str, new_name: str) -> None:
    """Rename a tag (by name or slug)."""
    from bgpub.services.taxonomy import rename_tag

    view = rename_tag(cli.workspace().actor, project_ref, name, new_name)
    click.echo(f"renamed tag {name} to {view.name} ({view.slug})")


@tag.command("merge")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("source")
@click.argument("target")
@pass_cli
def merge(cli: CliContext, project_ref: str, source: str, target: str) -> None:
    """Re-tag every post of SOURCE with TARGET, then delete SOURCE."""
    from bgpub.services.taxonomy import merge_tags

    view = merge_tags(cli.workspace().actor, project_ref, source, target)
    click.echo(f"merged tag {source} into {view.name} ({view.posts} posts)")
