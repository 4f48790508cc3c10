"""`bgpub edit [PROJECT]` (and `bgpub` alone): opens the terminal editor on the configured database."""

from __future__ import annotations

import logging
import sys

import click

from bgpub.cli.context import CliContext, pass_cli
from bgpub.errors import InvalidInput


def has_terminal() -> bool:
    """The editor draws on a terminal and reads keys from it; a pipe or /dev/null would hang it."""
    return sys.stdin.isatty() and sys.stdout.isatty()


@click.command()
@click.argument("project", required=False)
@pass_cli
def edit(cli: CliContext, project: str | None) -> None:
    """Open the editor; with PROJECT, go straight to its pages."""
    if not has_terminal():
        raise InvalidInput(
            "the editor needs a terminal (use 'ssh -t' over SSH); for scripts, see 'bgpub --help'",
            where="bgpub edit",
        )
    workspace = cli.workspace()
    workspace.actor  # noqa: B018 - resolve the acting user before the screen takes over (errors print as one line)
    log_file = workspace.settings.workspace / "editor.log"
    log_file.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(log_file, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger("bgpub").addHandler(handler)  # unexpected errors go here, never on screen
    from bgpub.preview.session import PreviewServer
    from bgpub.tui.app import make_app  # Textual is imported only here

    app = make_app(
        workspace, project, preview=PreviewServer
    )  # the launcher wires the two front ends
    app.run()
    if app.return_code:
        raise click.ClickException(f"the editor stopped unexpectedly; details in {log_file}")
