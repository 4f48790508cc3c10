"""SVG artwork that follows the theme: `currentColor` is the accent, the root's `color` its fallback.

An SVG shown through `<img>` cannot read the page's CSS, so the renderer writes a copy whose root
`color` attribute is the site's `color-primary` (theme, parent, project override). Only files that opt
in are touched: a root `<svg ... color="...">` and at least one `currentColor` in the document. The
copy gets its own content-hashed name; the stored asset never changes.
"""

from __future__ import annotations

import re
from collections.abc import Callable

_ROOT = re.compile(rb"<svg\b[^>]*>", re.I)
_COLOR_ATTR = re.compile(rb"""(\scolor\s*=\s*)(["'])([^"']*)\2""", re.I)
_PLAIN_COLOUR = re.compile(
    r"^(#[0-9a-fA-F]{3,8}|(rgb|rgba|hsl|hsla)\([0-9., %/a-z-]+\)|[a-zA-Z]{3,20})$"
)
_THEMABLE: dict[str, bool] = {}  # asset hash -> opts in (bytes are immutable per hash)


def is_themable(digest: str, load: Callable[[], bytes]) -> bool:
    """True when the SVG opts in: a root `color` attribute and a `currentColor` paint (`load` gives its
    bytes; called once per hash in a process)."""
    found = _THEMABLE.get(digest)
    if found is None:
        data = load()
        root = _ROOT.search(data[:4096])
        found = bool(root and _COLOR_ATTR.search(root.group(0)) and b"currentcolor" in data.lower())
        _THEMABLE[digest] = found
    return found


def accent(colour: str) -> str:
    """The colour written into artwork: a plain colour token, else "" (the artwork keeps its own)."""
    colour = (colour or "").strip()
    return colour if _PLAIN_COLOUR.match(colour) else ""


def recolour(data: bytes, colour: str) -> bytes:
    """The SVG with its root `color` set to `colour` (already checked by `accent`)."""
    root = _ROOT.search(data)
    if root is None or not colour:
        return data
    tag = _COLOR_ATTR.sub(
        lambda m: m.group(1) + b'"' + colour.encode("ascii") + b'"', root.group(0), count=1
    )
    return data[: root.start()] + tag + data[root.end() :]
