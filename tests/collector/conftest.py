"""Collector fixtures: a project opted in to `bgpub collect`, the app under Starlette's TestClient, and a
real uvicorn on a free loopback port (both over the test's database, SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from collect_support import LiveServer, free_port
from starlette.testclient import TestClient

from bgpub.collector.app import make_app
from bgpub.collector.settings import CollectorSettings
from bgpub.services.collector_sites import build_day, form_key, sign_stamp
from bgpub.services.projects import create_project, update_project

ORIGIN = "https://demo.example"


@dataclass(frozen=True)
class Site:
    id: str
    name: str
    stamp: str  # a valid form stamp, as a build puts into the project's forms

    def form(self, **fields: str) -> dict[str, str]:
        """A form post as the published page sends it (the script's elapsed time included)."""
        return {"_bgpub_stamp": self.stamp, "_bgpub_hp": "", "_bgpub_elapsed": "5000", **fields}


@pytest.fixture(autouse=True)
def cheap_key_hashing(monkeypatch):
    """API keys hashed with Argon2's smallest cost here: these tests are about the collector, and the
    default (64 MiB, 3 passes) costs seconds per test on a busy machine."""
    from argon2 import PasswordHasher

    from bgpub.services import api_keys

    monkeypatch.setattr(
        api_keys, "HASHER", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )


@pytest.fixture
def site(actor) -> Site:
    project = create_project(actor, "demo", title="Demo")
    update_project(  # hands back a domain value: the row stays the one create_project made
        actor, project, settings={"base_url": ORIGIN, "collector_url": "http://127.0.0.1:8787"}
    )
    stamp = sign_stamp(form_key(project), project.id, build_day() - 86400)
    return Site(project.id, project.name, stamp)


@pytest.fixture
def settings() -> CollectorSettings:
    return CollectorSettings(
        min_fill_seconds=2.0, form_rate=5, view_rate=50, flush_seconds=0.02, retry_seconds=2.0
    )


@pytest.fixture
def client(db, settings):
    """The app with its lifespan running (the page-view writer started, flushed at exit)."""
    with TestClient(
        make_app(settings), base_url="http://collector.test", client=("203.0.113.7", 5000)
    ) as test_client:
        yield test_client


@pytest.fixture
def live(db, settings):
    server = LiveServer(make_app(settings), free_port()).start()
    yield server
    server.stop()
