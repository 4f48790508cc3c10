"""Spam and abuse defences shared by the form, comment and beacon endpoints.

Clients are told apart by an HMAC of their address under a key made at process start and never
stored, so rate limiting needs no address kept anywhere, not even in memory.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets as token_source
import time
from urllib.parse import urlsplit

from starlette.requests import Request

from bgpub.services.collector_sites import CollectorSite, origin_of

WINDOW = 60.0


class RateLimiter:
    """A fixed window per (client, project, endpoint): at most `limit` hits a minute."""

    def __init__(self, limit: int, window: float = WINDOW):
        self.limit = limit
        self.window = window
        self._key = token_source.token_bytes(32)
        self._counts: dict[bytes, tuple[float, int]] = {}
        self._swept = time.monotonic()

    def client(self, request: Request) -> bytes:
        address = request.client.host if request.client else ""
        return hmac.new(self._key, address.encode(), hashlib.sha256).digest()[:16]

    def allow(self, request: Request, scope: str) -> tuple[bool, int]:
        """(allowed, seconds until the window resets)."""
        now = time.monotonic()
        if now - self._swept > self.window:
            self._counts = {k: v for k, v in self._counts.items() if now - v[0] < self.window}
            self._swept = now
        key = self.client(request) + scope.encode()
        started, count = self._counts.get(key, (now, 0))
        if now - started >= self.window:
            started, count = now, 0
        count += 1
        self._counts[key] = (started, count)
        return count <= self.limit, max(1, int(self.window - (now - started)) + 1)


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
