"""sitemap.xml's `<lastmod>`: every URL carries a W3C datetime.

A URL's own date is used when the snapshot knows it (a stored page's last edit, a post's, a product's);
a URL without one (a page or product of a JSON snapshot, an empty blog listing) gets the site's newest
known change. A project built from the database always has one (every stored page has its last edit).
Only a JSON snapshot with no date at all leaves `<lastmod>` out: render never reads the clock (the
same snapshot gives the same bytes whatever the build time), and a made-up date would mislead crawlers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# W3C datetime as sitemaps.org accepts it: a date, or a date and time with a zone
W3C_DATETIME = re.compile(
    r"^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])"
    r"(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d))?$"
)


def is_w3c_datetime(value: str) -> bool:
    """True for `2026-05-18`, `2026-05-18T09:30:00Z`, `2026-05-18T09:30+02:00`."""
    return bool(value) and W3C_DATETIME.match(value) is not None


def fallback_lastmod(known: Iterable[str]) -> str:
    """The newest valid date in `known`, else ""."""
    return max((d for d in known if is_w3c_datetime(d)), default="")


def with_lastmods(entries: Iterable[tuple[str, str]], fallback: str) -> list[tuple[str, str]]:
    """(loc, lastmod) with every missing or malformed lastmod replaced by `fallback`."""
    return [(loc, lastmod if is_w3c_datetime(lastmod) else fallback) for loc, lastmod in entries]
