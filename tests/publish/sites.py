"""Test sites: plain dicts of files with an in-memory blob store, and projects built through services."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from bgpub.db.models import Page
from bgpub.publish.manifest import build_manifest, digest


def site(n: int = 5, *, changed: dict[int, str] | None = None) -> dict[str, bytes]:
    files = {"index.html": b"<h1>home</h1>", "assets/style.css": b"body{}"}
    for i in range(n):
        text = (changed or {}).get(i, f"page {i}")
        files[f"page-{i}/index.html"] = f"<p>{text}</p>".encode()
    return files


class MemoryBlobs:
    """A blob store in a dict, counting what was fetched."""

    def __init__(self):
        self.data: dict[str, bytes] = {}
        self.fetched = 0

    def add(self, files: dict[str, bytes]) -> dict[str, list]:
        for data in files.values():
            self.data[digest(data)] = data
        return build_manifest(files)

    def fetch(self, hashes: Iterable[str]) -> dict[str, bytes]:
        hashes = list(hashes)
        self.fetched += len(hashes)
        return {h: self.data[h] for h in hashes}


REPO = Path(__file__).resolve().parents[2]


def page_blocks(i: int, text: str | None = None) -> list[dict]:
    return [
        {"component": "hero", "props": {"heading": f"Page {i}", "text": "A short pitch."}},
        {
            "component": "rich-text",
            "props": {"body": text or f"## Section {i}\n\nBody of page {i}."},
        },
    ]


def make_project(actor, name: str = "demo", pages: int = 3):
    """A project with `pages` pages (home first), each a hero and a rich-text block."""
    from bgpub.services.pages import add_page
    from bgpub.services.projects import create_project

    project = create_project(actor, name, title=name.title())
    for i in range(pages):
        add_page(actor, project, "home" if i == 0 else f"page-{i}", f"Page {i}")
    for i, page in enumerate(Page.select().where(Page.project == project).order_by(Page.position)):
        page.blocks = page_blocks(i)
        page.save()
    return project


def edit_page(project, i: int, text: str) -> None:
    slug = "home" if i == 0 else f"page-{i}"
    page = Page.get((Page.project == project) & (Page.slug == slug))
    page.blocks = page_blocks(i, text)
    page.revision += 1
    page.save()


def read_tree(root) -> dict[str, bytes]:
    out = {}
    for dirpath, _, names in os.walk(root):
        for name in names:
            full = os.path.join(dirpath, name)
            out[os.path.relpath(full, root).replace(os.sep, "/")] = Path(full).read_bytes()
    return out
