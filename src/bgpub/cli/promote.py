"""`bgpub promote`: a published version's exact bytes to another target (staging -> production)."""

from __future__ import annotations

import json
import sys

import click

from bgpub.cli.context import CliContext, pass_cli
from bgpub.cli.publish import human, progress_bar


@click.command()
@click.argument("project")
@click.argument("version", type=int)
@click.option(
    "--to", "to", required=True, metavar="TARGET", help="The target to deploy the version to."
)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable result.")
@pass_cli
def promote(ctx: CliContext, project: str, version: int, to: str, as_json: bool) -> None:
    """Deploy VERSION of PROJECT, exactly as recorded (no new render), to target TARGET."""
    from bgpub.services.promotion import promote_version

    actor = ctx.workspace().actor
    with progress_bar(sys.stdout.isatty() and not as_json) as update:
        result = promote_version(actor, project, version, to=to, progress=update)
    if as_json:
        click.echo(json.dumps(result.as_dict(), sort_keys=True))
    else:
        click.echo(
            f"promoted {result.project} version {result.version} to {to}: {result.files} files "
            f"({human(result.bytes)}), {result.seconds:.2f} s"
        )
        for d in result.deployments:
            click.echo(
                f"  {d.target} ({d.kind}) {d.status}: {d.files_sent} file(s), {human(d.bytes_sent)} sent"
                + (f" -> {d.location}" if d.location else "")
            )
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    for d in result.deployments:
        if d.error:
            click.echo(f"error: target {d.target}: {d.error}", err=True)
    if not result.ok:
        sys.exit(1)
