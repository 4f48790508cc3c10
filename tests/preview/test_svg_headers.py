"""The preview serves SVG under a policy that lets it draw and nothing else, and nosniff on every response.

Defence in depth behind the upload's rebuild (tests/services/test_svg_hostile.py): an SVG stored before
the rebuild existed, or one that slipped through, still runs no script when its URL is opened.
"""

from __future__ import annotations

import pytest
from preview_servers import start_preview

from bgpub.render.headers import SVG_CSP

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
EXPLOIT = (
    b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:s="http://www.w3.org/2000/svg">'
    b"<s:script>window.__pwned=1;alert(1)</s:script><rect width='9' height='9'/></svg>"
)

SITE = {
    "index.html": b"<!doctype html><html><head><title>Home</title></head><body><h1>Home</h1></body></html>",
    "about/index.html": b"<!doctype html><html><body><p>About us</p></body></html>",
    "assets/style.abc123.css": b"body{color:red}",
    "assets/logo.def456.png": b"\x89PNG\r\n\x1a\nfake",
    "assets/evil.abc123.svg": EXPLOIT,
    "assets/Icon.SVG": EXPLOIT,
}


@pytest.fixture(scope="module")
def svg_preview():
    """One preview for the module: its tests only request files and read the answers."""
    server = start_preview(lambda: dict(SITE))
    yield server
    server.stop()


def test_the_policy_is_the_one_asked_for():
    assert SVG_CSP == CSP


@pytest.mark.parametrize("path", ["/assets/evil.abc123.svg", "/assets/Icon.SVG"])
def test_svg_gets_the_policy_and_nosniff(svg_preview, http, path):
    for method in ("GET", "HEAD"):
        request = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
        status, headers, _ = http.parse(http.raw(svg_preview, request.encode()))
        assert status == 200 and headers["content-type"] == "image/svg+xml"
        assert headers["content-security-policy"] == CSP
        assert headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/about/",
        "/assets/style.abc123.css",
        "/assets/logo.def456.png",
        "/nowhere/",
        "/about",
        "/%2e%2e/etc/passwd",
        "/__bgpub__/status",
    ],
)
def test_every_other_response_gets_nosniff_and_no_policy(svg_preview, http, path):
    status, headers, _ = http.get(svg_preview, path)
    assert status in (200, 301, 400, 404)
    assert headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in headers  # the pages need their live-reload script


@pytest.mark.browser
def test_a_script_in_an_svg_does_not_run_when_the_preview_serves_it(svg_preview):
    """The same bytes run their script when served without the policy (the control), not from the preview."""
    from test_browser import CHROMIUM_ARGS, _chromium

    executable = _chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            dialogs = []
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.route(
                "http://unprotected.test/evil.svg",
                lambda route: route.fulfill(body=EXPLOIT, content_type="image/svg+xml"),
            )
            page.goto("http://unprotected.test/evil.svg", wait_until="load")
            assert page.evaluate("() => window.__pwned") == 1 and dialogs == ["1"]

            dialogs.clear()
            page.goto(svg_preview.url + "assets/evil.abc123.svg", wait_until="load")
            assert page.evaluate("() => window.__pwned === undefined")
            assert dialogs == []
        finally:
            browser.close()
