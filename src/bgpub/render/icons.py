"""The site's icons from one logo asset (SVG or a square PNG of at least 512 px), or a monogram in the
theme's primary colour: favicon.ico (16/32/48), icon-192/512.png, apple-touch-icon.png, icon.svg (an
SVG source, already rebuilt inert on upload), site.webmanifest, and the head links to them."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

from bgpub.errors import RenderError
from bgpub.render.images import ImageJob

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage


ICON_SETTING = "icon"
MIN_PNG = 512
ICO_SIZES = (16, 32, 48)
PNGS = {"icon-192.png": 192, "icon-512.png": 512, "apple-touch-icon.png": 180}


@functools.lru_cache(maxsize=256)  # the same few tokens for every card of a site: parse each once
def colour(value: str | None, fallback: str) -> str:
    """A theme token as `#rrggbb` for drawing (tokens may be rgb(), hsl() or names); else `fallback`."""
    from PIL import ImageColor

    try:
        rgb = ImageColor.getrgb(str(value or "").strip())
    except ValueError:
        return fallback
    return "#{:02x}{:02x}{:02x}".format(*rgb[:3])


def monogram_letter(title: str) -> str:
    return next((c.upper() for c in title if c.isalnum()), "B")


@dataclass(frozen=True)
class SiteIcons:
    """The icon files of a site: image jobs by path, plain files by path, and the `<head>` links."""

    jobs: dict[str, ImageJob]
    files: dict[str, bytes]
    svg_source: str  # blob hash of an SVG icon, copied as icon.svg; "" without one
    links: Markup


def plan_icons(
    snapshot: Any, tokens: Mapping[str, str], url: Callable[[str], str], where: str
) -> SiteIcons:
    """Which icon files the site gets; the `icon` setting names the source asset."""
    name = snapshot.settings.get(ICON_SETTING)
    primary = colour(tokens.get("color-primary"), "#4338ca")
    contrast = colour(tokens.get("color-primary-contrast"), "#ffffff")
    background = colour(tokens.get("color-bg"), "#ffffff")
    source, svg = "", False
    if name:
        here = f"{where}, settings, {ICON_SETTING}"
        asset = next((a for a in snapshot.assets if a.name == name), None)
        if asset is None:
            raise RenderError(f"asset {name!r} does not exist in this project", where=here)
        if asset.mime == "image/svg+xml":
            svg = True
        elif (
            asset.mime != "image/png" or asset.width != asset.height or (asset.width or 0) < MIN_PNG
        ):
            raise RenderError(
                f"the icon must be an SVG or a square PNG of at least {MIN_PNG} px "
                f"({asset.name} is {asset.mime}, {asset.width}x{asset.height})",
                where=here,
            )
        source = asset.hash
    base = (
        ("svg", svg),
        ("letter", "" if source else monogram_letter(snapshot.title or snapshot.name)),
        ("primary", primary),
        ("contrast", contrast),
        ("background", background),
    )
    jobs = {
        "favicon.ico": ImageJob("icon", source, "ico", 48, 48, 0, base + (("sizes", ICO_SIZES),))
    }
    for path, size in PNGS.items():
        opaque = path == "apple-touch-icon.png"  # iOS fills transparency with black
        jobs[path] = ImageJob("icon", source, "png", size, size, 0, base + (("opaque", opaque),))
    manifest = {
        "name": snapshot.title or snapshot.name,
        "short_name": (snapshot.title or snapshot.name)[:12],
        "icons": [
            {"src": url("/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": url("/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
        "start_url": url("/"),
        "display": "standalone",
        "theme_color": primary,
        "background_color": background,
    }
    files = {
        "site.webmanifest": (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode(
            "utf-8"
        )
    }
    links = [f'<link rel="icon" href="{escape(url("/favicon.ico"))}" sizes="48x48">']
    if svg:
        links.append(f'<link rel="icon" href="{escape(url("/icon.svg"))}" type="image/svg+xml">')
    links.append(f'<link rel="apple-touch-icon" href="{escape(url("/apple-touch-icon.png"))}">')
    links.append(f'<link rel="manifest" href="{escape(url("/site.webmanifest"))}">')
    return SiteIcons(jobs, files, source if svg else "", Markup("\n".join(links)))


def _params(job: ImageJob) -> dict[str, Any]:
    return dict(job.params)


def _monogram(size: int, letter: str, primary: str, contrast: str) -> PILImage:
    from PIL import Image, ImageDraw, ImageFont

    scale = 4 if size < 128 else 1  # draw small icons big, then shrink: smooth edges
    big = size * scale
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle((0, 0, big - 1, big - 1), radius=big // 5, fill=primary)
    # Pillow types load_default as either font class; given a size it is a FreeTypeFont
    font = ImageFont.load_default(size=int(big * 0.62)).font_variant(  # type: ignore[union-attr]
        layout_engine=ImageFont.Layout.BASIC
    )
    draw.text((big / 2, big / 2), letter, fill=contrast, font=font, anchor="mm")
    return image.resize((size, size), Image.Resampling.LANCZOS) if scale > 1 else image


def _from_source(source: bytes, size: int, svg: bool) -> PILImage:
    from PIL import Image

    if svg:
        import cairosvg

        png = cairosvg.svg2png(
            bytestring=source, output_width=size, output_height=size, unsafe=False
        )
        return Image.open(io.BytesIO(png)).convert("RGBA")
    from bgpub.render.images import load_image

    image = load_image(source).convert("RGBA")
    return image.resize((size, size), Image.Resampling.LANCZOS)


def make_icon(job: ImageJob, source: bytes | None) -> bytes:
    """One icon file: an ICO of several sizes or one PNG, from the source or as a monogram."""
    from PIL import Image

    p = _params(job)
    sizes = p.get("sizes") or (job.width,)

    def draw(size: int) -> PILImage:
        if source is None:
            return _monogram(size, p["letter"], p["primary"], p["contrast"])
        return _from_source(source, size, p["svg"])

    out = io.BytesIO()
    if job.format == "ico":
        frames = [draw(s) for s in sizes]
        frames[-1].save(out, "ICO", sizes=[(s, s) for s in sizes], append_images=frames[:-1])
        return out.getvalue()
    image = draw(job.width)
    if p.get("opaque"):
        flat = Image.new("RGBA", image.size, p["background"])
        flat.alpha_composite(image)
        image = flat.convert("RGB")
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
