"""`bgpub collect --workers N` hands its settings to the worker processes through the environment:
every field must come back as it was, of its own type."""

from __future__ import annotations

import os
from dataclasses import fields

import pytest

from bgpub.collector.settings import ENV_PREFIX, CollectorSettings

CHANGED = CollectorSettings(
    database_url="sqlite:///elsewhere.db",
    min_fill_seconds=1.5,
    max_body_bytes=1024,
    form_rate=3,
    view_rate=7,
    flush_rows=20,
    flush_seconds=0.5,
    retry_seconds=2.0,
    site_cache_seconds=4.0,
    db_threads=2,
    geoip_db="/srv/geo/country.mmdb",
)


@pytest.fixture
def clean_environment(monkeypatch):
    for name in list(os.environ):
        if name.startswith(ENV_PREFIX) or name in ("BGPUB_DATABASE_URL", "BGPUB_GEOIP_DB"):
            monkeypatch.delenv(name)
    return monkeypatch


def test_every_field_survives_the_environment(clean_environment):
    default = CollectorSettings()
    # each field differs from its default, so a field from_environment forgets fails here
    assert [
        f.name for f in fields(CHANGED) if getattr(CHANGED, f.name) == getattr(default, f.name)
    ] == []
    for name, value in CHANGED.environment().items():
        clean_environment.setenv(name, value)
    read = CollectorSettings.from_environment()
    assert read == CHANGED
    assert [type(getattr(read, f.name)) for f in fields(read)] == [
        type(getattr(CHANGED, f.name)) for f in fields(CHANGED)
    ]


def test_unset_fields_keep_their_defaults_and_the_shared_variables_fill_in(clean_environment):
    assert CollectorSettings.from_environment() == CollectorSettings()
    clean_environment.setenv("BGPUB_DATABASE_URL", "sqlite:///site.db")
    clean_environment.setenv("BGPUB_GEOIP_DB", "")
    assert CollectorSettings.from_environment() == CollectorSettings(
        database_url="sqlite:///site.db"
    )
    clean_environment.setenv("BGPUB_GEOIP_DB", "/srv/geo.mmdb")
    clean_environment.setenv(ENV_PREFIX + "GEOIP_DB", "/srv/own.mmdb")
    assert CollectorSettings.from_environment().geoip_db == "/srv/own.mmdb"
