"""`bgpub stats PROJECT`: what `bgpub collect` counted (visits, views, top pages, referrers, forms)."""

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


@click.command()
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
def stats(cli: CliContext, project_ref: str, days: int, as_json: bool) -> None:
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
