"""Session fixtures for the output checks: the nine builds, once, and one Chromium for every browser test."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from output_support import (  # noqa: E402
    CHROMIUM_ARGS,
    Origins,
    SiteServer,
    build_all,
    chromium_path,
    once_per_run,
    run_folder,
)


@pytest.fixture(scope="session")
def builds(tmp_path_factory):
    """Every starter in every theme, rendered and written to disk: once per run, shared by the
    pytest-xdist workers (read-only: no test changes a build's files or folder)."""
    folder = run_folder(tmp_path_factory, "output-builds")
    if folder is None:
        return build_all(tmp_path_factory.mktemp("builds"))
    return once_per_run(folder, lambda: build_all(folder / "sites"))


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium (Debian's, driven by Playwright) for the browser tests of a module.

    Not per session: while Playwright's sync API is open, the worker's main thread counts as running
    an event loop, so every later `asyncio.run` in that worker (Textual's Pilot tests and snapshots)
    would fail; pytest ends a module's fixtures before it moves on to another module."""
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def visit(browser, builds):
    """A fresh page whose requests the builds answer; yields (page, origins)."""
    origins = Origins(builds)
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    context.route("**/*", origins)
    try:
        yield context.new_page(), origins
    finally:
        context.close()


@pytest.fixture(scope="session")
def site_server(builds):
    """The builds over HTTP on loopback (browser caching works, unlike routed requests)."""
    server = SiteServer(builds)
    try:
        yield server
    finally:
        server.stop()
