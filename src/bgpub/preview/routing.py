"""From a request target to a key of the in-memory site, refusing anything that could mean elsewhere.

The preview never opens a file: it looks keys up in the rendered `{path: bytes}`. Still, a target
is refused outright (400) when it is ambiguous: `..`/`.` segments (raw or percent-encoded),
backslashes, NUL and control characters, `%` left after one decoding (double encoding), invalid
UTF-8, or an absolute URI. What remains can only name a rendered file or nothing.
"""

from __future__ import annotations

import mimetypes
from urllib.parse import unquote_to_bytes

MAX_TARGET = 2048  # bytes of request target; longer ones get 414

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/vnd.microsoft.icon",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".pdf": "application/pdf",
    ".webmanifest": "application/manifest+json",
}


class BadTarget(ValueError):
    """The request target is malformed or ambiguous; answered with 400."""


def site_key(target: str) -> str:
    """The site path a request target names: `/` -> `index.html`, `/about/` -> `about/index.html`."""
    if not target.startswith("/"):
        raise BadTarget("the target must be an absolute path")
    raw = target.split("?", 1)[0].split("#", 1)[0]
    if "\\" in raw or "%5c" in raw.lower():
        raise BadTarget("backslash in path")
    try:
        decoded = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadTarget("path is not UTF-8") from exc
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in decoded):
        raise BadTarget("control character in path")
    if "\\" in decoded:
        raise BadTarget("backslash in path")
    if "%" in decoded:
        raise BadTarget("path is encoded twice")
    parts = [part for part in decoded.split("/") if part]
    if any(part in (".", "..") for part in parts):
        raise BadTarget("relative segment in path")
    if not parts:
        return "index.html"
    key = "/".join(parts)
    return key + "/index.html" if decoded.endswith("/") else key


def content_type(key: str) -> str:
    """The media type by extension; anything unknown is served as opaque bytes."""
    dot = key.rfind(".")
    ext = key[dot:].lower() if dot > key.rfind("/") else ""
    if ext in CONTENT_TYPES:
        return CONTENT_TYPES[ext]
    guessed, _ = mimetypes.guess_type("x" + ext) if ext else (None, None)
    return guessed or "application/octet-stream"


def is_html(key: str) -> bool:
    return content_type(key).startswith("text/html")
