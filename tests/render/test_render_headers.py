"""The published site carries a `_headers` file: nosniff everywhere, the SVG policy on every SVG.

Hosts that read it (Netlify, Cloudflare Pages) match a rule's `*` against any run of characters,
slashes included; the matcher below does the same, so the test reads the file as they would.
"""

from __future__ import annotations

import re

from bgpub.render import render_site
from bgpub.render.headers import HEADERS_PATH, SVG_CSP, headers_file


def _rules(text: str) -> list[tuple[re.Pattern, dict[str, str]]]:
    rules: list[tuple[re.Pattern, dict[str, str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            pattern = "".join(
                ".*" if part == "*" else re.escape(part) for part in re.split(r"(\*)", line.strip())
            )
            rules.append((re.compile(f"^{pattern}/?$"), {}))
        else:
            name, _, value = line.strip().partition(":")
            rules[-1][1][name.strip().lower()] = value.strip()
    return rules


def _headers_for(rules, url: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for pattern, headers in rules:
        if pattern.match(url):
            found.update(headers)
    return found


def test_every_render_has_the_headers_file_and_nothing_lists_it(
    library, themes, blob_store, make_snapshot
):
    site = render_site(make_snapshot(), library, themes, blob_store)
    assert site[HEADERS_PATH] == headers_file()
    for path, data in site.items():
        if path.endswith((".html", ".xml", ".txt")):
            assert b"_headers" not in data, path


def test_svgs_get_the_policy_and_everything_gets_nosniff(
    library, themes, blob_store, make_snapshot
):
    site = render_site(make_snapshot(), library, themes, blob_store)
    rules = _rules(site[HEADERS_PATH].decode())
    urls = ["/" + path.removesuffix("index.html") for path in site]
    urls += ["/assets/logo.0123456789ab.svg", "/base/path/assets/x.svg", "/"]
    for url in urls:
        headers = _headers_for(rules, url)
        assert headers["x-content-type-options"] == "nosniff", url
        if url.endswith(".svg"):
            assert headers["content-security-policy"] == SVG_CSP, url
        else:
            assert "content-security-policy" not in headers, url
    assert SVG_CSP == "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
