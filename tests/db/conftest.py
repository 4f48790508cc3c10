"""Fixtures of tests/db: empty databases of each kind, for tests that run the migrations themselves."""

from __future__ import annotations

import os
import uuid

import pytest

from bgpub.db.connection import connect_url, database

PG_URL = os.environ.get("BGPUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("BGPUB_REQUIRE_POSTGRES") == "1"


def _admin():
    db = connect_url(PG_URL)
    db.connect()
    db.connection().autocommit = True
    return db


@pytest.fixture(params=["sqlite", "postgres"])
def blank_database(request, tmp_path):
    """A factory of new, empty (unmigrated) databases of one kind; each is removed after the test."""
    kind = request.param
    created: list[str] = []
    admin = None
    if kind == "postgres":
        try:
            admin = _admin()
        except Exception as exc:  # unreachable server, bad credentials
            reason = f"PostgreSQL unreachable at {PG_URL}: {str(exc).strip().splitlines()[0]}"
            if REQUIRE_PG:
                pytest.fail(f"{reason} (BGPUB_REQUIRE_POSTGRES=1)")
            pytest.skip(reason)

    def new() -> str:
        if kind == "sqlite":
            return f"sqlite:///{tmp_path / f'blank-{uuid.uuid4().hex[:8]}.db'}"
        name = f"bgpub_db_{uuid.uuid4().hex[:12]}"
        admin.execute_sql(f'CREATE DATABASE "{name}"')
        created.append(name)
        return f"{PG_URL.rpartition('/')[0]}/{name}"

    new.kind = kind
    yield new
    if database.obj is not None and not database.is_closed():
        database.close()
    for name in created:
        admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    if admin is not None:
        admin.close()
