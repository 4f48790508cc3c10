"""The preview's HTTP surface over a plain dict site: pages, content types, 404, errors, reload script."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest
from preview_servers import start_preview

from bgpub.errors import RenderError
from bgpub.preview.reload import EVENTS_PATH, MARKER


def fetch(server, path: str, method: str = "GET"):
    request = urllib.request.Request(server.url.rstrip("/") + path, method=method)
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


def test_serves_home_and_folder_pages_with_the_reload_script(served, served_source):
    status, headers, body = fetch(served, "/")
    assert status == 200
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"<h1>Home</h1>" in body
    assert MARKER.encode() in body and EVENTS_PATH.encode() in body
    assert body.index(MARKER.encode()) < body.rindex(b"</body>")
    status, _, body = fetch(served, "/about/")
    assert status == 200 and b"About us" in body


def test_the_rendered_files_never_carry_the_script(served, served_source):
    fetch(served, "/")
    assert all(MARKER.encode() not in data for data in served.site.state.files.values())
    assert served.site.state.files["index.html"] == served_source.files["index.html"]


def test_folder_without_slash_redirects_keeping_the_query(served):
    status, headers, _ = fetch_no_redirect(served, "/about?x=1")
    assert status == 301
    assert headers["Location"] == "/about/?x=1"


def fetch_no_redirect(server, path):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(server.url.rstrip("/") + path, timeout=5) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers, exc.read()


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("/assets/style.abc123.css", "text/css; charset=utf-8"),
        ("/assets/logo.def456.png", "image/png"),
        ("/assets/font.aa.woff2", "font/woff2"),
        ("/sitemap.xml", "application/xml; charset=utf-8"),
        ("/robots.txt", "text/plain; charset=utf-8"),
        ("/data.json", "application/json"),
    ],
)
def test_content_types(served, served_source, path, expected):
    status, headers, body = fetch(served, path)
    assert status == 200
    assert headers["Content-Type"] == expected
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert body == served_source.files[path.lstrip("/")]  # no script injected into non-HTML


def test_head_sends_headers_only(served, served_source):
    status, headers, body = fetch(served, "/robots.txt", method="HEAD")
    assert status == 200 and body == b""
    assert int(headers["Content-Length"]) == len(served_source.files["robots.txt"])


def test_missing_page_gets_the_theme_404_with_status_404(served):
    status, headers, body = fetch(served, "/nowhere/")
    assert status == 404
    assert headers["Content-Type"].startswith("text/html")
    assert b"Theme says: lost?" in body
    assert MARKER.encode() in body


def test_missing_page_without_theme_404_gets_a_plain_one(source):
    del source.files["404.html"]
    server = start_preview(source)
    try:
        status, _, body = fetch(server, "/gone")
        assert status == 404 and b"Not found" in body and b"/gone" in body
    finally:
        server.stop()


def test_render_error_page_names_the_place_and_server_keeps_serving(preview, source):
    source.error = RenderError(
        "is required", where="project demo, page about, block 2 (hero), prop heading"
    )
    preview.site.rebuild()
    status, _, body = fetch(preview, "/about/")
    assert status == 500
    assert b"project demo, page about, block 2 (hero), prop heading" in body
    assert b"is required" in body
    assert MARKER.encode() in body
    # assets of the last good render still load (the page keeps its styling)
    assert fetch(preview, "/assets/style.abc123.css")[0] == 200
    source.error = None
    source.files["about/index.html"] = b"<html><body><p>Fixed</p></body></html>"
    preview.site.rebuild()
    status, _, body = fetch(preview, "/about/")
    assert status == 200 and b"Fixed" in body


def test_template_error_names_file_and_line(preview, source):
    source.error = RenderError("unexpected '}'", where="themes/aurora/templates/base.html:12")
    preview.site.rebuild()
    status, _, body = fetch(preview, "/")
    assert status == 500 and b"themes/aurora/templates/base.html:12" in body


def test_error_text_is_escaped(preview, source):
    source.error = RenderError("<script>alert(1)</script>", where="page <b>x</b>")
    preview.site.rebuild()
    _, _, body = fetch(preview, "/")
    assert b"<script>alert(1)</script>" not in body
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_unexpected_exception_in_build_becomes_an_error_page(preview, source):
    source.error = KeyError("boom")
    preview.site.rebuild()
    status, _, body = fetch(preview, "/")
    assert status == 500 and b"KeyError" in body
    assert fetch(preview, "/robots.txt")[0] == 200


def test_status_endpoint(served, served_source):
    status, headers, body = fetch(served, "/__bgpub__/status")
    data = json.loads(body)
    assert status == 200 and data["files"] == len(served_source.files) and data["error"] is None


def test_url_and_default_host(served):
    assert served.host == "127.0.0.1"
    assert served.url == f"http://127.0.0.1:{served.port}/"


def test_port_in_use_is_a_readable_error(served):
    from bgpub.errors import InvalidInput
    from bgpub.preview.server import SiteServer

    with pytest.raises(InvalidInput, match=f"127.0.0.1:{served.port}"):
        SiteServer(served.site, port=served.port).start()


def test_hashed_assets_are_cached_pages_are_not(served):
    _, headers, _ = fetch(served, "/assets/style.abc123.css")
    assert headers["Cache-Control"] == "max-age=31536000, immutable"
    _, headers, _ = fetch(served, "/")
    assert headers["Cache-Control"] == "no-store"
