"""Database faults during edits and publishes: SQLite writers wait their busy timeout, a fault becomes
one readable line (never a traceback), the deployment is marked failed with the reason, and the live
site is never switched by a publish whose database connection or one-publish lock was lost."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import threading
import time
from contextlib import contextmanager

import peewee
import psycopg2
import pytest
from tests.inprocess_cli_support import run_bgpub_here
from tests.publish.cli_forks import ForkServer
from tests.publish.sites import edit_page, read_tree

from bgpub.db.connection import connect_url, database, init_database
from bgpub.db.enums import DeploymentStatus
from bgpub.db.models import Deployment, DeployTarget, Page, Version
from bgpub.errors import DatabaseBusy, DatabaseUnavailable, PublishError
from bgpub.publish.locking import LOCK_CLASS, AdvisoryLock, HeldLock
from bgpub.services import blobs
from bgpub.services.publishing import publish_project, rollback_project
from bgpub.services.targets import add_target, default_site_path, open_target


def run_cli(forks: ForkServer, db_target, home, *args, env=None, wait=True):
    """`python -m bgpub ARGS` in a process of its own (forked from a server that has done the
    imports, cli_forks.py): another process than the test's, which holds the locks it waits on."""
    environ = {
        **os.environ,
        "BGPUB_HOME": str(home),
        "BGPUB_DATABASE_URL": db_target.url,
        **(env or {}),
    }
    run = forks.start(list(args), environ)
    return run if not wait else run.finished()


def one_error_line(stderr: str) -> str:
    """The CLI's whole stderr must be one `error:` line: no traceback, no second line."""
    assert "Traceback" not in stderr, stderr
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    return lines[0]


def sqlite_path(db_target) -> str:
    return db_target.url[len("sqlite:///") :]


@contextmanager
def write_lock(db_target):
    """Another process's writer: holds SQLite's write lock (BEGIN EXCLUSIVE) until the block ends."""
    other = sqlite3.connect(
        sqlite_path(db_target), isolation_level=None, timeout=0, check_same_thread=False
    )
    other.execute("BEGIN EXCLUSIVE")
    try:
        yield other
    finally:
        other.execute("ROLLBACK")
        other.close()


def stall(tmp_path, point: str) -> dict[str, str]:
    return {"BGPUB_STALL_AT": point, "BGPUB_STALL_FILE": str(tmp_path / "stalled")}


def wait_for_stall(proc, tmp_path) -> None:
    flag = tmp_path / "stalled"
    deadline = time.monotonic() + 60
    while not flag.exists() and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert flag.exists(), proc.communicate()


def only(request, kind: str, why: str) -> None:
    """Skips before the other backend's database is even made (the fixture comes first)."""
    if request.node.callspec.params.get("db_target") != kind:
        pytest.skip(f"{kind} only: {why}")


@pytest.fixture
def sqlite_only(request) -> None:
    only(request, "sqlite", "SQLite's write lock and busy timeout")


@pytest.fixture
def postgres_only(request) -> None:
    only(request, "postgres", "a server connection that can be terminated")


# -- SQLite: every connection waits its busy timeout, every transaction takes the write lock first ----
CONNECTIONS = ["main handle", "another thread", "side connection"]


@pytest.mark.parametrize("which", CONNECTIONS)
def test_every_sqlite_transaction_takes_the_write_lock_when_it_begins(
    sqlite_only, db_target, home, which, monkeypatch
):
    """A deferred BEGIN that read first cannot wait for the lock when it writes ('database is locked'
    at once, whatever the busy timeout): every transaction must begin IMMEDIATE, on every connection,
    and every connection must wait the configured busy timeout."""
    monkeypatch.setenv("BGPUB_SQLITE_BUSY_TIMEOUT", "2.5")
    main = init_database(db_target.url)
    handle = connect_url(db_target.url) if which == "side connection" else main
    seen: dict = {}

    def inside() -> None:
        with handle.atomic():
            seen["busy_timeout"] = handle.execute_sql("PRAGMA busy_timeout").fetchone()[0]
            probe = sqlite3.connect(sqlite_path(db_target), isolation_level=None, timeout=0)
            try:
                probe.execute("BEGIN IMMEDIATE")
                seen["other writer"] = "got the write lock"
                probe.execute("ROLLBACK")
            except sqlite3.OperationalError as exc:
                seen["other writer"] = str(exc)
            finally:
                probe.close()

    if which == "another thread":
        worker = threading.Thread(target=inside)
        worker.start()
        worker.join()
    else:
        inside()
    handle.close()
    assert seen["other writer"] == "database is locked"
    assert seen["busy_timeout"] == 2500


