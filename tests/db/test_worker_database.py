"""The per-worker PostgreSQL test database is handed to each test exactly as the template left it:
partitions a test added or dropped are put back in place, any other schema change costs a new copy."""

from __future__ import annotations

import pytest

from pg_worker_support import WorkerDatabase

ADDED = "bgpub_partitions.page_views_2001_01"


@pytest.fixture
def worker(pg_template):
    from tests.conftest import PG_URL, _pg_url_for

    database = WorkerDatabase(PG_URL, pg_template, _pg_url_for)
    yield database
    database.close()


def _partitions(worker: WorkerDatabase) -> dict[str, tuple[str, str]]:
    return worker._read_partitions(worker._conn.cursor())


def test_partitions_a_test_changed_are_put_back_without_a_new_copy(worker):
    template = _partitions(worker)
    dropped = sorted(template)[0]
    cur = worker._conn.cursor()
    cur.execute(
        f"CREATE TABLE {ADDED} PARTITION OF page_views"
        " FOR VALUES FROM ('2001-01-01') TO ('2001-02-01')"
    )
    cur.execute(f"DROP TABLE {dropped}")
    worker.fresh()
    assert worker.replaced == 0
    assert _partitions(worker) == template


def test_another_schema_change_gets_a_new_copy(worker):
    worker._conn.cursor().execute("ALTER TABLE projects ADD COLUMN left_behind integer")
    worker.fresh()
    assert worker.replaced == 1
    cur = worker._conn.cursor()
    cur.execute("SELECT count(*) FROM information_schema.columns WHERE column_name = 'left_behind'")
    assert cur.fetchone()[0] == 0
