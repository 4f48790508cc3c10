"""Share images (`og:image`): a 1200x630 PNG per page and post, from its cover cropped at the focal
point, or drawn with Pillow from the title, the site name and the theme's colours (and the theme's
TTF/OTF font when it ships one, else Pillow's default scalable font)."""

from __future__ import annotations

import functools
import hashlib
import io
import re
from pathlib import Path
from typing import Any

from bgpub.render.card_drawing import (
    PRIMARY,
    TEXT_LEVELS,
    card_font,
    draw_text,
    muted_lut,
    palette,
    text_length,
)
from bgpub.render.card_png import SharedRows, palette_png
from bgpub.render.icons import colour
from bgpub.render.images import ImageJob, focal_point

WIDTH, HEIGHT = 1200, 630
_STEM = re.compile(r"[^a-z0-9-]+")
MARGIN = 96
TITLE_SIZE, TITLE_LEADING, TITLE_TOP, TITLE_LINES = 72, 92, 150, 3
SITE_SIZE = 36
TITLE_LEFT = 48  # the title's room starts here (right of the bar, room for a glyph's overhang)
# A photo crop stays RGB: level 3 took ~120 ms and 949 KB on a 1200x630 photo, level 7 ~480 ms and
# 876 KB, level 1 ~75 ms and 1,012 KB.
COVER_COMPRESS = 3
# part of a drawn card's key: bump when the same card would be drawn differently (not when only its
# PNG bytes change for the same pixels, as when render/card_png took over the encoding: names stay)
CARD_STYLE = 2


def theme_font(chain: list[Any]) -> tuple[str, str]:
    """(path, sha256) of the first TTF/OTF font the theme (or a parent) ships under `fonts/`; ("", "")."""
    for theme in chain:
        folder = Path(theme.directory) / "fonts"
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.suffix.lower() in (".ttf", ".otf") and path.is_file():
                    return str(path), hashlib.sha256(path.read_bytes()).hexdigest()
    return "", ""


def card_job(
    title: str, site: str, tokens: dict[str, str], font: tuple[str, str], cover: Any | None = None
) -> ImageJob:
    """The job of one share image: a crop of `cover` (an AssetSnapshot) or a drawn card."""
    if cover is not None:
        focus = focal_point(cover)
        params: tuple[tuple[str, Any], ...] = (("focus", focus), ("style", CARD_STYLE))
        return ImageJob("card", cover.hash, "png", WIDTH, HEIGHT, 0, params)
    params = (
        ("title", title),
        ("site", site),
        ("background", colour(tokens.get("color-bg"), "#ffffff")),
        ("text", colour(tokens.get("color-text"), "#1b2030")),
        ("muted", colour(tokens.get("color-muted"), "#525b70")),
        ("primary", colour(tokens.get("color-primary"), "#4338ca")),
        (
            "font",
            font[1],
        ),  # the font's hash, never its path: outputs must not depend on the checkout
        ("style", CARD_STYLE),
    )
    files = ((font[1], font[0]),) if font[0] else ()
    return ImageJob("card", "", "png", WIDTH, HEIGHT, 0, params, files)


def card_path(slug: str, job: ImageJob) -> str:
    stem = _STEM.sub("-", slug.lower()).strip("-")[:60] or "home"
    return f"assets/social/{stem}.{job.key[:12]}.png"


def crop_box(width: int, height: int, focus: tuple[float, float]) -> tuple[int, int, int, int]:
    """The largest 1200:630 box inside the image, centred on the focal point as far as the edges allow."""
    ratio = WIDTH / HEIGHT
    if width / height > ratio:
        w, h = round(height * ratio), height
    else:
        w, h = width, round(width / ratio)
    left = min(max(0, round(focus[0] * width - w / 2)), width - w)
    top = min(max(0, round(focus[1] * height - h / 2)), height - h)
    return left, top, left + w, top + h


def printable(text: str) -> str:
    """The text without control and format characters (line separators, bidi overrides, NUL)."""
    import unicodedata

    if text.isprintable():  # nothing of category C (the usual title): nothing to replace
        return text.strip()
    return "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text).strip()


