"""The collector's skeleton: health and readiness, the access log, and a real uvicorn that stores
everything it acknowledged before it stops."""

from __future__ import annotations

import json
import logging
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from bgpub.db.models import PageView

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"


def test_health_and_readiness(client):
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


def test_readiness_fails_while_the_database_is_away(client, monkeypatch):
    collector = client.app.state.collector

    class Away(collector.services):
        database_ready = staticmethod(lambda: False)

    monkeypatch.setattr(collector, "services", Away)
    assert client.get("/readyz").status_code == 503
    assert client.get("/healthz").status_code == 200  # alive, just not ready


def test_access_log_is_json_without_addresses_or_queries(client, site, caplog):
    with caplog.at_level(logging.INFO, logger="bgpub.collect.access"):
        client.get(
            f"/v/{site.id}?p=/secret-query/&r=https://ref.example/x",
            headers={"user-agent": BROWSER, "origin": "https://demo.example"},
        )
        client.get("/healthz")
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "bgpub.collect.access"]
    assert [(line["method"], line["path"], line["status"]) for line in lines] == [
        ("GET", f"/v/{site.id}", 200),
        ("GET", "/healthz", 200),
    ]
    text = caplog.text
    assert "203.0.113.7" not in text and "secret-query" not in text and "ref.example" not in text


def test_unknown_routes_and_methods_are_refused(client):
    assert client.get("/nowhere").status_code == 404
    assert client.get("/f/x/contact").status_code == 405


def test_real_uvicorn_stores_every_acknowledged_view_before_it_stops(live, site, db):
    """A burst against a real server, stopped right after: every 2xx is a row, one per view."""
    headers = {"user-agent": BROWSER, "origin": "https://demo.example"}

    http = httpx.Client(timeout=10)  # one client: making one costs a quarter second

    def view(i: int) -> int:
        response = http.post(
            f"{live.url}/v/{site.id}",
            json={"p": f"/page-{i % 5}/"},
            headers={**headers, "x-forwarded-for": f"198.51.100.{i}"},
        )
        return response.status_code

    with http, ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(view, range(40)))
    live.stop()
    accepted = sum(1 for s in statuses if s == 204)
    assert accepted == 40
    assert PageView.select().where(PageView.project == site.id).count() == accepted
    batches = live.app.state.collector.views.batches
    assert 1 <= batches < accepted  # concurrent views shared INSERTs


def test_database_connections_are_bounded_by_db_threads(db, db_target, site):
    """Peewee holds a connection per thread: 24 concurrent requests that each query the database open
    at most `db_threads` connections (plus the view writer's), not one per request."""
    from dataclasses import replace

    from collect_support import LiveServer, free_port

    from bgpub.collector.app import make_app
    from bgpub.collector.settings import CollectorSettings

    if db_target.kind != "postgres":
        pytest.skip("SQLite connections are files, not server slots")
    settings = replace(CollectorSettings(retry_seconds=2.0), db_threads=3)
    mine = db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]

    def backends() -> int:
        return db.execute_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> %s",
            (mine,),
        ).fetchone()[0]

    before = backends()  # the fixtures' own connections
    server = LiveServer(make_app(settings), free_port()).start()
    try:
        with httpx.Client(timeout=30) as http, ThreadPoolExecutor(24) as pool:
            statuses = list(
                pool.map(lambda _: http.get(f"{server.url}/readyz").status_code, range(48))
            )
            assert statuses == [200] * 48
            assert 1 <= backends() - before <= 3
    finally:
        server.stop()
