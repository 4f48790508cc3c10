"""Live reload on a real project, on SQLite and PostgreSQL: a service call elsewhere reaches the event stream."""

from __future__ import annotations

import re
import socket
import threading
import time
import urllib.error
import urllib.request

import pytest
from tests.preview.event_stream import WAIT, EventStream

from bgpub.preview.session import PreviewServer
from bgpub.services.blocks import add_block, set_props
from bgpub.services.pages import add_page
from bgpub.services.projects import create_project


@pytest.fixture
def project(actor):
    create_project(actor, "demo", title="Demo")
    add_page(actor, "demo", "home", "Home")
    add_block(actor, "demo", "home", "hero", {"heading": "First headline"})
    add_page(actor, "demo", "about", "About")
    add_block(actor, "demo", "about", "hero", {"heading": "About headline"})
    return "demo"


@pytest.fixture
def running(workspace, project):
    server = PreviewServer(workspace, project, watch=False).start()
    yield server
    server.stop()


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_first_render_is_served(running):
    status, body = fetch(running.url)
    assert status == 200 and b"First headline" in body
    status, body = fetch(running.url + "about/")
    assert status == 200 and b"About headline" in body


def test_a_saved_prop_sends_a_reload_naming_the_changed_page(running, actor):
    stream = EventStream(running.port, running.site.state.generation).open()
    try:
        set_props(actor, "demo", "about", 0, {"heading": "Changed headline"})
        events = stream.wait(1)
        assert events, "no reload event after the save"
        assert "about/index.html" in events[-1]["changed"]
        assert "index.html" not in events[-1]["changed"]  # the home page did not change
        assert events[-1]["error"] is False
        status, body = fetch(running.url + "about/")
        assert status == 200 and b"Changed headline" in body
    finally:
        stream.close()


def test_only_the_changed_page_is_rendered_again(running, actor):
    files_before = running.site.state.files
    stream = EventStream(running.port).open()
    try:
        set_props(actor, "demo", "about", 0, {"heading": "Again"})
        assert stream.wait(1), "no reload event after the save"
    finally:
        stream.close()
    state = running.site.state
    # the edited page, and the sitemap too when its lastmod (seconds) moved
    assert state.changed - {"sitemap.xml"} == frozenset({"about/index.html"})
    # reused, not re-rendered: the same bytes at the same place in the render cache's pack
    assert state.files.location("index.html") == files_before.location("index.html")
    assert state.files.location("about/index.html") != files_before.location("about/index.html")
    assert b"Again" in state.files["about/index.html"]


def test_stale_client_gets_an_immediate_full_reload(running, actor):
    current = EventStream(running.port).open()
    try:
        set_props(actor, "demo", "home", 0, {"heading": "Moved on"})
        assert current.wait(1), "no reload event after the save"
    finally:
        current.close()
    stream = EventStream(running.port, since=0)
    try:
        events = stream.wait(1)
        assert events and events[0]["generation"] >= 2
    finally:
        stream.close()


def test_render_error_page_then_fix_reloads(running, actor, monkeypatch):
    """A broken render shows the place in the browser; the next good save clears it."""
    from bgpub.errors import RenderError
    from bgpub.render import incremental

    original = incremental.Renderer.render
    broken = {"on": True}

    def render(self, snapshot, build=None):
        if broken["on"] and any(
            b.props.get("heading") == "BREAK" for p in snapshot.pages for b in p.blocks
        ):
            raise RenderError(
                "unexpected end of template", where="themes/aurora/templates/base.html:7"
            )
        return original(self, snapshot, build)

    monkeypatch.setattr(incremental.Renderer, "render", render)
    stream = EventStream(running.port, running.site.state.generation).open()
    try:
        set_props(actor, "demo", "about", 0, {"heading": "BREAK"})
        events = stream.wait(1)
        assert events and events[-1]["error"] is True
        status, body = fetch(running.url + "about/")
        assert status == 500 and b"themes/aurora/templates/base.html:7" in body
        set_props(actor, "demo", "about", 0, {"heading": "Fixed headline"})
        events = stream.wait(2)
        assert len(events) >= 2 and events[-1]["error"] is False
        status, body = fetch(running.url + "about/")
        assert status == 200 and b"Fixed headline" in body
    finally:
        stream.close()


