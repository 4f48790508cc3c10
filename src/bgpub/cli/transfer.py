"""`bgpub export` and `bgpub import`: a project as project.json plus blobs/<sha256>."""

from __future__ import annotations

import click

from bgpub.cli.context import CliContext, pass_cli


@click.command("export")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@pass_cli
def export_project(cli: CliContext, project_ref: str, directory: str) -> None:
    """Write PROJECT to DIR (project.json and blobs/); replaces an earlier export there."""
    from bgpub.services.snapshots import export_project as export

    report = export(cli.workspace().actor, project_ref, directory)
    click.echo(
        f"exported {project_ref}: {report.pages} pages, {report.assets} assets, {report.bytes} bytes -> "
        f"{directory}"
    )


@click.command("import")
@click.argument("directory", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--name", help="Project name (default: the one in project.json).")
@click.option("--theme", help="Use another theme.")
@click.option(
    "--org", "organization", metavar="SLUG", help="Organization to import into (default: yours)."
)
@pass_cli
def import_project(
    cli: CliContext, directory: str, name: str | None, theme: str | None, organization: str | None
) -> None:
    """Create a project from an export in DIR; everything is checked first, nothing is written on error."""
    from bgpub.services.importing import import_project as do_import

    report = do_import(
        cli.workspace().actor, directory, name=name, theme=theme, organization=organization
    )
    click.echo(f"imported {report.project.name}: {report.pages} pages, {report.assets} assets")
    for note in report.notes:
        click.echo(f"note: {note}", err=True)
