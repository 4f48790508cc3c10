"""Every rebuilt SVG of the corpus in headless Chromium: opened as a document and as an <img>, no script runs.

The files are served without any protective header (the rebuild alone must make them inert), from a
fake origin through Playwright's routing; the probe counts dialogs, `window.__pwned`, and any request
that leaves the origin (which is also answered with an abort). Every link is clicked, as a visitor
would. The unsanitised originals show the probe works: there, script runs and requests leave.
Needs Debian's `chromium` and Playwright (see tests/preview/test_browser.py for the skip rules).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field

import pytest
from svg_corpus import ALL, PROBE, SVG

from bgpub.errors import InvalidInput
from bgpub.services.svg import sanitise_svg

pytestmark = pytest.mark.browser

ORIGIN = "http://svg.test"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
CLICK_EVERYTHING = """() => {
    for (const el of document.querySelectorAll('*')) {
        el.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true}));
    }
    return document.getElementsByTagNameNS('http://www.w3.org/2000/svg', 'a').length;
}"""
SETTLE_MS = 60  # lets a clicked javascript: link run, had one survived; the control below shows it is enough
IMAGE_STATES = """async () => Object.fromEntries(await Promise.all([...document.images].map(
    img => img.decode().then(() => [img.alt, 'decoded'], () => [img.alt, 'broken']))))"""


def _chromium() -> str:
    path = (
        os.environ.get("BGPUB_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    problem = None if path else "no Chromium installed (apt-get install chromium)"
    if problem is None:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "Playwright for Python is not installed (pip install playwright)"
    if problem:
        if os.environ.get("BGPUB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{problem} (BGPUB_REQUIRE_BROWSER=1)")
        pytest.skip(problem)
    return path


@dataclass
class Probe:
    """A page on the fake origin, and everything that betrays script or a fetch."""

    page: object
    files: dict[str, bytes] = field(default_factory=dict)
    dialogs: list[str] = field(default_factory=list)
    escaped: list[str] = field(default_factory=list)

    def serve(self, route) -> None:
        url = route.request.url
        if not url.startswith(ORIGIN + "/"):
            self.escaped.append(url)
            route.abort()
            return
        path = url[len(ORIGIN) :].split("?", 1)[0]
        body = self.files.get(path)
        kind = "text/html" if path.endswith(".html") else "image/svg+xml"
        route.fulfill(status=200 if body is not None else 404, body=body or b"", content_type=kind)

    def visit_document(self, path: str) -> list[str]:
        """Opens an SVG as the top-level document and clicks everything in it; what ran or left."""
        self.dialogs.clear()
        self.escaped.clear()
        self.page.goto(ORIGIN + path, wait_until="load")
        if self.page.evaluate(CLICK_EVERYTHING):
            self.page.wait_for_timeout(SETTLE_MS)
        pwned = self.page.evaluate("() => window.__pwned === 1")
        return self._seen() + (["window.__pwned set"] if pwned else [])

    def visit_images(self, paths: dict[str, str]) -> dict[str, str]:
        """Shows SVGs through <img> on one page; whether each decoded (dialogs and requests: `_seen`)."""
        tags = "".join(f'<img alt="{name}" src="{path}">' for name, path in paths.items())
        self.files["/images.html"] = f"<!doctype html><title>images</title>{tags}".encode()
        self.dialogs.clear()
        self.escaped.clear()
        self.page.goto(ORIGIN + "/images.html", wait_until="load")
        return self.page.evaluate(IMAGE_STATES)

    def _seen(self) -> list[str]:
        return [f"dialog {m!r}" for m in self.dialogs] + [f"request {u}" for u in self.escaped]


@pytest.fixture(scope="module")
def probe():
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            found = Probe(page)
            page.on(
                "dialog", lambda dialog: (found.dialogs.append(dialog.message), dialog.dismiss())
            )
            page.context.route("**/*", found.serve)
            yield found
        finally:
            browser.close()


def test_the_probe_sees_script_and_fetches_in_unsanitised_files(probe):
    """The controls: the original exploit (a namespaced <s:script>), a char-referenced javascript: link and
    an external image, served as uploaded before the fix, are caught by the same probe."""
    originals = {case.name: case.data for case in ALL}
    probe.files["/raw/exploit.svg"] = originals["ns-prefix-script"]
    probe.files["/raw/link.svg"] = originals["a-charref-javascript"]
    probe.files["/raw/fetch.svg"] = (
        f'<svg {SVG}><image href="{PROBE}/i.png" width="9" height="9"/></svg>'.encode()
    )
    assert "window.__pwned set" in probe.visit_document("/raw/exploit.svg")
    assert "dialog '1'" in probe.visit_document("/raw/link.svg")
    assert f"request {PROBE}/i.png" in probe.visit_document("/raw/fetch.svg")


def test_no_rebuilt_svg_runs_script_or_fetches(probe):
    """Every stored form (and the rebuilt form of every refused upload that parses) is inert and still an image."""
    rebuilt = {}
    for case in ALL:
        try:
            rebuilt[case.name] = sanitise_svg(case.data, case.name).data
        except InvalidInput:
            continue  # refused before anything is stored: nothing to load
    assert len(rebuilt) >= 50
    problems = []
    for name, data in rebuilt.items():
        probe.files[f"/clean/{name}.svg"] = data
        ran = probe.visit_document(f"/clean/{name}.svg")
        if ran:
            problems.append(f"{name} as a document: {ran}")
    states = probe.visit_images({name: f"/clean/{name}.svg" for name in rebuilt})
    problems += [f"as images: {seen}" for seen in [probe._seen()] if seen]
    problems += [
        f"{name} as an image: {states.get(name)}"
        for name in rebuilt
        if states.get(name) != "decoded"
    ]
    assert not problems, "\n".join(problems)