def test_invalid_stored_prop_names_page_block_and_prop(running, actor, db):
    """Data that slipped past validation (another tool wrote it) shows where it is, not a traceback."""
    from bgpub.db.models import Page, Project
    from bgpub.services.revisions import bump_project

    stream = EventStream(running.port).open()
    try:
        page = Page.get(Page.slug == "about")
        page.blocks = [{"component": "hero", "props": {"heading": 42}}]
        page.save()
        bump_project(Project.get(Project.name == "demo"))
        events = stream.wait(1)
        assert events and events[-1]["error"] is True
    finally:
        stream.close()
    status, body = fetch(running.url + "about/")
    assert status == 500
    assert b"page about" in body and b"heading" in body


def test_unknown_project_is_a_readable_error(workspace):
    from bgpub.errors import NotFound

    with pytest.raises(NotFound, match="nope"):
        PreviewServer(workspace, "nope").start()


def test_stop_ends_threads_and_frees_the_port(workspace, project):
    before = {t.name for t in threading.enumerate()}
    server = PreviewServer(workspace, project, watch=True).start()
    port = server.port
    stream = EventStream(server.port, server.site.state.generation)
    server.stop()
    deadline = time.monotonic() + WAIT
    leftover = set()
    while time.monotonic() < deadline:
        leftover = {
            t.name for t in threading.enumerate() if t.name.startswith("bgpub-preview")
        } - before
        if not leftover:
            break
        time.sleep(0.05)
    assert not leftover
    with socket.socket() as probe:  # nobody listens on the port any more (a restart can bind it)
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind(("127.0.0.1", port))
        probe.listen()
    stream.close()
    server.stop()  # twice is fine


def test_rendered_files_carry_no_reload_script_and_404_is_the_themes(running):
    from bgpub.preview.reload import MARKER

    files = running.site.state.files
    assert "404.html" in files
    assert all(MARKER.encode() not in data for data in files.values())
    status, body = fetch(running.url + "no/such/page/")
    assert status == 404
    assert body.startswith(files["404.html"][:200])
    assert MARKER.encode() in body


def test_broken_template_names_file_and_line_and_its_fix_recovers(
    workspace, actor, tmp_path, monkeypatch
):
    """A real template mistake (through the file watcher): the page names the file and line."""
    import shutil

    from bgpub.render import paths

    themes = tmp_path / "themes"
    shutil.copytree(paths.themes_dirs()[0], themes)
    monkeypatch.setenv("BGPUB_THEMES_PATH", str(themes))
    create_project(actor, "site")
    add_page(actor, "site", "home", "Home")
    add_block(actor, "site", "home", "hero", {"heading": "Template test"})
    server = PreviewServer(workspace, "site", watch=True).start()
    try:
        base = themes / "aurora" / "templates" / "base.html"
        good = base.read_text()
        lines = good.splitlines(keepends=True)
        lines.insert(2, "{% if %}\n")  # a syntax error on line 3
        base.write_text("".join(lines))
        deadline = time.monotonic() + WAIT
        while server.site.state.error is None and time.monotonic() < deadline:
            time.sleep(0.05)
        status, body = fetch(server.url)
        assert status == 500
        assert re.search(rb"base\.html:3\b", body), body[:600]
        base.write_text(good)
        deadline = time.monotonic() + WAIT
        while server.site.state.error is not None and time.monotonic() < deadline:
            time.sleep(0.05)
        status, body = fetch(server.url)
        assert status == 200 and b"Template test" in body
    finally:
        server.stop()


def test_links_work_at_the_root_when_the_site_lives_under_a_sub_path(workspace, actor):
    from bgpub.services.projects import update_project

    create_project(actor, "docs")
    add_page(actor, "docs", "home", "Home")
    add_block(actor, "docs", "home", "hero", {"heading": "Docs"})
    add_page(actor, "docs", "guide", "Guide")
    update_project(actor, "docs", settings={"base_url": "https://example.org/docs"})
    server = PreviewServer(workspace, "docs", watch=False).start()
    try:
        status, body = fetch(server.url)
        assert status == 200
        assert b'href="/guide/"' in body and b"/docs/guide/" not in body
        assert fetch(server.url + "guide/")[0] == 200
    finally:
        server.stop()
