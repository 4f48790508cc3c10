"""A real browser: headless Chromium shows the preview and reloads by itself after a save elsewhere.

Needs Debian's `chromium` (/usr/bin/chromium) and Playwright for Python (never `playwright install`:
the system browser is driven through `executable_path`). Skips where no Chromium is installed,
fails instead when BGPUB_REQUIRE_BROWSER=1 (CI).
"""

from __future__ import annotations

import os
import shutil

import pytest

from bgpub.preview.session import PreviewServer
from bgpub.services.blocks import add_block, set_props
from bgpub.services.pages import add_page
from bgpub.services.projects import create_project

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 20_000  # an upper bound for slow machines, not a speed assertion (see bench/)


def _chromium() -> str:
    """The Chromium executable, or skip (fail under BGPUB_REQUIRE_BROWSER=1) with the reason."""
    problem = None
    path = (
        os.environ.get("BGPUB_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if path is None:
        problem = "no Chromium installed (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "Playwright for Python is not installed (pip install playwright)"
    if problem:
        if os.environ.get("BGPUB_REQUIRE_BROWSER") == "1":
            pytest.fail(f"{problem} (BGPUB_REQUIRE_BROWSER=1)")
        pytest.skip(problem)
    return path


@pytest.fixture(scope="module")
def chromium():
    """One Chromium for this module's tests (a launch costs seconds); each test gets its own context.

    Not per session: while Playwright's sync API is open, the worker's main thread counts as running
    an event loop, and later `asyncio.run` calls (Pilot tests) would fail (tests/output/conftest.py)."""
    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_page(chromium):
    """A page in a fresh browser context: no cache, cookies or storage left by another test."""
    context = chromium.new_context()
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def site(workspace, actor):
    create_project(actor, "demo", title="Demo")
    add_page(actor, "demo", "home", "Home")
    add_block(actor, "demo", "home", "hero", {"heading": "Before the save"})
    add_page(actor, "demo", "about", "About")
    add_block(actor, "demo", "about", "hero", {"heading": "About page"})
    server = PreviewServer(workspace, "demo", watch=False).start()
    yield server
    server.stop()


def test_tab_reloads_itself_after_a_prop_is_saved(browser_page, site, actor):
    page = browser_page
    loads = []
    page.on("load", lambda: loads.append(page.url))
    page.goto(site.url, wait_until="load")
    assert "Before the save" in page.inner_text("h1")
    # the reload script is connected once the event stream is open on the server
    page.wait_for_function(
        "() => window.bgpubPreview && window.bgpubPreview.connected", timeout=WAIT_MS
    )

    set_props(actor, "demo", "home", 0, {"heading": "After the save"})  # as another process would

    page.wait_for_function(
        "() => document.querySelector('h1').innerText.includes('After the save')", timeout=WAIT_MS
    )
    assert len(loads) >= 2  # the page navigated by itself: the test never called reload()


def test_other_pages_tab_does_not_reload_and_error_page_recovers(
    browser_page, site, actor, monkeypatch
):
    """A change to the home page leaves the about tab alone; a render error shows, its fix reloads."""
    from bgpub.errors import RenderError
    from bgpub.render import incremental

    page = browser_page
    page.goto(site.url + "about/", wait_until="load")
    page.evaluate("() => { window.__untouched = true; }")
    page.wait_for_function(
        "() => window.bgpubPreview && window.bgpubPreview.connected", timeout=WAIT_MS
    )
    generation = site.site.state.generation
    set_props(actor, "demo", "home", 0, {"heading": "Home changed"})
    for _ in range(WAIT_MS // 20):
        if site.site.state.generation != generation:
            break
        page.wait_for_timeout(20)
    assert site.site.state.generation != generation
    page.wait_for_timeout(300)  # time for a (wrong) reload to happen, had the script asked for one
    assert page.evaluate("() => window.__untouched === true")

    original = incremental.Renderer.render

    def render(self, snapshot, build=None):
        if any(b.props.get("heading") == "BREAK" for p in snapshot.pages for b in p.blocks):
            raise RenderError("'hero' is undefined", where="themes/aurora/templates/base.html:12")
        return original(self, snapshot, build)

    monkeypatch.setattr(incremental.Renderer, "render", render)
    set_props(actor, "demo", "about", 0, {"heading": "BREAK"})
    page.wait_for_selector("#bgpub-error-where", timeout=WAIT_MS)
    assert "themes/aurora/templates/base.html:12" in page.inner_text("#bgpub-error-where")
    set_props(actor, "demo", "about", 0, {"heading": "About repaired"})
    page.wait_for_function(
        "() => document.querySelector('h1') &&"
        " document.querySelector('h1').innerText.includes('About repaired')",
        timeout=WAIT_MS,
    )
