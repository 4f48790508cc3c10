"""Drawing generated share cards cheaply: a 10,000-page site draws 10,000 of them.

A card is an 8-bit palette image. Its palette holds two blend ramps (background to text colour,
background to muted colour) and the primary colour, so each pixel's index *is* its antialiasing
coverage: text drawn as coverage into indices gives the same smooth edges as RGB drawing, and a
palette PNG encodes several times faster and smaller than an RGB one. What every card of a site
shares (the accent bars and the site name) is drawn once per process, and glyphs are rasterised
once per font, size and character (FreeType rasterising is most of the cost of drawing text), then
pasted at the pen positions Pillow's own basic layout uses, which gives the same pixels.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

TEXT_LEVELS = 128  # palette indices 0..127: background (0) to text colour (127)
MUTED_BASE = (
    TEXT_LEVELS - 1
)  # indices 128..254: the muted ramp's levels 1..127 (0 is the background)
PRIMARY = 255  # the accent bars
GLYPHS_CACHED = 4096  # per cache: ~4 KB a title glyph, so at most ~16 MB for a CJK-heavy site


@functools.lru_cache(maxsize=16)
def card_font(path: str, digest: str, size: int) -> Any:
    """The theme's font (by path and content hash) or Pillow's default scalable one, loaded once per
    process, with basic layout: text shaping (raqm) fails on some hostile strings, and a title must
    never break a build."""
    from PIL import ImageFont

    basic = ImageFont.Layout.BASIC
    if path:
        try:
            return ImageFont.truetype(path, size, layout_engine=basic)
        except OSError:
            pass
    # Pillow types load_default as either font class; given a size it is a FreeTypeFont
    return ImageFont.load_default(size=size).font_variant(layout_engine=basic)  # type: ignore[union-attr]


@functools.lru_cache(maxsize=GLYPHS_CACHED)
def _glyph(font: Any, char: str) -> tuple[Any, int, int, int, int, float]:
    """(coverage as Pillow's core image or None, x offset, y offset, width, height, advance) of one
    character, rasterised once."""
    from PIL import Image, ImageDraw

    left, top, right, bottom = font.getbbox(char)
    core = None
    if right > left and bottom > top:
        image = Image.new("L", (right - left, bottom - top))
        ImageDraw.Draw(image).text((-left, -top), char, fill=255, font=font)
        core = image.im
    return core, left, top, right - left, bottom - top, font.getlength(char)


@functools.lru_cache(maxsize=GLYPHS_CACHED)
def _kerning(font: Any, pair: str) -> float:
    """The pen adjustment basic layout makes between two characters (a font's `kern` table)."""
    kern: float = font.getlength(pair) - font.getlength(pair[0]) - font.getlength(pair[1])
    return kern


def draw_text(canvas: Any, xy: tuple[int, int], text: str, font: Any, level: int) -> None:
    """Blends `text` into `canvas` (an "L" image of ramp indices, 0 = background) towards `level`,
    glyph by glyph; stops at the canvas's right edge (an unbreakable title is clipped there).

    Each glyph goes through the core image's `paste(level, box, mask)`, the very call that
    `Image.paste(level, (x, y), mask)` ends in, so the blend is Pillow's own; the Python wrapper's
    checks (mode conversion, `load`, copy-on-write) cost ~3x the C paste and hold for every glyph
    once they hold for the canvas, which must be a writable image (from `Image.new`)."""
    if canvas.readonly:
        raise ValueError("draw_text needs a writable canvas")
    canvas.load()
    paste = canvas.im.paste
    x, y = float(xy[0]), xy[1]
    limit = canvas.width
    previous = ""
    for char in text:
        if previous:
            x += _kerning(font, previous + char)
        core, left, top, width, height, advance = _glyph(font, char)
        if core is not None:
            at_x, at_y = round(x) + left, y + top
            paste(level, (at_x, at_y, at_x + width, at_y + height), core)
        x += advance
        previous = char
        if x > limit:
            break


def text_length(font: Any, text: str, after: str = "") -> float:
    """The advance of `text` (following the character `after`, kerned against it) as the sum of the
    cached glyph advances and pair kernings: what `font.getlength` returns with basic layout, whose
    pen moves by each glyph's advance plus the pair's kerning, exactly (every term is a multiple of
    1/64 px, so the float sums are exact), without FreeType loading every glyph of the string again
    on each call (that was ~15% of a card when wrapping measured each trial line)."""
    length, previous = 0.0, after
    for char in text:
        if previous:
            length += _kerning(font, previous + char)
        length += _glyph(font, char)[5]
        previous = char
    return length


@functools.lru_cache(maxsize=64)
def palette(background: str, text: str, muted: str, primary: str) -> tuple[int, ...]:
    """The 256-entry palette of a card: the text ramp, the muted ramp and the primary colour."""
    bg, fg, mu, pr = (_rgb(c) for c in (background, text, muted, primary))
    entries: list[int] = []
    for i in range(TEXT_LEVELS):
        entries += _blend(bg, fg, i / (TEXT_LEVELS - 1))
    for i in range(1, PRIMARY - MUTED_BASE):
        entries += _blend(bg, mu, i / (PRIMARY - MUTED_BASE - 1))
    entries += pr
    return tuple(entries)


def _rgb(value: str) -> tuple[int, int, int]:
    value = value.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def _blend(a: Sequence[int], b: Sequence[int], t: float) -> list[int]:
    return [round(x + (y - x) * t) for x, y in zip(a, b, strict=True)]


def muted_lut() -> list[int]:
    """Coverage (0..255) to a muted-ramp index (0 stays the background)."""
    steps = PRIMARY - MUTED_BASE - 1
    return [0 if (q := round(v * steps / 255)) == 0 else MUTED_BASE + q for v in range(256)]