def test_busy_timeout_must_be_a_number(sqlite_only, db_target, home):
    """A setting read when the command starts: the entry point in this process is enough (the
    commands below, which wait on another process's lock, run as processes)."""
    env = {
        **os.environ,
        "BGPUB_HOME": str(home),
        "BGPUB_DATABASE_URL": db_target.url,
        "BGPUB_SQLITE_BUSY_TIMEOUT": "soon",
    }
    code, _, err = run_bgpub_here(["page", "list", "x"], env=env)
    assert code == 2
    assert "BGPUB_SQLITE_BUSY_TIMEOUT" in one_error_line(err)


WRITES = {
    "page set": (["page", "set", "demo", "page-1", "--title", "Waited for"], None),
    "publish": (["publish", "demo"], "blobs-stored"),  # the lock is taken while it stands there
}


@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_writer_waits_for_another_process_holding_the_lock(
    sqlite_only, command, actor, project, home, db_target, tmp_path, forks
):
    """Another process holds the write lock for about a second: the command waits and succeeds."""
    publish_project(actor, "demo")
    edit_page(project, 1, "Words that wait.")
    args, point = WRITES[command]
    env = {"BGPUB_SQLITE_BUSY_TIMEOUT": "20", **(stall(tmp_path, point) if point else {})}
    proc = None
    if point:
        proc = run_cli(forks, db_target, home, *args, env=env, wait=False)
        wait_for_stall(proc, tmp_path)
    with write_lock(db_target):
        if proc is None:
            proc = run_cli(forks, db_target, home, *args, env=env, wait=False)
        else:
            (tmp_path / "stalled").unlink()
        try:  # hold the lock for a second, unless the command gave up while we hold it (the bug)
            proc.wait(timeout=1.0)
        except subprocess.TimeoutExpired:
            pass
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0, err
    assert "Traceback" not in err
    if command == "page set":
        assert Page.get(Page.slug == "page-1").title == "Waited for"
    else:
        newest = Version.select().order_by(Version.number.desc()).first()
        assert newest.number == 2
        live = default_site_path(project, home)
        assert (
            open_target(DeployTarget.get(DeployTarget.project == project), home).verify(
                newest.manifest
            )
            == []
        )
        assert read_tree(live)


@pytest.mark.parametrize("command", sorted(WRITES))
def test_a_writer_gives_up_after_the_busy_timeout_with_one_line(
    sqlite_only, command, actor, project, home, db_target, forks
):
    """The lock is held for longer than the busy timeout: one clear line, exit 1, nothing written."""
    publish_project(actor, "demo")
    live = default_site_path(project, home)
    before = read_tree(live)
    edit_page(project, 1, "Words that give up.")
    args, _ = WRITES[command]
    counts = (Version.select().count(), Deployment.select().count())
    with write_lock(db_target):  # held until the command has ended
        done = run_cli(forks, db_target, home, *args, env={"BGPUB_SQLITE_BUSY_TIMEOUT": "0.3"})
    assert done.returncode == 1
    line = one_error_line(done.stderr)
    assert "locked" in line and "BGPUB_SQLITE_BUSY_TIMEOUT" in line
    assert Page.get(Page.slug == "page-1").title == "Page 1"
    assert (Version.select().count(), Deployment.select().count()) == counts
    assert read_tree(live) == before


# -- a database fault mid-deploy: the deployment is marked failed, the live site is untouched -------
DRIVER_FAULTS = {
    "sqlite locked": (peewee.OperationalError("database is locked"), DatabaseBusy),
    "connection closed": (peewee.InterfaceError("connection already closed"), DatabaseUnavailable),
    "disk": (peewee.DatabaseError("disk I/O error"), DatabaseUnavailable),
}


@pytest.mark.parametrize("fault", sorted(DRIVER_FAULTS))
def test_a_database_fault_mid_rollback_marks_the_deployment_failed(
    fault, actor, project, home, monkeypatch
):
    """A rollback reads the old bytes from the database while it deploys: a fault there stops it
    before going live, recorded as a failed deployment with the readable reason."""
    for n in range(3):  # three versions: the spare release no longer holds version 1's bytes
        edit_page(project, 1, f"Version {n + 1} words.")
        publish_project(actor, "demo")
    live = default_site_path(project, home)
    before = read_tree(live)
    raised, kind = DRIVER_FAULTS[fault]

    def failing(hashes):
        raise raised

    monkeypatch.setattr(blobs, "get_many", failing)
    with pytest.raises(kind) as caught:
        rollback_project(actor, "demo", 1)
    assert read_tree(live) == before
    row = Deployment.select().order_by(Deployment.started_at.desc()).first()
    assert row.is_rollback and row.status == DeploymentStatus.FAILED and row.finished_at is not None
    assert row.error == str(caught.value)


def lose_the_lock(monkeypatch) -> None:
    """As if the server dropped the lock's connection: each kind of lock reports itself lost."""

    def lost(self):
        raise self.lost("server closed the connection unexpectedly")

    monkeypatch.setattr(HeldLock, "check", lost)
    monkeypatch.setattr(AdvisoryLock, "check", lost)


