"""The share-card drawing path as it was before cards were written by `render/card_png` (commit
9874157): Pillow's `Image.paste` per glyph, `Image.save` with CARD_PNG, the whole card composed
before encoding. Kept here only as the reference the new cards' pixels must equal."""

from __future__ import annotations

import io
from typing import Any

from PIL import Image, ImageDraw

from bgpub.render.card_drawing import PRIMARY, TEXT_LEVELS, card_font, muted_lut, palette
from bgpub.render.images import ImageJob
from bgpub.render.social_cards import (
    HEIGHT,
    MARGIN,
    SITE_SIZE,
    TITLE_LEADING,
    TITLE_LEFT,
    TITLE_LINES,
    TITLE_SIZE,
    TITLE_TOP,
    WIDTH,
    printable,
)

CARD_PNG = {"compress_level": 1, "compress_type": 3}  # zlib level 1, Z_RLE
_glyphs: dict[tuple[Any, str], tuple[Any, int, int, float]] = {}


def _glyph(font: Any, char: str) -> tuple[Any, int, int, float]:
    if (font, char) not in _glyphs:
        left, top, right, bottom = font.getbbox(char)
        image = None
        if right > left and bottom > top:
            image = Image.new("L", (right - left, bottom - top))
            ImageDraw.Draw(image).text((-left, -top), char, fill=255, font=font)
        _glyphs[(font, char)] = image, left, top, font.getlength(char)
    return _glyphs[(font, char)]


def _kerning(font: Any, pair: str) -> float:
    return float(font.getlength(pair) - font.getlength(pair[0]) - font.getlength(pair[1]))


def draw_text(canvas: Any, xy: tuple[int, int], text: str, font: Any, level: int) -> None:
    x, y = float(xy[0]), xy[1]
    limit = canvas.width
    previous = ""
    for char in text:
        if previous:
            x += _kerning(font, previous + char)
        image, left, top, advance = _glyph(font, char)
        if image is not None:
            canvas.paste(level, (round(x) + left, y + top), image)
        x += advance
        previous = char
        if x > limit:
            break


def wrap(text: str, font: Any, width: int, lines: int) -> list[str]:
    result: list[str] = []
    line, cut = "", False
    for word in text.split():
        trial = f"{line} {word}".strip()
        if not line or font.getlength(trial) <= width:
            line = trial
            continue
        result.append(line)
        line = word
        if len(result) == lines:
            cut = True
            break
    if line and not cut:
        result.append(line)
    if cut:
        result[-1] = result[-1].rstrip(".,;: ") + "…"
    return result


def site_layer(site: str, font_path: str, font_hash: str) -> Image.Image:
    layer = Image.new("L", (WIDTH, HEIGHT), 0)
    layer.paste(PRIMARY, (0, 0, 25, HEIGHT))
    layer.paste(PRIMARY, (MARGIN, HEIGHT - 150, MARGIN + 65, HEIGHT - 141))
    band = Image.new("L", (WIDTH - MARGIN, 141), 0)
    draw_text(
        band, (0, 141 - 120), printable(site)[:80], card_font(font_path, font_hash, SITE_SIZE), 255
    )
    layer.paste(band.point(muted_lut()), (MARGIN, HEIGHT - 141))
    return layer


def reference_card(job: ImageJob) -> bytes:
    """A drawn card's PNG as the code before card_png made it."""
    p = dict(job.params)
    font_path = dict(job.files).get(p["font"], "")
    card = site_layer(p["site"], font_path, p["font"]).copy()
    title_font = card_font(font_path, p["font"], TITLE_SIZE)
    title = printable(p["title"]) or printable(p["site"])
    room = Image.new("L", (WIDTH - TITLE_LEFT, HEIGHT - 150), 0)
    y = TITLE_TOP
    for line in wrap(title, title_font, WIDTH - 2 * MARGIN, TITLE_LINES):
        draw_text(room, (MARGIN - TITLE_LEFT, y), line, title_font, TEXT_LEVELS - 1)
        y += TITLE_LEADING
    card.paste(room, (TITLE_LEFT, 0))
    card.putpalette(palette(p["background"], p["text"], p["muted"], p["primary"]))
    out = io.BytesIO()
    card.save(out, "PNG", **CARD_PNG)
    return out.getvalue()
