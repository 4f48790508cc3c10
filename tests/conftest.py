"""Shared fixtures: every database test runs on SQLite and on PostgreSQL, each test on its own database.

The schema is built once per session by running the migrations into a template (a SQLite file,
a PostgreSQL template database). Each SQLite test gets a copy of the file; each PostgreSQL test gets
this worker's copy of the template database, emptied back to the template's state before the test
(see `pg_worker_support`; `BGPUB_TEST_DB_PER_TEST=1` gives every test a new copy instead).
"""

from __future__ import annotations

import os
import shutil
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # pg_worker_support, whatever the import mode

from bgpub.db import schema  # noqa: E402
from bgpub.db.connection import connect_url, database, init_database  # noqa: E402
from pg_worker_support import WorkerDatabase, drop_abandoned, owned_name  # noqa: E402


def _ctrl_c_reaches_children() -> None:
    """Some tests stop `bgpub preview` with SIGINT, as Ctrl+C in a terminal does. A suite started as
    a background job of a script (`... &`) inherits SIGINT ignored, its child processes too, and
    Python leaves an ignored SIGINT ignored: those tests then waited 30 s and failed. Python's own
    handler here means children start with the default, as under a terminal."""
    import signal

    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


_ctrl_c_reaches_children()

PG_URL = os.environ.get("BGPUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
REQUIRE_PG = os.environ.get("BGPUB_REQUIRE_POSTGRES") == "1"
DB_PER_TEST = os.environ.get("BGPUB_TEST_DB_PER_TEST") == "1"


# Modules whose tests take the longest (seconds each: deploy kill trials, Pilot flows, browsers, real
# servers), run first. Under `pytest -n 2` the long ones then overlap with the many short ones instead
# of one worker finishing them alone at the end. Order within a module is kept (module fixtures).
SLOW_FIRST = (
    "deploy/test_deploy_s3_kill.py",
    "deploy/test_deploy_done_when.py",
    "tui/test_flow.py",
    "tui/test_concurrent.py",
    "collector/test_collect_done_when.py",
    "services/test_svg_browser.py",
    "e2e/",
    "deploy/",
    "tui/",
    "collector/",
    "preview/test_browser.py",
)


def _slowness(item: pytest.Item) -> int:
    path = item.path.as_posix()
    for rank, part in enumerate(SLOW_FIRST):
        if f"/tests/{part}" in path:
            return rank
    if item.get_closest_marker("slow") or item.get_closest_marker("browser"):
        return len(SLOW_FIRST)
    return len(SLOW_FIRST) + 1


# The editor is a front end: it reaches the database only through services, whose queries the
# services, CLI and e2e tests run on both databases. The editor's own tests (tests/tui, and the Pilot
# tests of other areas' screens, marked `editor`) therefore run on SQLite, except tests/tui's whole
# create/edit/publish flow and two editors editing one page at once (where the databases' locking
# differs), and any test marked `both_databases` (the editor shows something that depends on the
# database, such as PostgreSQL's organization limits). `bench/front_end_pg_coverage.py` checks the
# choice: the editor's PostgreSQL cases must run no line of `bgpub.services` or `bgpub.db` that the
# rest of the suite's PostgreSQL tests leave unrun. BGPUB_TUI_BOTH_DATABASES=1 runs them on both.
EDITOR_BOTH_EVERYWHERE = os.environ.get("BGPUB_TUI_BOTH_DATABASES") == "1"
EDITOR_FOLDER = Path(__file__).parent / "tui"
EDITOR_BOTH_DATABASES = ("test_flow.py", "test_concurrent.py")


def _editor_on_sqlite(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks tests/tui's tests `editor` and deselects the editor tests' PostgreSQL cases (as `-k` would)."""
    for item in items:
        if item.path.parent == EDITOR_FOLDER:
            item.add_marker("editor")
    if EDITOR_BOTH_EVERYWHERE:
        return
    dropped = [
        item
        for item in items
        if item.get_closest_marker("editor") is not None
        and item.get_closest_marker("both_databases") is None
        and not (item.path.parent == EDITOR_FOLDER and item.path.name in EDITOR_BOTH_DATABASES)
        and getattr(item, "callspec", None) is not None
        and item.callspec.params.get("db_target") == "postgres"
    ]
    if dropped:
        gone = set(map(id, dropped))
        items[:] = [item for item in items if id(item) not in gone]
        config.hook.pytest_deselected(items=dropped)


@pytest.hookimpl(tryfirst=True)  # before `-m`, so `-m editor` selects tests/tui too
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Editor tests on SQLite (above); slow modules first (a module moves as a whole, at its slowest
    test's rank), the rest as collected."""
    _editor_on_sqlite(config, items)
    rank: dict[Path, int] = {}
    for item in items:
        rank[item.path] = min(rank.get(item.path, len(SLOW_FIRST) + 1), _slowness(item))
    position = {
        path: index for index, path in enumerate(dict.fromkeys(item.path for item in items))
    }
    items.sort(key=lambda item: (rank[item.path], position[item.path]))


@dataclass(frozen=True)
class DbTarget:
    kind: str  # "sqlite" or "postgres"
    url: str


def _pg_url_for(name: str) -> str:
    base, _, _ = PG_URL.rpartition("/")
    return f"{base}/{name}"


def _pg_admin():
    db = connect_url(PG_URL)
    db.connect()
    db.connection().autocommit = True
    return db


_pg_problem: str | None = None


def _pg_reachable() -> bool:
    global _pg_problem
    try:
        _pg_admin().close()
        return True
    except Exception as exc:  # unreachable server, bad credentials
        _pg_problem = f"PostgreSQL unreachable at {PG_URL}: {str(exc).strip().splitlines()[0] if str(exc).strip() else exc!r}"
        return False


@pytest.fixture(scope="session")
def pg_template(worker_id: str = "master"):
    """A migrated template database for this session (and xdist worker)."""
    if not _pg_reachable():
        if REQUIRE_PG:
            pytest.fail(f"{_pg_problem} (BGPUB_REQUIRE_POSTGRES=1)")
        pytest.skip(_pg_problem)
    drop_abandoned(PG_URL)
    name = owned_name("bgpub_tpl")
    admin = _pg_admin()
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    db = init_database(_pg_url_for(name))
    schema.migrate(db)
    db.close()
    yield name
    admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("tpl") / "template.db"
    db = init_database(f"sqlite:///{path}")
    schema.migrate(db)
    db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    return path


@pytest.fixture(scope="session")
def pg_worker_database(pg_template):
    """This session's (xdist worker's) PostgreSQL database, reset to the template before each test."""
    worker = WorkerDatabase(PG_URL, pg_template, _pg_url_for)
    yield worker
    if database.obj is not None and not database.is_closed():
        database.close()
    worker.close()


@pytest.fixture
def fresh_pg_database(request):
    """A new, empty PostgreSQL database (not migrated); dropped after the test."""
    if not _pg_reachable():
        if REQUIRE_PG:
            pytest.fail(f"{_pg_problem} (BGPUB_REQUIRE_POSTGRES=1)")
        pytest.skip(_pg_problem)
    name = f"bgpub_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    admin.execute_sql(f'CREATE DATABASE "{name}"')
    yield _pg_url_for(name)
    if database.obj is not None and not database.is_closed():
        database.close()
    admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(params=["sqlite", "postgres"])
def db_target(request, tmp_path) -> DbTarget:
    """A migrated database of each kind, private to this test."""
    if request.param == "sqlite":
        template = request.getfixturevalue("sqlite_template")
        path = tmp_path / "bgpub.db"
        shutil.copyfile(template, path)
        yield DbTarget("sqlite", f"sqlite:///{path}")
        return
    if not DB_PER_TEST:
        worker = request.getfixturevalue("pg_worker_database")
        yield DbTarget("postgres", worker.fresh())
        if database.obj is not None and not database.is_closed():
            database.close()
        return
    template = request.getfixturevalue("pg_template")
    name = f"bgpub_t_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    admin.execute_sql(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield DbTarget("postgres", _pg_url_for(name))
    if database.obj is not None and not database.is_closed():
        database.close()
    admin.execute_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    """An isolated bgpub workspace folder (config file, SQLite default, blob cache)."""
    path = tmp_path / "home"
    path.mkdir()
    monkeypatch.setenv("BGPUB_HOME", str(path))
    for var in (
        "BGPUB_DATABASE_URL",
        "DATABASE_URL",
        "BGPUB_USER_EMAIL",
        "BGPUB_ALLOW_IMPERSONATION",
    ):
        monkeypatch.delenv(var, raising=False)
    return path


@pytest.fixture
def db(db_target, home):
    """The database proxy, initialised on this test's private database of each kind."""
    handle = init_database(db_target.url)
    yield handle
    if not handle.is_closed():
        handle.close()


@pytest.fixture
def workspace(db, db_target, home):
    """Services' workspace on this test's database, acting as a fresh OWNER of a personal organization."""
    from bgpub.services.workspace import open_workspace

    return open_workspace(db_target.url, workspace_path=home)


@pytest.fixture
def actor(workspace):
    """The acting user: OWNER of the personal organization `actor.memberships[0].organization`."""
    return workspace.actor


@pytest.fixture
def one_minute(monkeypatch):
    """Rate limits count per clock minute: a flood that a slow machine spreads across a minute's
    end would start a new window and pass. The limiter's clock is held at the middle of a minute."""
    import time
    from types import SimpleNamespace

    from bgpub.services import rate_limits

    held = (time.time() // rate_limits.WINDOW) * rate_limits.WINDOW + rate_limits.WINDOW / 2
    monkeypatch.setattr(rate_limits, "time", SimpleNamespace(time=lambda: held))
    return held
