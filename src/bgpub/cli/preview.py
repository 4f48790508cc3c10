"""`bgpub preview PROJECT`: serve the project's draft on localhost, reloading open tabs on every change."""

from __future__ import annotations

import signal
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from bgpub.cli.context import CliContext, pass_cli
from bgpub.errors import InvalidInput

if TYPE_CHECKING:
    from bgpub.preview.session import PreviewServer

DEFAULT_PORT = 8000
PORT_TRIES = 20  # without --port, the next free port after 8000 is taken


@click.command()
@click.argument("project")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=None,
    help=f"Port to listen on (default {DEFAULT_PORT} or the next free one; 0 picks any).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to bind; anything but localhost exposes your drafts to the network.",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the preview in the web browser.")
@click.option("--no-watch", is_flag=True, help="Do not watch themes/ and components/ for edits.")
@click.option("--verbose", is_flag=True, help="Log every request on stderr.")
@pass_cli
def preview(
    ctx: CliContext,
    project: str,
    port: int | None,
    host: str,
    open_browser: bool,
    no_watch: bool,
    verbose: bool,
) -> None:
    """Serve PROJECT's current, unpublished state with live reload; Ctrl+C stops it."""
    from bgpub.preview.session import PreviewServer

    workspace = ctx.workspace()
    server = _start(
        lambda p: PreviewServer(
            workspace, project, host, p, watch=not no_watch, verbose=verbose
        ).start(),
        port,
    )
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(
            f"warning: listening on {host}: anyone who can reach it sees the drafts", err=True
        )
    click.echo(f"previewing {server.project} at {server.url} (Ctrl+C to stop)")
    if open_browser:
        import webbrowser

        webbrowser.open(server.url)
    _wait_for_interrupt(server)


def _start(start: Callable[[int], PreviewServer], port: int | None) -> PreviewServer:
    """Starts on `port`, or without one on the first free port from DEFAULT_PORT."""
    if port is not None:
        return start(port)
    from bgpub.preview.server import PortInUse

    for candidate in range(DEFAULT_PORT, DEFAULT_PORT + PORT_TRIES):
        try:
            return start(candidate)
        except PortInUse:  # any other failure (an address not on this machine) stops at once
            continue
    raise InvalidInput(
        f"no free port in {DEFAULT_PORT}-{DEFAULT_PORT + PORT_TRIES - 1}; pass --port",
        where="preview",
    )


def _wait_for_interrupt(server: PreviewServer) -> None:
    """Blocks until Ctrl+C or SIGTERM, then stops the server and its threads."""
    done = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: done.set())
    try:
        while not done.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.stop()
        click.echo("preview stopped")
