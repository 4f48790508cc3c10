"""`_headers` and `_redirects`: the rule files Netlify and Cloudflare Pages read from a site's root.

Written into a version when one of its targets sets `host_rules`, so they are published, verified and
rolled back like any other file. `_headers` gives every page security headers and content-hashed
assets a year-long immutable cache; `_redirects` sends old addresses (a renamed page) to new ones.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    # bgpub's pages run no script: nothing but same-origin styles, images and fonts
    (
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' https: data:; script-src 'none'; "
        "style-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'",
    ),
)
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"


def headers_file() -> bytes:
    lines = ["/*"] + [f"  {name}: {value}" for name, value in SECURITY_HEADERS]
    lines += ["", "/assets/*", f"  Cache-Control: {IMMUTABLE}", ""]
    lines += [
        "/*.html",
        f"  Cache-Control: {REVALIDATE}",
        "",
        "/",
        f"  Cache-Control: {REVALIDATE}",
    ]
    return ("\n".join(lines) + "\n").encode()


def redirects_file(redirects: Iterable[tuple[str, str]]) -> bytes:
    """One `from to 301` line per redirect, in a stable order; a comment when there are none."""
    rules = sorted({(old, new) for old, new in redirects if old != new})
    lines = ["# bgpub: old addresses of renamed pages"] + [f"{old} {new} 301" for old, new in rules]
    return ("\n".join(lines) + "\n").encode()


def parse_redirects(data: bytes) -> list[tuple[str, str]]:
    """The rules of a `_redirects` file bgpub wrote (carried from one version to the next)."""
    rules = []
    for line in data.decode("utf-8", "replace").splitlines():
        parts = line.split()
        if len(parts) == 3 and not line.startswith("#") and parts[2] == "301":
            rules.append((parts[0], parts[1]))
    return rules


def redirect_page(location: str, language: str = "en") -> bytes:
    """An old address's page where the host cannot answer 301 itself: a refresh to the new address,
    kept out of search results (an S3 bucket's object redirect answers before it is read)."""
    to = escape(location, quote=True)
    return (
        f'<!DOCTYPE html>\n<html lang="{escape(language, quote=True)}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>Moved to {to}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={to}">\n'
        f'<meta name="robots" content="noindex">\n</head>\n'
        f'<body>\n<p>This page moved to <a href="{to}">{to}</a>.</p>\n</body>\n</html>\n'
    ).encode()
