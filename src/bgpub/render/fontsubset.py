"""fontTools subsetting of a theme's WOFF2 files: a pure function of (bytes, ranges), cached.

The same source and ranges always give the same bytes, so results are kept in memory for the process
and, when the renderer has a cache folder, on disk under `fonts/` keyed by the same hash the output
name carries: a rebuild or a new process never subsets an unchanged font again.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

import fontTools

VERSION = f"fonttools-{fontTools.version}-2"  # bump when the options below change the output
_MEMO: dict[str, bytes] = {}
SUBSETS_MADE = [0]  # how many subsets this process computed (tests check caching with it)


def _key(source: bytes, ranges: str) -> str:
    return hashlib.sha256(source + b"\0" + ranges.encode() + b"\0" + VERSION.encode()).hexdigest()


def _codepoints(ranges: str) -> list[int]:
    points: list[int] = []
    for part in ranges.split(","):
        low, _, high = part.strip().upper().removeprefix("U+").partition("-")
        points.extend(range(int(low, 16), int(high or low, 16) + 1))
    return points


def subset_woff2(source: bytes, ranges: str, cache_dir: str | Path | None = None) -> bytes:
    """`source` (WOFF2 or TTF) cut to the characters of `ranges` (`U+0000-00FF,...`), as WOFF2."""
    key = _key(source, ranges)
    found = _MEMO.get(key)
    if found is not None:
        return found
    cached = Path(cache_dir) / "fonts" / f"{key}.woff2" if cache_dir is not None else None
    if cached is not None and cached.is_file():
        data = cached.read_bytes()
        _MEMO[key] = data
        return data
    data = _subset(source, ranges)
    SUBSETS_MADE[0] += 1
    _MEMO[key] = data
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, cached)
    return data


def _subset(source: bytes, ranges: str) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = [
        "kern",
        "liga",
        "calt",
        "ccmp",
        "locl",
        "mark",
        "mkmk",
        "rlig",
        "tnum",
    ]
    # hinting kept: the shipped files are unhinted already, and stripping it costs a second per font
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # keep the copyright and names (the OFL asks for them)
    options.notdef_outline = True
    font = TTFont(io.BytesIO(source), recalcTimestamp=False)  # the same bytes on every build
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=_codepoints(ranges))
    subsetter.subset(font)
    font.flavor = "woff2"
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def woff2_to_ttf(source: bytes) -> bytes:
    """A WOFF2 (or TTF) font as plain TrueType bytes: what Pillow's `ImageFont.truetype` reads (social
    cards drawn with the theme's font; a variable font's weight is set with `set_variation_by_axes`)."""
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(source), recalcTimestamp=False)
    font.flavor = None
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
