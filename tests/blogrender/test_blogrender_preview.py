"""The preview shows drafts with a DRAFT ribbon; a build of the same project leaves them out (both databases)."""

from __future__ import annotations

import urllib.request

from bgpub.preview.session import PreviewServer
from bgpub.services.blocks import add_block
from bgpub.services.pages import add_page
from bgpub.services.posts import create_post
from bgpub.services.projects import create_project


def _fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.read()


def test_drafts_show_in_preview_with_a_ribbon_and_never_in_a_build(workspace, actor, tmp_path):
    from bgpub.services.building import build_project

    create_project(actor, "journal", title="Journal")
    add_page(actor, "journal", "home", "Home")
    add_block(actor, "journal", "home", "rich-text", {"body": "Welcome"})
    create_post(actor, "journal", "Out now", body="Published text.", status="PUBLISHED")
    create_post(actor, "journal", "Work in progress", body="Draft text.", status="DRAFT")
    server = PreviewServer(workspace, "journal", watch=False).start()
    try:
        draft = _fetch(server.url + "blog/work-in-progress/").decode()
        assert 'class="draft-ribbon"' in draft and "DRAFT" in draft and "Draft text." in draft
        published = _fetch(server.url + "blog/out-now/").decode()
        assert "draft-ribbon" not in published
        assert b"work-in-progress" in _fetch(server.url + "blog/")
    finally:
        server.stop()
    build_project(actor, "journal", tmp_path / "out")
    built = {
        p.relative_to(tmp_path / "out").as_posix(): p.read_bytes()
        for p in (tmp_path / "out").rglob("*")
        if p.is_file()
        and ".bgpub" not in p.parts
        and not p.relative_to(tmp_path / "out").parts[0].startswith(".")
    }
    assert "blog/out-now/index.html" in built and "blog/work-in-progress/index.html" not in built
    assert not any(b"work-in-progress" in data or b"DRAFT" in data for data in built.values())
