"""`bgpub project ...` and `bgpub new`: create, list, show, change, archive and delete projects."""

from __future__ import annotations

import json

import click

from bgpub.cli.confirmation import confirm_deletion, yes_option
from bgpub.cli.context import CliContext, pass_cli


def _pairs(values: tuple[str, ...], option: str) -> dict[str, str | None]:
    """NAME=VALUE options; an empty VALUE removes the key."""
    result: dict[str, str | None] = {}
    for text in values:
        name, sep, value = text.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {text!r}", param_hint=option)
        result[name.strip()] = value if value != "" else None
    return result


@click.command()
@click.argument("name")
@click.option(
    "--from",
    "starter",
    metavar="STARTER",
    help="A starter site in sites/ (landing, blog, shop) or a folder.",
)
@click.option("--theme", help="Theme to use instead of the starter's (e.g. aurora, midnight).")
@click.option("--title", default="", help="Site title (default: the starter's, or NAME).")
@click.option(
    "--org", "organization", metavar="SLUG", help="Organization to create it in (default: yours)."
)
@pass_cli
def new(
    cli: CliContext,
    name: str,
    starter: str | None,
    theme: str | None,
    title: str,
    organization: str | None,
) -> None:
    """Create project NAME, blank or from a starter site: `bgpub new demo --from landing`."""
    from bgpub.services.projects import new_project

    ws = cli.workspace()
    project = new_project(
        ws.actor, name, starter=starter, theme=theme, title=title, organization=organization
    )
    origin = f" from {starter}" if starter else ""
    click.echo(f"created project {project.name}{origin} (theme {project.theme})")


@click.group()
def project() -> None:
    """List, show, change, archive and delete projects."""


@project.command("list")
@click.option("--all", "include_archived", is_flag=True, help="Include archived projects.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_command(cli: CliContext, include_archived: bool, as_json: bool) -> None:
    """The projects of your organizations, with page counts and the last published version."""
    from bgpub.services.projects import list_projects

    rows = list_projects(cli.workspace().actor, include_archived=include_archived)
    if as_json:
        click.echo(
            json.dumps(
                [
                    {
                        "name": r.name,
                        "organization": r.organization,
                        "title": r.title,
                        "theme": r.theme,
                        "status": r.status,
                        "pages": r.pages,
                        "revision": r.revision,
                        "last_version": r.last_version,
                        "live_version": r.live_version,
                        "published_at": r.published_at.isoformat() if r.published_at else None,
                    }
                    for r in rows
                ],
                indent=2,
            )
        )
        return
    if not rows:
        click.echo("no projects yet; create one with 'bgpub new NAME --from landing'")
        return
    width = max(len(r.ref) for r in rows)
    click.echo(f"{'PROJECT':<{width}}  {'PAGES':>5}  {'THEME':<10} {'STATUS':<9} PUBLISHED")
    for r in rows:
        published = (
            f"v{r.live_version} live, {r.published_at:%Y-%m-%d %H:%M}"
            if r.published_at and r.live_version
            else "-"
        )
        click.echo(f"{r.ref:<{width}}  {r.pages:>5}  {r.theme:<10} {r.status:<9} {published}")


@project.command("show")
@click.argument("project_ref", metavar="PROJECT")
@pass_cli
def show(cli: CliContext, project_ref: str) -> None:
    """Settings of a project."""
    from bgpub.services.projects import show_project

    p = show_project(cli.workspace().actor, project_ref)
    fields = {
        "name": p.ref,
        "title": p.title,
        "description": p.description,
        "language": p.language,
        "theme": p.theme,
        "status": p.status.value,
        "pages": p.pages,
        "revision": p.revision,
        "subdomain": p.subdomain,
        "custom_domain": p.custom_domain,
        "theme_overrides": json.dumps(p.theme_overrides, sort_keys=True),
        "settings": json.dumps(p.settings, sort_keys=True, ensure_ascii=False),
    }
    for key, value in fields.items():
        click.echo(f"{key + ':':<16} {value}")


@project.command("set")
@click.argument("project_ref", metavar="PROJECT")
@click.option("--title")
@click.option("--description")
@click.option("--language", help="Language tag such as en or pt-BR.")
@click.option("--theme")
@click.option(
    "--token",
    "tokens",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a theme design token (repeatable; empty VALUE removes it).",
)
@click.option(
    "--setting",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="base_url, seo_image, footer_note, icon (an SVG or square PNG asset) or image_widths "
    "(such as 480,960,1600) (repeatable; empty VALUE removes it).",
)
@click.option("--subdomain")
@click.option("--domain", "custom_domain", help="Custom domain such as www.example.com.")
@click.option(
    "--collector-url",
    metavar="URL",
    help="Where 'bgpub collect' runs (forms, comments, page views post there); empty removes it.",
)
@pass_cli
def set_command(
    cli: CliContext,
    project_ref: str,
    title: str | None,
    description: str | None,
    language: str | None,
    theme: str | None,
    tokens: tuple[str, ...],
    settings: tuple[str, ...],
    subdomain: str | None,
    custom_domain: str | None,
    collector_url: str | None,
) -> None:
    """Change a project's title, theme, design tokens or site settings."""
    from bgpub.services.projects import update_project

    if collector_url is not None:
        settings = (*settings, f"collector_url={collector_url}")
    update_project(
        cli.workspace().actor,
        project_ref,
        title=title,
        description=description,
        language=language,
        theme=theme,
        theme_overrides=_pairs(tokens, "--token") if tokens else None,
        settings=_pairs(settings, "--setting") if settings else None,
        subdomain=subdomain,
        custom_domain=custom_domain,
    )
    click.echo(f"updated project {project_ref}")


@project.command("archive")
@click.argument("project_ref", metavar="PROJECT")
@click.option("--undo", is_flag=True, help="Bring an archived project back.")
@pass_cli
def archive(cli: CliContext, project_ref: str, undo: bool) -> None:
    """Hide a project from lists without deleting anything."""
    from bgpub.services.projects import archive_project

    archive_project(cli.workspace().actor, project_ref, archived=not undo)
    click.echo(f"{'restored' if undo else 'archived'} project {project_ref}")


@project.command("rm")
@click.argument("project_ref", metavar="PROJECT")
@yes_option
@pass_cli
def remove(cli: CliContext, project_ref: str, yes: bool) -> None:
    """Delete a project with all its pages, assets and versions (asks first; --yes does not)."""
    from bgpub.services.projects import delete_project, show_project

    ws = cli.workspace()
    show_project(ws.actor, project_ref)
    confirm_deletion(f"project {project_ref} and everything in it", yes)
    delete_project(ws.actor, project_ref)
    click.echo(f"deleted project {project_ref}")
