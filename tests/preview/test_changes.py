"""Change detection: the revision poller, PostgreSQL LISTEN/NOTIFY from migration 0006, the file watcher."""

from __future__ import annotations

import shutil
import threading
import time

import pytest

from bgpub.preview.changes import ProjectListener, RevisionPoller
from bgpub.preview.watcher import SourceWatcher, is_relevant

WAIT = 20.0


class Counter:
    def __init__(self):
        self.calls = 0
        self.event = threading.Event()

    def __call__(self, *args) -> None:
        self.calls += 1
        self.event.set()


def test_poller_calls_back_only_when_the_revision_moves():
    values = iter([3, 3, 3, 4, 4, None, 4, 5])
    seen = Counter()
    poller = RevisionPoller(lambda: next(values), seen, interval=3600)
    poller._last = poller._safe_read()  # 3
    assert [poller.check() for _ in range(7)] == [False, False, True, False, False, False, True]
    assert seen.calls == 2


def test_poller_survives_a_failing_read(capsys):
    def read():
        raise OSError("database is locked")

    seen = Counter()
    poller = RevisionPoller(read, seen, interval=3600)
    assert poller.check() is False and seen.calls == 0
    assert "database is locked" in capsys.readouterr().err


def test_project_revision_read_on_both_backends(actor):
    from bgpub.services.pages import add_page
    from bgpub.services.projects import create_project
    from bgpub.services.revisions import project_revision

    project = create_project(actor, "demo")
    before = project_revision(project.id)
    add_page(actor, "demo", "home", "Home")
    assert project_revision(project.id) == before + 1
    assert project_revision("no-such-project") is None


def test_listener_hears_a_revision_bump_committed_elsewhere(db_target, actor):
    if db_target.kind != "postgres":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's; SQLite is polled (covered above)")
    from bgpub.db.connection import connect_url
    from bgpub.services.projects import create_project

    mine = create_project(actor, "demo")
    heard = Counter()
    listener = ProjectListener(db_target.url, mine.id, heard).start()
    try:
        assert listener.listening
        elsewhere = connect_url(db_target.url)  # another process's connection
        elsewhere.connect()
        elsewhere.execute_sql("SELECT pg_notify('bgpub_project_changed', 'another-project')")
        elsewhere.execute_sql(
            "UPDATE projects SET title = 'x' WHERE id = %s", (mine.id,)
        )  # no bump
        time.sleep(0.5)
        assert heard.calls == 0
        elsewhere.execute_sql(
            "UPDATE projects SET revision = revision + 1 WHERE id = %s", (mine.id,)
        )
        assert heard.event.wait(WAIT)
        assert heard.calls == 1
        elsewhere.close()
    finally:
        listener.stop()


def test_listener_reconnects_after_its_connection_is_killed(db_target, actor):
    if db_target.kind != "postgres":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    from bgpub.db.connection import connect_url
    from bgpub.services.projects import create_project

    mine = create_project(actor, "demo")
    heard = Counter()
    listener = ProjectListener(db_target.url, mine.id, heard, reconnect_delay=0.1).start()
    try:
        admin = connect_url(db_target.url)
        admin.connect()
        admin.execute_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE query = 'LISTEN bgpub_project_changed' AND pid <> pg_backend_pid()"
        )
        assert heard.event.wait(
            WAIT
        )  # the reconnect itself announces a change (some may be missed)
        heard.event.clear()
        deadline = time.monotonic() + WAIT
        while not listener.listening and time.monotonic() < deadline:
            time.sleep(0.05)
        admin.execute_sql("UPDATE projects SET revision = revision + 1 WHERE id = %s", (mine.id,))
        assert heard.event.wait(WAIT)
        admin.close()
    finally:
        listener.stop()


@pytest.mark.parametrize(
    ("path", "relevant"),
    [
        ("themes/aurora/templates/base.html", True),
        ("components/hero/component.toml", True),
        ("themes/aurora/templates/.base.html.swp", False),
        ("themes/aurora/templates/base.html~", False),
        ("components/hero/__pycache__/x.pyc", False),
        ("themes/aurora/.#base.html", False),
    ],
)
def test_editor_droppings_are_ignored(path, relevant):
    assert is_relevant(path) is relevant


def test_watcher_reports_a_burst_of_edits_once(tmp_path):
    folder = tmp_path / "themes"
    folder.mkdir()
    batches: list[set[str]] = []
    done = threading.Event()

    def changed(paths):
        batches.append(paths)
        done.set()

    watcher = SourceWatcher([folder], changed, settle=0.3).start()
    try:
        for i in range(5):
            (folder / "base.html").write_text(f"v{i}")
        (folder / "x.swp").write_text("ignored")
        assert done.wait(WAIT)
        time.sleep(0.5)
        assert len(batches) == 1
        assert any(p.endswith("base.html") for p in batches[0])
        assert not any(p.endswith(".swp") for p in batches[0])
    finally:
        watcher.stop()


def test_template_edit_rerenders_and_reloads(workspace, actor, tmp_path, monkeypatch):
    """Editing a theme template on disk re-renders the preview (watchdog), no database change involved."""
    from bgpub.preview.session import PreviewServer
    from bgpub.render import paths
    from bgpub.services.blocks import add_block
    from bgpub.services.pages import add_page
    from bgpub.services.projects import create_project

    themes = tmp_path / "themes"
    shutil.copytree(paths.themes_dirs()[0], themes)
    monkeypatch.setenv("BGPUB_THEMES_PATH", str(themes))
    create_project(actor, "demo", theme="aurora")
    add_page(actor, "demo", "home", "Home")
    add_block(actor, "demo", "home", "hero", {"heading": "Hello"})
    server = PreviewServer(workspace, "demo", watch=True).start()
    try:
        before = server.site.state.generation
        css = themes / "aurora" / "static" / "style.css"
        css.write_text(css.read_text() + "\n/* preview-watch-marker */\n")
        deadline = time.monotonic() + WAIT
        while server.site.state.generation == before and time.monotonic() < deadline:
            time.sleep(0.05)
        state = server.site.state
        assert state.generation > before and state.error is None
        stylesheet = next(p for p in state.files if p.startswith("assets/style."))
        assert b"preview-watch-marker" in state.files[stylesheet]
        assert "index.html" in state.changed  # the page links the new stylesheet hash
    finally:
        server.stop()


def test_poller_reports_a_lasting_problem_once(capsys):
    def read():
        raise OSError("database is locked")

    poller = RevisionPoller(read, Counter(), interval=3600)
    for _ in range(5):
        poller.check()
    assert capsys.readouterr().err.count("database is locked") == 1
