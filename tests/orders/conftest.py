"""Order fixtures: a shop project with a Stripe integration and a mug in two sizes (on SQLite and
PostgreSQL), and the collector served by a real uvicorn on loopback."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from orders_support import SECRET, LiveServer

from bgpub.collector.app import make_app
from bgpub.collector.settings import CollectorSettings
from bgpub.services.integrations import add_integration
from bgpub.services.products import create_product
from bgpub.services.projects import create_project, update_project
from bgpub.services.variants import add_variant


@dataclass(frozen=True)
class Shop:
    id: str
    name: str
    product: str  # the mug's id
    small: str  # variant ids
    large: str


@pytest.fixture
def shop(actor) -> Shop:
    project = create_project(actor, "kiln", title="Kiln & Co")
    update_project(actor, project, settings={"base_url": "https://kiln.example"})
    add_integration(
        actor, "kiln", "STRIPE", "stripe", {"api_key": "sk_test_kiln", "webhook_secret": SECRET}
    )
    mug = create_product(
        actor, "kiln", "Mug", slug="mug", price_cents=2800, currency="GBP", status="ACTIVE"
    )
    small = add_variant(
        actor, "kiln", "mug", {"Size": "Small"}, sku="MUG-S", price_cents=2400, stock=5
    )
    large = add_variant(
        actor, "kiln", "mug", {"Size": "Large"}, sku="MUG-L", price_cents=3200, stock=3
    )
    return Shop(project.id, project.name, mug.id, small.id, large.id)


@pytest.fixture
def settings() -> CollectorSettings:
    return CollectorSettings(flush_seconds=0.02, retry_seconds=5.0, form_rate=1000)


@pytest.fixture
def live(db, settings):
    server = LiveServer(make_app(settings)).start()
    yield server
    server.stop()