@pytest.mark.parametrize("kind", ["dir", "git"])
def test_a_lost_publish_lock_stops_before_going_live(
    kind, actor, project, home, monkeypatch, tmp_path
):
    target = None
    if kind == "git":
        repo = tmp_path / "pages.git"
        subprocess.run(["git", "init", "-q", "--bare", str(repo)], check=True)
        target = "pages"
        add_target(actor, "demo", target, "git", repo=str(repo))
    publish_project(actor, "demo", target=target)
    row = DeployTarget.get(
        (DeployTarget.project == project) & (DeployTarget.name == (target or "default"))
    )
    first = Version.get(Version.number == 1).manifest
    edit_page(project, 1, "Never live.")
    lose_the_lock(monkeypatch)
    with pytest.raises(PublishError, match="publish lock was lost") as caught:
        publish_project(actor, "demo", target=target)
    assert "live site is unchanged" in str(caught.value)
    assert open_target(row, home).verify(first) == []
    failed = Deployment.get(Deployment.version == Version.get(Version.number == 2))
    assert failed.status == DeploymentStatus.FAILED and failed.error == str(caught.value)


# -- PostgreSQL: the server drops the publisher's connections mid-publish ------------------------------
PUBLISHER = (
    "bgpub-publisher-under-test"  # the subprocess's connections carry it (libpq's PGAPPNAME)
)


def publisher_backends() -> tuple[int, int]:
    """(main connection, lock connection) of the publishing process (a connection it just closed may
    linger a moment in pg_stat_activity)."""
    deadline = time.monotonic() + 10
    while True:
        rows = database.execute_sql(
            "SELECT a.pid, EXISTS (SELECT 1 FROM pg_locks l WHERE l.pid = a.pid AND l.locktype = 'advisory'"
            " AND l.granted AND l.classid::bigint = %s) FROM pg_stat_activity a WHERE a.application_name = %s"
            " AND a.datname = current_database()",  # not another xdist worker's publisher
            (LOCK_CLASS, PUBLISHER),
        ).fetchall()
        main = [pid for pid, locking in rows if not locking]
        lockers = [pid for pid, locking in rows if locking]
        if (len(main) == 1 and len(lockers) == 1) or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    assert len(main) == 1 and len(lockers) == 1, rows
    return main[0], lockers[0]


@pytest.mark.parametrize("operation", ["publish", "rollback"])
@pytest.mark.parametrize("victim", ["main connection", "lock connection"])
def test_terminated_backend_mid_publish(
    postgres_only, victim, operation, actor, project, home, db_target, tmp_path, forks
):
    """pg_terminate_backend while the deploy stands just before the switch: one line, exit 1, the
    live site unchanged, the deployment marked failed with the reason (over a new connection when
    the publisher's own one was the one dropped)."""
    publish_project(actor, "demo")
    edit_page(project, 1, "Second version.")
    publish_project(actor, "demo")
    live = default_site_path(project, home)
    before = read_tree(live)
    edit_page(project, 1, "Third version, never live.")
    args = ["publish", "demo"] if operation == "publish" else ["rollback", "demo", "1"]
    proc = run_cli(
        forks,
        db_target,
        home,
        *args,
        env={**stall(tmp_path, "dir-before-swap"), "PGAPPNAME": PUBLISHER},
        wait=False,
    )
    wait_for_stall(proc, tmp_path)
    main, locker = publisher_backends()
    pid = main if victim == "main connection" else locker
    assert database.execute_sql("SELECT pg_terminate_backend(%s, 5000)", (pid,)).fetchone()[0]
    (tmp_path / "stalled").unlink()
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 1, (out, err)
    line = one_error_line(err)
    expected = (
        "lost the connection to the database before going live"
        if victim == "main connection"
        else "publish lock was lost"
    )
    assert expected in line and "live site is unchanged" in line
    assert read_tree(live) == before
    row = Deployment.select().order_by(Deployment.started_at.desc()).first()
    assert row.is_rollback == (operation == "rollback")
    assert row.status == DeploymentStatus.FAILED and row.finished_at is not None
    assert expected in row.error
    assert publish_project(actor, "demo").ok  # nothing to repair: the next publish goes live


def test_a_lost_lock_connection_is_seen_by_its_check(postgres_only, db, db_target):
    """The check asks the server on the lock's own connection, so a dropped connection is noticed."""
    from bgpub.publish.locking import advisory_lock

    side = connect_url(db_target.url)
    side.connect()
    with advisory_lock(side.connection(), "publish:check", "busy", label="publish lock") as held:
        held.check()  # held: no error
        pid = side.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
        side.connection().commit()
        assert db.execute_sql("SELECT pg_terminate_backend(%s, 5000)", (pid,)).fetchone()[0]
        with pytest.raises(PublishError, match="publish lock was lost"):
            held.check()
    try:
        side.close()
    except (peewee.PeeweeException, psycopg2.Error):
        pass
