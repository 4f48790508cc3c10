"""Page views by month: partitioned on PostgreSQL (migration 0016 converts the table keeping its rows,
the service makes partitions ahead and for any month a view arrives in), one table on SQLite; and
`bgpub stats prune --older-than 13mo` removes exactly the views before the cutoff month on both
(whole partitions dropped on PostgreSQL)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from bgpub.db import schema
from bgpub.db.connection import database
from bgpub.db.models import PageView
from bgpub.services import page_view_partitions as months
from bgpub.services.page_views import ViewRecord, new_view_id, record_views
from bgpub.services.projects import create_project

TODAY = datetime.now(UTC).date()


def month_back(n: int, day: int = 15) -> datetime:
    first = months._shift(TODAY, -n)
    return datetime(first.year, first.month, day, 12, 0)


def view(project_id: str, when: datetime, path: str = "/") -> ViewRecord:
    return ViewRecord(new_view_id(), project_id, path, None, None, "desktop", "v" * 32, when)


def paths() -> list[str]:
    return sorted(v.path for v in PageView.select(PageView.path))


def test_views_land_in_monthly_partitions_made_ahead_and_on_demand(actor, db_target):
    project = create_project(actor, "demo")
    ahead = {months._shift(TODAY, n) for n in range(months.AHEAD + 1)}
    if db_target.kind == "sqlite":
        assert not months.partitioned() and months.partitions() == []
    else:
        assert months.partitioned()
        assert ahead <= {first for _, first in months.partitions()}  # made by the migration
    # a month long past (no partition yet) and a month far ahead: the insert makes what it needs
    record_views(
        [view(project.id, month_back(30), "/old/"), view(project.id, month_back(-8), "/late/")]
    )
    record_views([view(project.id, datetime.now(UTC).replace(tzinfo=None), "/now/")])
    assert paths() == ["/late/", "/now/", "/old/"]
    if db_target.kind == "postgres":
        have = {first for _, first in months.partitions()}
        assert {months._shift(TODAY, -30), months._shift(TODAY, 8)} <= have
        assert months.ensure_partitions() == []  # nothing missing: no DDL at all
        # the rows really are in the month's partition, not in one catch-all table
        name = f"page_views_{months._shift(TODAY, -30):%Y_%m}"
        count = database.execute_sql(f'SELECT count(*) FROM "{months.SCHEMA}"."{name}"').fetchone()[
            0
        ]
        assert count == 1


@pytest.fixture
def run(db_target, capsys):
    from bgpub.cli import main

    def bgpub(*args: str) -> tuple[int, str]:
        capsys.readouterr()
        try:
            main(["--database-url", db_target.url, *args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return code, out.out + out.err

    return bgpub


def test_prune_removes_exactly_the_months_before_the_cutoff(actor, db_target, run):
    project = create_project(actor, "demo")
    ages = {"/20/": 20, "/14/": 14, "/13-first-day/": 13, "/12/": 12, "/1/": 1, "/0/": 0}
    now = datetime.now(UTC).replace(tzinfo=None)
    record_views(
        [
            view(project.id, month_back(n, day=1 if "first" in p else 15) if n else now, p)
            for p, n in ages.items()
        ]
    )
    code, output = run("stats", "prune", "--older-than", "13 fortnights")
    assert code != 0 and "--older-than" in output and "Traceback" not in output
    assert len(paths()) == 6  # nothing changed

    code, output = run("stats", "prune", "--older-than", "13mo", "--json")
    assert code == 0, output
    report = json.loads(output)
    assert report["cutoff"] == months._shift(TODAY, -13).isoformat()
    assert report["rows_deleted"] == 2
    assert paths() == ["/0/", "/1/", "/12/", "/13-first-day/"]
    if db_target.kind == "postgres":
        assert sorted(report["partitions_dropped"]) == sorted(
            f"page_views_{months._shift(TODAY, -n):%Y_%m}" for n in (14, 20)
        )
        left = [first for _, first in months.partitions()]
        assert min(left) == months._shift(TODAY, -13)  # every partition before the cutoff is gone
    else:
        assert report["partitions_dropped"] == []
    code, output = run("stats", "prune", "--older-than", "13mo")
    assert code == 0 and "removed 0 page view(s)" in output
    code, output = run("stats", "demo", "--json", "--days", "600")
    assert code == 0 and json.loads(output)["views"] == 4  # `stats PROJECT` still works


@pytest.fixture(params=["sqlite", "postgres"])
def blank_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'blank.db'}"
    else:
        yield request.getfixturevalue("fresh_pg_database")


def _rollback_to_before_0016(db) -> None:
    later = [name for name in schema.applied(db) if name >= "0016"]
    schema.rollback(db, len(later))


def test_0016_converts_the_table_keeping_rows_policies_and_grants(blank_url, home):
    from bgpub.services.workspace import open_workspace

    actor = open_workspace(blank_url, workspace_path=home).actor  # migrates the new database
    project = create_project(actor, "demo")
    db = database.obj
    _rollback_to_before_0016(db)
    pg = blank_url.startswith("postgres")
    role = f"bgpub_t16_{uuid.uuid4().hex[:8]}"
    rows = [(f"v{i:030d}", project.id, f"/{i}/", month_back(i * 5)) for i in range(4)]
    for row_id, project_id, path, when in rows:
        PageView.insert(id=row_id, project=project_id, path=path, timestamp=when).execute()
    if pg:
        db.execute_sql(f'CREATE ROLE "{role}" NOLOGIN')
        db.execute_sql(f'GRANT SELECT, INSERT ON page_views TO "{role}"')
    try:
        policies_before = _policies(db) if pg else None
        schema.migrate(db)
        stored = sorted(PageView.select(PageView.id, PageView.path, PageView.timestamp).tuples())
        assert stored == sorted((r[0], r[2], r[3]) for r in rows)
        if pg:
            assert months.partitioned()
            have = {first for _, first in months.partitions()}
            assert {months._shift(r[3].date(), 0) for r in rows} <= have
            assert _policies(db) == policies_before
            assert db.execute_sql(
                "SELECT has_table_privilege(%s, 'page_views', 'SELECT'), "
                "has_table_privilege(%s, 'page_views', 'INSERT'), "
                "has_table_privilege(%s, 'page_views', 'DELETE')",
                (role, role, role),
            ).fetchone() == (True, True, False)
        else:
            assert not months.partitioned()
        _rollback_to_before_0016(db)  # down: one plain table again, every row kept
        assert (
            sorted(PageView.select(PageView.id, PageView.path, PageView.timestamp).tuples())
            == stored
        )
        if pg:
            assert not months.partitioned()
            assert _policies(db) == policies_before
            assert (
                db.execute_sql(
                    "SELECT count(*) FROM pg_namespace WHERE nspname = %s", (months.SCHEMA,)
                ).fetchone()[0]
                == 0
            )
    finally:
        if pg:
            db.execute_sql(f'DROP OWNED BY "{role}"')
            db.execute_sql(f'DROP ROLE "{role}"')
        db.close()


def _policies(db) -> list[tuple]:
    return db.execute_sql(
        "SELECT policyname, cmd, qual, with_check FROM pg_policies WHERE tablename = 'page_views' "
        "ORDER BY policyname"
    ).fetchall()


def test_a_month_boundary_is_exact(actor, db_target):
    """The last instant of a month and the first of the next go to different partitions, and pruning
    at that boundary keeps the later one."""
    project = create_project(actor, "demo")
    cutoff = months._shift(TODAY, -13)
    edge = datetime(cutoff.year, cutoff.month, 1)
    before = edge - timedelta(microseconds=1)
    record_views([view(project.id, before, "/before/"), view(project.id, edge, "/edge/")])
    months.prune_views(actor, 13, today=TODAY)
    assert paths() == ["/edge/"]
