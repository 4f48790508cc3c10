"""URL checks shared by `url` props and Markdown links: only schemes that cannot run code get through."""

from __future__ import annotations

import html
import re

_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028\u2029\ufeff]+")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")
ALLOWED_SCHEMES = ("http", "https", "mailto", "tel")


def url_problem(value: str) -> str | None:
    """Why `value` is not an acceptable link target, or None when it is.

    Allowed: http(s)://, mailto:, tel:, `#anchor`, site-relative `/path/`. The check runs on the
    value as a browser would read it (entities decoded, whitespace and control characters removed),
    so `JaVaScRiPt:`, `java&#x09;script:` and `&#106;avascript:` are refused too.
    """
    if any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in value):
        return "control characters are not allowed in a URL"
    decoded = value
    for _ in range(3):  # entities inside entities
        decoded = html.unescape(decoded)
    squeezed = _INVISIBLE.sub("", decoded)
    if not squeezed:
        return "empty URL"
    if squeezed.startswith("#"):
        return None
    if squeezed.startswith("/"):
        if squeezed.startswith(("//", "/\\")):
            return "protocol-relative URLs are not allowed; write https://..."
        return None
    match = _SCHEME.match(squeezed)
    if match is None:
        return "expected http(s)://, mailto:, tel:, #anchor or a site path starting with /"
    scheme = match.group(1).lower()
    if scheme not in ALLOWED_SCHEMES:
        return f"the URL scheme {scheme!r} is not allowed (use http, https, mailto, tel)"
    if not value.strip().lower().startswith(scheme + ":"):
        return "encoded or hidden characters in the URL scheme are not allowed"
    return None


def is_safe_url(value: str) -> bool:
    """True when `value` passes `url_problem`."""
    return url_problem(value) is None
