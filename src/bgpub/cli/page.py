"""`bgpub page ...`: add, list, move, rename and remove pages. Positions count from 1."""

from __future__ import annotations

import json
from collections.abc import Callable

import click

from bgpub.cli.confirmation import confirm_deletion, yes_option
from bgpub.cli.context import CliContext, pass_cli
from bgpub.domain.page_fields import PAGE_FIELDS, FieldKind


@click.group()
def page() -> None:
    """Add, list, order and remove a project's pages."""


@page.command("add")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.option("--title", help="Page title (shown in the navigation); required without --template.")
@click.option(
    "--template",
    "template_name",
    metavar="NAME",
    help="Start from a page template (see 'bgpub page template list PROJECT').",
)
@click.option(
    "--at", type=click.IntRange(min=1), help="Navigation position (1 = first; default last)."
)
@click.option("--hidden", is_flag=True, help="Leave the page out of the navigation.")
@click.option("--home", is_flag=True, help="Make it the home page.")
@pass_cli
def add(
    cli: CliContext,
    project_ref: str,
    slug: str,
    title: str | None,
    template_name: str | None,
    at: int | None,
    hidden: bool,
    home: bool,
) -> None:
    """Add page SLUG to PROJECT: `bgpub page add demo about --title "About us"`, or a copy of a template's
    blocks with `--template NAME` (the title defaults to the template's)."""
    from bgpub.services.page_templates import add_page_from_template
    from bgpub.services.pages import create_page

    position = None if at is None else at - 1
    if template_name is not None:
        made = add_page_from_template(
            cli.workspace().actor,
            project_ref,
            template_name,
            slug,
            title,
            position=position,
            show_in_nav=not hidden,
            is_home=home,
        )
        click.echo(
            f"added page {made.slug} at position {made.position + 1} from template {made.template} "
            f"({made.blocks} blocks)" + (" (home)" if made.is_home else "")
        )
        return
    if title is None:
        raise click.UsageError(
            "Missing option '--title' (or start from a page template with --template NAME)."
        )
    created = create_page(
        cli.workspace().actor,
        project_ref,
        slug,
        title,
        position=position,
        show_in_nav=not hidden,
        is_home=home,
    )
    click.echo(
        f"added page {created.slug} at position {created.position + 1}"
        + (" (home)" if created.is_home else "")
    )


@page.command("list")
@click.argument("project_ref", metavar="PROJECT")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_command(cli: CliContext, project_ref: str, as_json: bool) -> None:
    """The pages in navigation order."""
    from bgpub.services.pages import list_page_details

    rows = list_page_details(cli.workspace().actor, project_ref)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "position": p.position + 1,
                        "slug": p.slug,
                        "title": p.title,
                        "home": p.is_home,
                        "in_nav": p.show_in_nav,
                        "noindex": p.noindex,
                        "blocks": p.blocks,
                        "revision": p.revision,
                    }
                    for p in rows
                ],
                indent=2,
            )
        )
        return
    if not rows:
        click.echo(f"no pages yet; add one with 'bgpub page add {project_ref} home --title Home'")
        return
    width = max(len(p.slug) for p in rows)
    for p in rows:
        flags = " ".join(
            f
            for f, on in (
                ("home", p.is_home),
                ("hidden", not p.show_in_nav),
                ("noindex", p.noindex),
            )
            if on
        )
        click.echo(
            f"{p.position + 1:>3}  {p.slug:<{width}}  {p.title}  [{p.blocks} blocks]"
            + (f"  ({flags})" if flags else "")
        )


@page.command("rm")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@yes_option
@pass_cli
def remove(cli: CliContext, project_ref: str, slug: str, yes: bool) -> None:
    """Delete a page and its blocks (asks first; --yes does not)."""
    from bgpub.services.pages import remove_page, show_page

    actor = cli.workspace().actor
    found = show_page(actor, project_ref, slug)
    confirm_deletion(f"page {slug} ({found.title!r}, {found.blocks} blocks) of {project_ref}", yes)
    remove_page(actor, project_ref, slug)
    click.echo(f"removed page {slug}")


@page.command("move")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.argument("position", type=click.IntRange(min=1))
@pass_cli
def move(cli: CliContext, project_ref: str, slug: str, position: int) -> None:
    """Move a page to navigation POSITION (1 = first)."""
    from bgpub.services.pages import move_page

    move_page(cli.workspace().actor, project_ref, slug, position - 1)
    click.echo(f"moved page {slug} to position {position}")


@page.command("set-home")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@pass_cli
def set_home_command(cli: CliContext, project_ref: str, slug: str) -> None:
    """Make a page the home page (index.html)."""
    from bgpub.services.pages import set_home

    set_home(cli.workspace().actor, project_ref, slug)
    click.echo(f"page {slug} is now the home page")


def _setting_options(command: Callable[..., None]) -> Callable[..., None]:
    """One option per page setting (`domain.page_fields`): `--seo-title TEXT`, `--noindex/--index`."""
    for f in reversed(PAGE_FIELDS):
        if f.kind is FieldKind.FLAG:
            command = click.option(f.option, f.name, default=None, help=f.help)(command)
        else:
            metavar = {FieldKind.IMAGE_ASSET: "ASSET", FieldKind.URL: "URL"}.get(f.kind, "TEXT")
            command = click.option(f.option, f.name, metavar=metavar, help=f.help)(command)
    return command


@page.command("set")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.option("--title")
@click.option("--slug", "new_slug", help="A new URL slug.")
@_setting_options
@pass_cli
def set_command(
    cli: CliContext,
    /,
    project_ref: str,
    slug: str,
    title: str | None,
    new_slug: str | None,
    **settings: str | bool | None,
) -> None:
    """Change a page's title, slug or settings (SEO fields, share image, navigation, noindex,
    shared header/footer...), in one write."""
    from bgpub.services.pages import update_page

    update_page(
        cli.workspace().actor,
        project_ref,
        slug,
        title=title,
        new_slug=new_slug,
        expected_revision=None,  # as by default; named so no setting can be taken for it
        **settings,
    )
    click.echo(f"updated page {new_slug or slug}")


from bgpub.cli.page_template import template  # noqa: E402  (`bgpub page template ...`)

page.add_command(template)
