"""`bgpub collect`: run the collector (forms, comments, page views, API) against the workspace's database."""

from __future__ import annotations

import click

from bgpub.cli.context import CliContext, pass_cli


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    default=8787,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port to listen on.",
)
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Processes sharing the port (PostgreSQL; SQLite serves one machine).",
)
@click.option(
    "--min-fill-seconds",
    default=3.0,
    show_default=True,
    type=click.FloatRange(0, 3600),
    help="A form sent sooner after its page loaded is refused as a bot's.",
)
@click.option(
    "--form-rate",
    default=10,
    show_default=True,
    type=click.IntRange(1),
    help="Form submissions and comments per client and project per minute.",
)
@click.option(
    "--view-rate",
    default=240,
    show_default=True,
    type=click.IntRange(1),
    help="Page views per client and project per minute.",
)
@click.option(
    "--flush-seconds",
    default=0.05,
    show_default=True,
    type=click.FloatRange(0.001, 1),
    help="Page views are written in batches gathered over at most this long.",
)
@click.option(
    "--forwarded-allow-ips",
    default="127.0.0.1",
    show_default=True,
    metavar="IPS",
    help="Proxies whose X-Forwarded-For is trusted for the client address ('*' for any).",
)
@click.option(
    "--geoip-db",
    envvar="BGPUB_GEOIP_DB",
    type=click.Path(exists=True, dir_okay=False),
    help="A local MaxMind country database (.mmdb): page views then record the visitor's country "
    "(never the address). [env: BGPUB_GEOIP_DB]",
)
@pass_cli
def collect(
    cli: CliContext,
    host: str,
    port: int,
    workers: int,
    min_fill_seconds: float,
    form_rate: int,
    view_rate: int,
    flush_seconds: float,
    forwarded_allow_ips: str,
    geoip_db: str | None,
) -> None:
    """Receive form posts, comments and page views from published sites (stop with Ctrl-C or SIGTERM).

    A project opts in with `bgpub project set P --collector-url https://...`; its next build points
    its forms, comment forms and the page-view beacon here.
    """
    from bgpub.collector.server import serve
    from bgpub.collector.settings import CollectorSettings

    ws = cli.workspace()
    settings = CollectorSettings(
        database_url=ws.settings.database_url,
        min_fill_seconds=min_fill_seconds,
        form_rate=form_rate,
        view_rate=view_rate,
        flush_seconds=flush_seconds,
        geoip_db=geoip_db,
    )
    if geoip_db:
        from bgpub.services.geoip import open_country_reader

        open_country_reader(geoip_db)  # an unreadable file is named now, not in every worker
    click.echo(f"bgpub collect listening on http://{host}:{port} ({workers} worker(s))", err=True)
    serve(settings, host=host, port=port, workers=workers, forwarded_allow_ips=forwarded_allow_ips)
