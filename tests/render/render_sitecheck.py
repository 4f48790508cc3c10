"""Checks over a rendered site: strict HTML5 parse and internal link resolution."""

from __future__ import annotations

from urllib.parse import urlsplit

import html5lib


def parse_errors(html: bytes) -> list[str]:
    parser = html5lib.HTMLParser(strict=False, namespaceHTMLElements=False)
    parser.parse(html)
    return [f"{pos}: {code} {data}" for pos, code, data in parser.errors]


def broken_links(files: dict[str, bytes], prefix: str = "") -> list[str]:
    """Internal href/src targets (site-relative) that name no output file."""
    broken = []
    for path, data in files.items():
        if not path.endswith(".html"):
            continue
        tree = html5lib.parse(data, namespaceHTMLElements=False)
        for element in tree.iter():
            for attr in ("href", "src"):
                value = element.get(attr)
                if not value or not value.startswith("/") or value.startswith("//"):
                    continue
                target = urlsplit(value).path[len(prefix) :].lstrip("/")
                if target == "" or target.endswith("/"):
                    target += "index.html"
                if target not in files:
                    broken.append(f"{path}: {value}")
    return broken
