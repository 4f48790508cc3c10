"""`bgpub edit [PROJECT]` (and `bgpub` alone): opens the terminal editor on the configured database."""

from __future__ import annotations

import click

from bgpub.cli.context import CliContext, pass_cli


@click.command()
@click.argument("project", required=False)
@pass_cli
def edit(cli: CliContext, project: str | None) -> None:
    """Open the editor; with PROJECT, go straight to its pages."""
    workspace = cli.workspace()
    workspace.actor  # noqa: B018 - resolve the acting user before the screen takes over (errors print as one line)
    from bgpub.tui.app import make_app  # Textual is imported only here

    make_app(workspace, project).run()
