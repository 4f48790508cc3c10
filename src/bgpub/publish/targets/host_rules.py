"""`_headers` and `_redirects`: the rule files Netlify and Cloudflare Pages read from a site's root.

Written into a version when one of its targets sets `host_rules`, so they are published, verified and
rolled back like any other file. `_headers` gives every page security headers and content-hashed
assets a year-long immutable cache; `_redirects` sends old addresses (a renamed page) to new ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

SECURITY_HEADERS = (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    # bgpub's pages run no script of their own: same-origin styles, images and fonts; a collector's
    # beacon and enabled analytics add exactly their sources (`page_policy`)
    ("Content-Security-Policy", None),
)
PAGE_POLICY = (
    ("default-src", ("'self'",)),
    ("img-src", ("'self'", "https:", "data:")),
    ("script-src", ("'none'",)),
    ("style-src", ("'self'",)),
    ("object-src", ("'none'",)),
    ("base-uri", ("'self'",)),
    ("frame-ancestors", ("'none'",)),
)
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=0, must-revalidate"


def page_policy(allow: Mapping[str, Iterable[str]] | None = None) -> str:
    """The pages' Content-Security-Policy with `allow`'s sources added per directive (a directive
    not in the base starts from `default-src`'s 'self'); 'none' gives way to exactly what is allowed."""
    directives = {name: list(sources) for name, sources in PAGE_POLICY}
    for name, sources in (allow or {}).items():
        current = directives.setdefault(name, ["'self'"])
        if current == ["'none'"] and sources:
            current.clear()
        current += [s for s in sources if s not in current]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def headers_file(allow: Mapping[str, Iterable[str]] | None = None) -> bytes:
    """`allow`: the sources the site's beacon and analytics need (render.beacon.policy_sources)."""
    values = [(n, page_policy(allow) if v is None else v) for n, v in SECURITY_HEADERS]
    lines = ["/*"] + [f"  {name}: {value}" for name, value in values]
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
