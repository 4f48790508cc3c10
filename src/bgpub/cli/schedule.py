"""`bgpub schedule run`: publish the projects whose scheduled posts came due (once, or every N minutes).

For cron or a systemd timer run it one-shot, e.g. `OnCalendar=*:0/5` with
`ExecStart=bgpub schedule run` (docs/guide.md shows the unit); `--every 5m` keeps it running instead.
"""

from __future__ import annotations

import re
import time

import click

from bgpub.cli.context import CliContext, pass_cli
from bgpub.errors import InvalidInput

UNITS = {"s": 1, "m": 60, "h": 3600}
sleep = time.sleep  # replaced in tests


def interval_seconds(text: str) -> int:
    """`30s`, `5m`, `1h` (or plain seconds) as seconds; at least 10 s."""
    match = re.fullmatch(r"\s*(\d+)\s*([smh]?)\s*", text or "")
    seconds = int(match.group(1)) * UNITS[match.group(2) or "s"] if match else 0
    if seconds < 10:
        raise InvalidInput(
            f"invalid interval {text!r}: use e.g. 30s, 5m or 1h (at least 10 seconds)",
            where="--every",
        )
    return seconds


@click.group()
def schedule() -> None:
    """Publish scheduled posts when their time comes."""


def _run_once(cli: CliContext) -> int:
    from bgpub.services.scheduling import run_due

    failures = 0
    for outcome in run_due(cli.workspace().actor):
        posts = ", ".join(outcome.posts)
        if outcome.error:
            failures += 1
            click.echo(
                f"error: {outcome.project}: not published ({posts} stay scheduled): {outcome.error}",
                err=True,
            )
        else:
            click.echo(f"published {outcome.project} as version {outcome.version} ({posts})")
    return failures


@schedule.command("run")
@click.option(
    "--every", "every", metavar="INTERVAL", help="Keep running, checking every INTERVAL (e.g. 5m)."
)
@pass_cli
def run(cli: CliContext, every: str | None) -> None:
    """Publish each project whose scheduled posts came due, with its default target."""
    if every is None:
        if _run_once(cli):
            raise SystemExit(1)
        return
    seconds = interval_seconds(every)
    try:
        while True:
            _run_once(cli)
            sleep(seconds)
    except KeyboardInterrupt:
        click.echo("stopped")
