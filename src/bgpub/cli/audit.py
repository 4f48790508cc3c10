"""`bgpub audit ORG [--since DATE]`: who did what in an organization."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import click

from bgpub.cli.context import CliContext, pass_cli
from bgpub.errors import InvalidInput


def parse_since(value: str | None) -> datetime | None:
    """An ISO date or date-time (UTC), e.g. 2026-11-01 or 2026-11-01T09:30."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            f"invalid date {value!r}: use YYYY-MM-DD or YYYY-MM-DDTHH:MM", where="--since"
        ) from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC).replace(tzinfo=None)
    return parsed


@click.command()
@click.argument("organization")
@click.option("--since", metavar="DATE", help="Only entries from this date (UTC) on.")
@click.option("--limit", default=1000, show_default=True, help="At most this many entries.")
@pass_cli
def audit(ctx: CliContext, organization: str, since: str | None, limit: int) -> None:
    """List the audit log of ORGANIZATION (ADMIN and up), oldest first."""
    from bgpub.services.audit import list_entries

    for entry in list_entries(ctx.workspace().actor, organization, parse_since(since), limit):
        summary = (
            json.dumps(entry.summary, sort_keys=True, ensure_ascii=False) if entry.summary else ""
        )
        target = f"{entry.target_type}:{entry.target_id}" if entry.target_type else ""
        when = entry.created_at.isoformat(timespec="seconds")
        click.echo(
            f"{when}\t{entry.actor_label or '-'}\t{entry.action}\t{target}\t{summary}".rstrip()
        )
