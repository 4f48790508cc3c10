"""A project deleted while its preview runs: the browser is told plainly, on SQLite and PostgreSQL."""

from __future__ import annotations

import time
import urllib.error
import urllib.request

from bgpub.preview.session import PreviewServer
from bgpub.services.blocks import add_block
from bgpub.services.pages import add_page
from bgpub.services.projects import create_project, delete_project

WAIT = 20.0  # generous upper bound for a slow CI machine (PostgreSQL polls every 2 s)


def fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_a_deleted_project_shows_project_deleted(workspace, actor):
    create_project(actor, "demo", title="Demo")
    add_page(actor, "demo", "home", "Home")
    add_block(actor, "demo", "home", "hero", {"heading": "Still here"})
    server = PreviewServer(workspace, "demo", watch=False).start()
    try:
        status, body = fetch(server.url)
        assert status == 200 and b"Still here" in body
        delete_project(actor, "demo")
        deadline = time.monotonic() + WAIT
        while server.site.state.error is None and time.monotonic() < deadline:
            time.sleep(0.02)
        for path in ("", "no-such-page/"):
            status, body = fetch(server.url + path)
            assert status == 500, path
            assert (
                b"project deleted" in body and b"project demo" in body and b"Still here" not in body
            )
    finally:
        server.stop()
