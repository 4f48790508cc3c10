"""`bgpub edit [PROJECT]` (and `bgpub` alone): opens the terminal editor on the configured database."""

from __future__ import annotations

import logging

import click

from bgpub.cli.context import CliContext, pass_cli


@click.command()
@click.argument("project", required=False)
@pass_cli
def edit(cli: CliContext, project: str | None) -> None:
    """Open the editor; with PROJECT, go straight to its pages."""
    workspace = cli.workspace()
    workspace.actor  # noqa: B018 - resolve the acting user before the screen takes over (errors print as one line)
    log_file = workspace.settings.workspace / "editor.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("bgpub").addHandler(handler)  # unexpected errors go here, never on screen
    from bgpub.tui.app import make_app  # Textual is imported only here

    app = make_app(workspace, project)
    app.run()
    if app.return_code:
        raise click.ClickException(f"the editor stopped unexpectedly; details in {log_file}")
