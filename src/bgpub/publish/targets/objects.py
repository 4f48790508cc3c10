"""How a site's files become objects on a store that has no atomic switch (S3, rclone remotes).

Visitors must never get a page that points at something missing, so a deploy goes in phases, each
finished before the next starts: content-hashed assets (new names, nobody links to them yet), then
the other non-HTML files, then HTML pages that are new, then HTML pages that change (which may link
to the new ones); only then deletions, HTML first so no page outlives what it links to. A process
killed at any point leaves old pages pointing at old objects (nothing was deleted yet) and new pages
pointing at new objects (uploaded before them).
"""

from __future__ import annotations

import mimetypes
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import urlparse

from bgpub.domain.progress import DEPLOY, Progress, Step
from bgpub.publish.targets.host_rules import IMMUTABLE, parse_redirects

HASHED = re.compile(r"^assets/(?:.+/)?[^/]+\.[0-9a-f]{8,64}\.[A-Za-z0-9]+$")
HTML_CACHE = "public, max-age=60, must-revalidate"
OTHER_CACHE = "public, max-age=300"
TYPES = {  # what mimetypes may not know, or knows differently per system
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".woff2": "font/woff2",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
}
PLAIN = ("_headers", "_redirects", "CNAME", ".nojekyll")
REDIRECTS = "_redirects"


def is_html(path: str) -> bool:
    return path.endswith((".html", ".htm"))


def is_hashed_asset(path: str) -> bool:
    """A file whose name carries its content hash: its bytes never change, so caches keep it for good."""
    return bool(HASHED.match(path))


def content_type(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    if name in PLAIN:
        return "text/plain; charset=utf-8"
    dot = name.rfind(".")
    ext = name[dot:].lower() if dot > 0 else ""
    if ext in TYPES:
        return TYPES[ext]
    guessed = mimetypes.guess_type(name, strict=False)[0] or "application/octet-stream"
    return guessed + ("; charset=utf-8" if guessed.startswith("text/") else "")


def cache_control(path: str) -> str:
    if is_hashed_asset(path):
        return IMMUTABLE
    return HTML_CACHE if is_html(path) else OTHER_CACHE


def changed_paths(
    manifest: Mapping[str, list[Any]], previous: Mapping[str, list[Any]]
) -> tuple[list[str], list[str]]:
    """(paths to upload, paths to delete) going from what is live to `manifest`."""
    upload = sorted(p for p, e in manifest.items() if p not in previous or previous[p][0] != e[0])
    delete = sorted(p for p in previous if p not in manifest)
    return upload, delete


def upload_phases(
    paths: Iterable[str], previous: Mapping[str, list[Any]] | None
) -> list[list[str]]:
    """Hashed assets, other non-HTML files, new HTML, changed HTML: the order visitors stay safe in."""
    phases: list[list[str]] = [[], [], [], []]
    known = previous or {}
    for path in sorted(paths):
        if is_hashed_asset(path):
            phases[0].append(path)
        elif not is_html(path):
            phases[1].append(path)
        else:
            phases[2 if path not in known else 3].append(path)
    return [phase for phase in phases if phase]


def deletion_phases(paths: Iterable[str]) -> list[list[str]]:
    """HTML first, then everything else: no page is left pointing at a deleted object."""
    paths = sorted(paths)
    phases = [[p for p in paths if is_html(p)], [p for p in paths if not is_html(p)]]
    return [phase for phase in phases if phase]


def page_urls(paths: Iterable[str]) -> list[str]:
    """The URL paths that serve these files (`about/index.html` is also `/about/`): CDN invalidations."""
    urls: set[str] = set()
    for path in paths:
        urls.add("/" + path)
        if path == "index.html" or path.endswith("/index.html"):
            urls.add("/" + path[: -len("index.html")])
    return sorted(urls)


class Steps:
    """A deploy's progress in objects and bytes, told to the progress callback after each step
    (thread-safe: uploads finish on several threads)."""

    def __init__(self, total: int, total_bytes: int, progress: Progress | None):
        self.total, self.total_bytes, self.progress = total, total_bytes, progress
        self.done = self.bytes_done = self.deleted = 0
        self._lock = threading.Lock()

    def advance(self, objects: int, size: int) -> None:
        with self._lock:
            self.done += objects
            self.bytes_done += size
            if self.progress is not None:
                self.progress(
                    Step(DEPLOY, self.done, self.total, self.bytes_done, self.total_bytes)
                )


def redirect_locations(
    manifest: Mapping[str, list[Any]] | None,
    base_url: str,
    fetch: Callable[[Iterable[str]], Mapping[str, bytes]],
) -> dict[str, str]:
    """{object path: where it sends visitors} for each rule of the version's `_redirects` whose old
    address is a file of the version (a post alias's or a renamed page's redirect page)."""
    entry = (manifest or {}).get(REDIRECTS)
    if not entry or manifest is None:
        return {}
    data = fetch([entry[0]]).get(entry[0], b"")
    found: dict[str, str] = {}
    for old, new in parse_redirects(data):
        path = redirect_path(old, base_url)
        if path is not None and path in manifest and new.startswith(("/", "https://", "http://")):
            found[path] = new
    return found


def redirect_path(old: str, base_url: str) -> str | None:
    """The file that serves an old address (`/docs/old/` -> `old/index.html` under base path /docs)."""
    prefix = urlparse(base_url).path.rstrip("/") if base_url else ""
    if not old.startswith(prefix + "/"):
        return None
    path = old[len(prefix) :].lstrip("/")
    if not path or path.endswith("/"):
        path += "index.html"
    parts = path.split("/")
    if any(part in ("", ".", "..") for part in parts) or "\\" in path:
        return None
    return path
