"""`bgpub stats PROJECT`: what `bgpub collect` counted (visits, views, top pages, referrers, forms);
`bgpub stats prune --older-than 13mo`: retention (whole monthly partitions on PostgreSQL)."""

from __future__ import annotations

import json

import click

from bgpub.cli.context import CliContext, pass_cli

BARS = " ▁▂▃▄▅▆▇█"


def sparkline(values: list[int]) -> str:
    top = max(values, default=0)
    if not top:
        return BARS[0] * len(values)
    return "".join(BARS[round(v / top * (len(BARS) - 1))] for v in values)


class StatsGroup(click.Group):
    """`bgpub stats PROJECT [...]` shows a project's figures; `bgpub stats prune ...` is the one
    subcommand (a project named `prune` is shown with `bgpub stats show prune`)."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ctx.help_option_names:
            args = ["show", *args]
        return super().parse_args(ctx, args)


@click.group(cls=StatsGroup)
def stats() -> None:
    """Figures `bgpub collect` counted: `bgpub stats PROJECT [--days 30] [--json]`;
    retention: `bgpub stats prune --older-than 13mo`."""


@stats.command("prune")
@click.option(
    "--older-than",
    "older_than",
    required=True,
    metavar="AGE",
    help="Keep this many whole months, e.g. 13mo or 2y; older page views are removed.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def prune(cli: CliContext, older_than: str, as_json: bool) -> None:
    """Remove page views older than AGE, for every project in the database: PostgreSQL drops whole
    monthly partitions, SQLite deletes the rows."""
    from bgpub.services.page_view_partitions import parse_retention, prune_views

    result = prune_views(cli.workspace().actor, parse_retention(older_than))
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2))
        return
    dropped = (
        f", {len(result.partitions_dropped)} partition(s) dropped"
        if result.partitions_dropped
        else ""
    )
    click.echo(f"removed {result.rows_deleted} page view(s) before {result.cutoff}{dropped}")


@stats.command("show")
@click.argument("project_ref", metavar="PROJECT")
@click.option(
    "--days",
    default=30,
    show_default=True,
    type=click.IntRange(1, 3660),
    help="How many days back.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def show(cli: CliContext, project_ref: str, days: int, as_json: bool) -> None:
    """Visits and views per day, top pages, referrers, UTM sources, devices; forms and comments."""
    from bgpub.services.stats import project_stats

    result = project_stats(cli.workspace().actor, project_ref, days)
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2))
        return
    click.echo(f"{result.project}: last {result.days} days (since {result.since}, UTC)")
    click.echo(f"  views {result.views}, visits {result.visitors}")
    click.echo(f"  per day  {sparkline([d.views for d in result.per_day])}")
    for title, rows in (
        ("top pages", result.pages),
        ("referrers", result.referrers),
        ("UTM sources", result.sources),
        ("devices", result.devices),
        ("countries", result.countries),
    ):
        if not rows:
            continue
        click.echo(f"{title}:")
        width = max(len(r.name) for r in rows)
        for r in rows:
            click.echo(f"  {r.name:<{width}}  {r.views:>7} views  {r.visitors:>6} visits")
    if result.forms:
        click.echo("form submissions:")
        for name, count in result.forms.items():
            click.echo(f"  {name}  {count}")
    click.echo(f"comments pending: {result.comments_pending}")
