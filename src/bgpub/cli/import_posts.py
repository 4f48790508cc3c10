"""`bgpub import-posts` and `bgpub import-wordpress`: bring a blog over, in one transaction, with a report."""

from __future__ import annotations

import json
from typing import Any

import click

from bgpub.cli.context import CliContext, pass_cli


def _print(report: Any, as_json: bool) -> None:
    """The report: counts, then every skipped item and note with its place (JSON with --json)."""
    if as_json:
        click.echo(json.dumps(report.as_json(), indent=2, ensure_ascii=False))
        return
    click.echo(
        f"imported into {report.project} from {report.source}: {len(report.posts)} posts, "
        f"{len(report.pages)} pages, {report.comments} comments, {len(report.assets)} assets, "
        f"{len(report.categories)} new categories, {len(report.tags)} new tags; "
        f"{len(report.skipped)} skipped, {len(report.notes)} notes"
    )
    for finding in report.skipped:
        click.echo(f"skipped {finding.where}: {finding.message}")
    for finding in report.notes:
        click.echo(f"note {finding.where}: {finding.message}")


@click.command("import-posts")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("folder", metavar="DIR", type=click.Path(file_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_cli
def import_posts(cli: CliContext, project_ref: str, folder: str, as_json: bool) -> None:
    """Import the Markdown posts under DIR (YAML, TOML or JSON front matter, or Pelican headers).

    All or nothing; a post whose slug PROJECT already has is skipped, so running it again adds nothing.
    """
    from bgpub.services.post_imports import import_posts as do_import

    _print(do_import(cli.workspace().actor, project_ref, folder), as_json)


@click.command("import-wordpress")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("export", metavar="EXPORT.xml", type=click.Path(dir_okay=False))
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@pass_cli
def import_wordpress(cli: CliContext, project_ref: str, export: str, as_json: bool) -> None:
    """Import a WordPress export: posts, published pages, categories, tags, authors, comments, and the
    attachments found beside the file (uploads/ or wp-content/uploads/). All or nothing, idempotent."""
    from bgpub.services.post_imports import import_wordpress as do_import

    _print(do_import(cli.workspace().actor, project_ref, export), as_json)
