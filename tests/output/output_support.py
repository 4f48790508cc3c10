"""Every starter site in every theme, built once, and the tools that check it as browsers and validators do.

The builds go through the renderer's public function (as tests/content does). The checkers are real:
the W3C Nu HTML checker (`vnu.jar` from the npm package vnu-jar, on a Java runtime), axe-core (npm) run
inside Debian's Chromium through Playwright for Python. .ci/run installs them into `.ci/node/`
(`BGPUB_NODE_MODULES` names another node_modules). Where one is missing, a test skips with the reason;
with BGPUB_REQUIRE_BROWSER=1 (CI) it fails instead.
"""

from __future__ import annotations

import mimetypes
import os
import shutil
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import unquote, urlsplit

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
sys.path.insert(
    0, str(REPOSITORY / "tests" / "content")
)  # content_checks, whatever the import mode

from content_checks import THEME_NAMES, load_starter, render  # noqa: E402

SITES = ("blog", "landing", "shop")
NODE_MODULES = Path(
    os.environ.get("BGPUB_NODE_MODULES") or REPOSITORY / ".ci" / "node" / "node_modules"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
FONT_BUDGET = 100_000  # bytes of fonts one page may load (issue 16)
Item = TypeVar("Item")
Value = TypeVar("Value")


def missing(problem: str) -> None:
    """Skips with the reason, or fails under BGPUB_REQUIRE_BROWSER=1 (CI must run every checker)."""
    if os.environ.get("BGPUB_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{problem} (BGPUB_REQUIRE_BROWSER=1)")
    pytest.skip(problem)


def vnu_command() -> list[str]:
    """The Nu checker on a JVM that compiles with C1 only (`-XX:TieredStopAtLevel=1`): one run over
    the ~125 pages is too short for the C2 compiler to pay for itself, and C1 halves the run's CPU
    (4.3 -> 1.8 s here) with the same messages, byte for byte (the JIT level changes speed, not what
    the checker's bytecode computes)."""
    java = shutil.which("java")
    if java is None:
        missing("no Java runtime for the Nu checker (apt-get install default-jre-headless)")
    jar = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
    if not jar.is_file():
        missing(f"no {jar} (cd .ci/node && npm ci)")
    return [java, "-XX:TieredStopAtLevel=1", "-Xss8m", "-jar", str(jar)]


def axe_source() -> str:
    path = NODE_MODULES / "axe-core" / "axe.min.js"
    if not path.is_file():
        missing(f"no {path} (cd .ci/node && npm ci)")
    return path.read_text("utf-8")


def chromium_path() -> str:
    path = (
        os.environ.get("BGPUB_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if path is None:
        missing("no Chromium installed (apt-get install chromium)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("Playwright for Python is not installed (pip install playwright)")
    return path


@dataclass(frozen=True)
class Build:
    """One starter rendered in one theme: its files, and its folder on disk (for the Nu checker)."""

    site: str
    theme: str
    files: dict[str, bytes]
    folder: Path

    @property
    def name(self) -> str:
        return f"{self.site}-{self.theme}"

    @property
    def origin(self) -> str:
        return f"http://{self.name}.test"

    def pages(self) -> list[str]:
        """Site-relative URL of every HTML page (clean URLs)."""
        urls = []
        for path in sorted(p for p in self.files if p.endswith(".html")):
            urls.append("/" + (path[: -len("index.html")] if path.endswith("index.html") else path))
        return urls


def build_all(root: Path) -> list[Build]:
    builds = []
    for site in SITES:
        snapshot, blobs = load_starter(site)
        for theme in THEME_NAMES:
            files = render(snapshot, theme, blobs)
            folder = root / f"{site}-{theme}"
            for rel, data in files.items():
                target = folder / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            builds.append(Build(site, theme, files, folder))
    return builds


def run_folder(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path | None:
    """A folder every pytest-xdist worker of this run sees (the parent of a worker's base temporary
    folder is the run's, made afresh by the controller; the run's id in the name keeps another run's
    files out all the same), or None outside xdist, where a session fixture is already once a run."""
    run = os.environ.get("PYTEST_XDIST_TESTRUNUID")
    if not os.environ.get("PYTEST_XDIST_WORKER") or not run:
        return None
    return tmp_path_factory.getbasetemp().parent / f"{name}-{run}"


def once_per_run(folder: Path, make: Callable[[], Value]) -> Value:
    """`make()` once per test run however many xdist workers ask: the first to take the lock in
    `folder` makes and pickles the value, the others wait for it and load it. For read-only set-up
    whose making is the cost (the nine renders, ~4 s of CPU; the Nu checker's JVM run): every worker
    then checks the very same value, so sharing it proves what making it in each worker proved."""
    import fcntl
    import pickle

    folder.mkdir(parents=True, exist_ok=True)
    saved = folder / "value.pickle"
    with open(folder / "lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, or if the worker dies
        if saved.is_file():
            return pickle.loads(saved.read_bytes())  # noqa: S301 (written below by this run)
        value = make()
        partial = folder / "value.pickle.part"
        partial.write_bytes(pickle.dumps(value))
        partial.replace(saved)
        return value


class SiteServer:
    """The builds over real HTTP on 127.0.0.1: `http://<site>-<theme>.localhost:<port>/` (Chromium sends
    *.localhost to loopback), with cache headers so one browser context fetches a stylesheet, font or
    image once for all the pages it visits. Started and stopped by a fixture."""

    def __init__(self, builds: list[Build]):
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        by_host = {b.name: b for b in builds}

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                build = by_host.get((self.headers.get("Host") or "").split(".localhost")[0])
                path = unquote(urlsplit(self.path).path).lstrip("/")
                if path == "" or path.endswith("/"):
                    path += "index.html"
                data = build.files.get(path) if build is not None else None
                if data is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                kind = "font/woff2" if path.endswith(".woff2") else mimetypes.guess_type(path)[0]
                self.send_response(200)
                self.send_header("Content-Type", kind or "application/octet-stream")
                self.send_header("Content-Length", str(len(data)))
                if path.startswith("assets/"):
                    self.send_header("Cache-Control", "max-age=3600")
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def origin(self, build: Build) -> str:
        return f"http://{build.name}.localhost:{self.port}"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


class Origins:
    """Answers Chromium's requests from the builds: `http://<site>-<theme>.test/<path>`; anything else
    is refused and remembered (a page must load nothing from outside the site)."""

    def __init__(self, builds: list[Build]):
        self.by_host = {f"{b.name}.test": b for b in builds}
        self.outside: list[str] = []
        self.missing: list[str] = []
        self.extra: dict[str, bytes] = {}  # "host/path" -> bytes (control pages)

    def __call__(self, route) -> None:
        url = urlsplit(route.request.url)
        build = self.by_host.get(url.hostname or "")
        extra = self.extra.get(f"{url.hostname}{url.path}")
        if extra is not None:
            route.fulfill(status=200, body=extra, content_type="text/html")
            return
        if build is None:
            self.outside.append(route.request.url)
            route.abort()
            return
        path = unquote(url.path).lstrip("/")
        if path == "" or path.endswith("/"):
            path += "index.html"
        data = build.files.get(path)
        if data is None:
            self.missing.append(route.request.url)
            route.fulfill(status=404, body=b"not found", content_type="text/plain")
            return
        kind = mimetypes.guess_type(path)[0] or "application/octet-stream"
        if path.endswith(".woff2"):
            kind = "font/woff2"
        route.fulfill(status=200, body=data, content_type=kind)


def in_turn(
    tabs: list[Any],
    items: Iterable[Item],
    url: Callable[[Item], str],
    before: Callable[[Any], None] = lambda tab: None,
) -> Iterator[tuple[Item, Any]]:
    """Yields (item, tab) once `tab` has loaded `url(item)` to its "load" event, with the next item's
    page already loading in the other of the two `tabs` (Playwright pages of one context).

    With one tab, Chromium idles while the test measures a page and the measuring idles while the next
    page loads; taking turns keeps one load and one measurement in flight. Each page is still its own
    navigation and document, reached by the same "load" event, and its tab is untouched by the other
    page's load. `before(tab)` runs just before a tab navigates (to reset what its listeners record),
    when the tab's previous page has been yielded and dealt with."""
    pending = list(items)
    if pending:
        before(tabs[0])
        tabs[0].goto(url(pending[0]), wait_until="commit")
    for index, item in enumerate(pending):
        tab = tabs[index % 2]
        if index + 1 < len(pending):
            following = tabs[(index + 1) % 2]
            before(following)
            following.goto(url(pending[index + 1]), wait_until="commit")
        tab.wait_for_load_state("load")
        yield item, tab
