"""Share images (`og:image`): a 1200x630 PNG per page and post, from its cover cropped at the focal
point, or drawn with Pillow from the title, the site name and the theme's colours (and the theme's
TTF/OTF font when it ships one, else Pillow's default scalable font)."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path
from typing import Any

from bgpub.render.icons import colour
from bgpub.render.images import ImageJob, focal_point

WIDTH, HEIGHT = 1200, 630
_STEM = re.compile(r"[^a-z0-9-]+")


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
        return ImageJob("card", cover.hash, "png", WIDTH, HEIGHT, 0, (("focus", focus),))
    params = (
        ("title", title),
        ("site", site),
        ("background", colour(tokens.get("color-bg"), "#ffffff")),
        ("text", colour(tokens.get("color-text"), "#1b2030")),
        ("muted", colour(tokens.get("color-muted"), "#525b70")),
        ("primary", colour(tokens.get("color-primary"), "#4338ca")),
        ("font", font[1]),  # the font's hash, never its path: outputs must not depend on the checkout
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


def _font(spec: tuple[str, str], size: int):
    """The theme's font or Pillow's default one, with basic layout: text shaping (raqm) fails on
    some hostile strings, and a title must never break a build."""
    from PIL import ImageFont

    basic = ImageFont.Layout.BASIC
    if spec[0]:
        try:
            return ImageFont.truetype(spec[0], size, layout_engine=basic)
        except OSError:
            pass
    return ImageFont.load_default(size=size).font_variant(layout_engine=basic)


def printable(text: str) -> str:
    """The text without control and format characters (line separators, bidi overrides, NUL)."""
    import unicodedata

    return "".join(c if unicodedata.category(c)[0] != "C" else " " for c in text).strip()


def _wrap(draw: Any, text: str, font: Any, width: int, lines: int) -> list[str]:
    words, result, line = text.split(), [], ""
    for word in words:
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=font) <= width or not line:
            line = trial
        else:
            result.append(line)
            line = word
    if line:
        result.append(line)
    if len(result) > lines:
        result = result[:lines]
        result[-1] = result[-1].rstrip(".,;: ") + "…"
    return result


def make_card(job: ImageJob, source: bytes | None) -> bytes:
    from PIL import Image, ImageDraw

    p = dict(job.params)
    out = io.BytesIO()
    if source is not None:
        from bgpub.render.images import load_image

        image = load_image(source).convert("RGB")
        image = image.crop(crop_box(*image.size, p["focus"])).resize(
            (WIDTH, HEIGHT), Image.Resampling.LANCZOS
        )
        image.save(out, "PNG", compress_level=7)
        return out.getvalue()
    image = Image.new("RGB", (WIDTH, HEIGHT), p["background"])
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 24, HEIGHT), fill=p["primary"])
    margin = 96
    font = (dict(job.files).get(p["font"], ""), p["font"])
    title_font = _font(font, 72)
    y = 150
    for line in _wrap(
        draw, printable(p["title"]) or printable(p["site"]), title_font, WIDTH - 2 * margin, 3
    ):
        draw.text((margin, y), line, fill=p["text"], font=title_font)
        y += 92
    site_font = _font(font, 36)
    draw.rectangle((margin, HEIGHT - 150, margin + 64, HEIGHT - 142), fill=p["primary"])
    draw.text((margin, HEIGHT - 120), printable(p["site"])[:80], fill=p["muted"], font=site_font)
    image.save(out, "PNG", compress_level=7)
    return out.getvalue()