def _wrap(text: str, font: Any, width: int, lines: int) -> list[str]:
    """`text` wrapped to `width` pixels in at most `lines` lines, the last one ellipsised when cut
    (the words past the cut are never measured: a hostile title costs no more than a long one).
    A trial line's width is the line's width so far plus the space and the word, kerned against
    the line's last character: `font.getlength` of the trial line, each word measured once."""
    result: list[str] = []
    line, cut = "", False
    length: float | None = None  # the line's width, measured when a word is tried after it
    for word in text.split():
        if not line:
            line, length = word, None
            continue
        if length is None:
            length = text_length(font, line)
        trial = length + text_length(font, " " + word, after=line[-1])
        if trial <= width:
            line, length = f"{line} {word}", trial
            continue
        result.append(line)
        line, length = word, None
        if len(result) == lines:
            cut = True
            break
    if line and not cut:
        result.append(line)
    if cut:
        result[-1] = result[-1].rstrip(".,;: ") + "…"
    return result


@functools.lru_cache(maxsize=8)
def _site_layer(site: str, font_path: str, font_hash: str) -> SharedRows:
    """What every drawn card of a site shares, as palette indices: the accent bars and the site name
    (in the muted ramp), as filtered PNG rows (see card_png). Drawn once per process; each card
    replaces the rows its title inks."""
    from PIL import Image

    # one column more than the card: column 0 stays 0, PNG's "no filter" byte before each row, so
    # the image's bytes are the PNG's filtered rows as they are
    layer = Image.new("L", (1 + WIDTH, HEIGHT), 0)
    layer.paste(PRIMARY, (1, 0, 1 + 25, HEIGHT))
    layer.paste(PRIMARY, (1 + MARGIN, HEIGHT - 150, 1 + MARGIN + 65, HEIGHT - 141))
    band = Image.new("L", (WIDTH - MARGIN, 141), 0)  # below the rule: the site name's room
    draw_text(
        band, (0, 141 - 120), printable(site)[:80], card_font(font_path, font_hash, SITE_SIZE), 255
    )
    layer.paste(band.point(muted_lut()), (1 + MARGIN, HEIGHT - 141))
    return SharedRows(layer.tobytes(), 1 + WIDTH)


def make_card(job: ImageJob, source: bytes | None) -> bytes:
    """The PNG of a share-card job: the cover cropped at its focal point, or a drawn card."""
    from PIL import Image

    p = dict(job.params)
    if source is not None:
        return _cover_card(source, p["focus"])
    font_path = dict(job.files).get(p["font"], "")
    site = _site_layer(p["site"], font_path, p["font"])
    title_font = card_font(font_path, p["font"], TITLE_SIZE)
    title = printable(p["title"]) or printable(p["site"])
    # the title's room (empty in the site layer): glyphs never reach the bars or the site name
    room = Image.new("L", (WIDTH - TITLE_LEFT, HEIGHT - 150), 0)
    y = TITLE_TOP
    for line in _wrap(title, title_font, WIDTH - 2 * MARGIN, TITLE_LINES):
        draw_text(room, (MARGIN - TITLE_LEFT, y), line, title_font, TEXT_LEVELS - 1)
        y += TITLE_LEADING
    colours = palette(p["background"], p["text"], p["muted"], p["primary"])
    inked = room.getbbox()
    if inked is None:
        return palette_png(WIDTH, HEIGHT, colours, (site.rows(0, HEIGHT),))
    top, bottom = inked[1], inked[3]
    # the inked rows of the card: the site layer's rows with the room's put over their right part
    band = Image.frombytes("L", (site.stride, bottom - top), site.raw(top, bottom))
    band.paste(room.crop((0, top, room.width, bottom)), (1 + TITLE_LEFT, 0))
    return palette_png(WIDTH, HEIGHT, colours, site.around(top, bottom, band.tobytes()))


def _cover_card(source: bytes, focus: tuple[float, float]) -> bytes:
    from PIL import Image

    from bgpub.render.images import load_image

    image = load_image(source, WIDTH)  # a big JPEG decodes at a reduced scale still >= 1200 px
    image = image.convert("RGB").crop(crop_box(*image.size, focus))
    image = image.resize((WIDTH, HEIGHT), Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = io.BytesIO()
    image.save(out, "PNG", compress_level=COVER_COMPRESS)
    return out.getvalue()
