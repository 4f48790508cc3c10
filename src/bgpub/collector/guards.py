"""Spam and abuse defences shared by the form, comment and beacon endpoints.

Clients are told apart by an HMAC of their address under the day's visitor salt (never the address
itself); their counts are kept in the database so that every collector process shares them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.requests import Request

from bgpub.domain.collector import CollectorSite
from bgpub.services import rate_limits
from bgpub.services.collector_sites import origin_of


class RateLimits:
    """Per-client limits counted in the database, so every process and machine shares them
    (services.rate_limits). This process remembers the clients already over their limit this minute,
    so a flood from one client costs no query once refused."""

    def __init__(self) -> None:
        self._blocked: set[str] = set()
        self._window = 0

    def key(self, salt: str, request: Request, scope: str) -> str:
        address = request.client.host if request.client else ""
        window = rate_limits.window_of()
        if window != self._window or len(self._blocked) > 100_000:
            self._blocked, self._window = set(), window
        return rate_limits.counter_key(scope, rate_limits.client_of(salt, address), window)

    def blocked(self, key: str) -> bool:
        return key in self._blocked

    def block(self, key: str) -> None:
        self._blocked.add(key)


def retry_after() -> str:
    return str(rate_limits.seconds_left())


def request_origin(request: Request) -> str | None:
    """The page's origin: the Origin header, else the Referer's ('null' from a file: page is None)."""
    origin = request.headers.get("origin")
    if origin and origin != "null":
        return origin_of(origin)
    referer = request.headers.get("referer")
    return origin_of(referer) if referer else None


def origin_allowed(site: CollectorSite, request: Request) -> bool:
    """With domains configured (base URL, custom domain), the request must come from one of them;
    without, any origin is accepted (the project has not said where it is served)."""
    if not site.origins:
        return True
    return request_origin(request) in site.origins


def same_site_path(value: object) -> str | None:
    """A site-relative path such as `/thanks/` (never `//host` or a scheme): where to send the browser."""
    if (
        not isinstance(value, str)
        or not value.startswith("/")
        or value.startswith("//")
        or "\\" in value
    ):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or any(ord(c) < 32 for c in value) or len(value) > 2000:
        return None
    return value
