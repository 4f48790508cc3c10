"""Small, real images for the starter sites, drawn as SVG (and one PNG) by code so they stay deterministic."""

from __future__ import annotations

import math
import struct
import zlib
from html import escape


def _svg(width: int, height: int, body: str, label: str, accent: str = "") -> bytes:
    """`accent`: the root `color`; paints written `currentColor` then follow the site's theme (the
    renderer sets the root colour to its color-primary: bgpub.render.artwork)."""
    colour = f' color="{accent}"' if accent else ""
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"{colour} '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">'
    )
    return (head + body + "</svg>\n").encode("utf-8")


def _gradient(gid: str, c1: str, c2: str, vertical: bool = False) -> str:
    x2, y2 = ("0", "1") if vertical else ("1", "1")
    return (
        f'<linearGradient id="{gid}" x1="0" y1="0" x2="{x2}" y2="{y2}">'
        f'<stop offset="0" stop-color="{c1}"/><stop offset="1" stop-color="{c2}"/></linearGradient>'
    )


def mark(c1: str, c2: str, shape: str, label: str) -> bytes:
    """A square brand mark: a tile in the theme's accent (`c2` until themed), lit from the top left
    (`c1` is kept for the call sites' palette), with a simple white glyph."""
    glyphs = {
        "bars": '<path d="M11 27v-6M17 27V15M23 27v-9M29 27V11" stroke="#fff" stroke-width="3.2" stroke-linecap="round"/>',
        "sun": '<circle cx="20" cy="17" r="6" fill="#fff"/><path d="M6 30c5-5 9-5 14 0s9 5 14 0" stroke="#fff" stroke-width="3" fill="none" stroke-linecap="round"/>',
        "vase": '<path d="M16 9h8v3c0 2 5 5 5 11 0 5-4 8-9 8s-9-3-9-8c0-6 5-9 5-11z" fill="#fff"/>',
    }
    body = (
        '<defs><linearGradient id="m" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#fff" '
        'stop-opacity=".28"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></linearGradient></defs>'
        '<rect width="40" height="40" rx="10" fill="currentColor"/>'
        f'<rect width="40" height="40" rx="10" fill="url(#m)"/>{glyphs[shape]}'
    )
    return _svg(40, 40, body, label, accent=c2)


def wordmark(name: str, shape: str) -> bytes:
    """A customer logo in one grey: a small shape and the company name."""
    shapes = {
        "ring": '<circle cx="18" cy="20" r="10" fill="none" stroke="#5b6477" stroke-width="5"/>',
        "diamond": '<path d="M18 8l11 12-11 12L7 20z" fill="#5b6477"/>',
        "stack": '<path d="M7 12h22M7 20h22M7 28h22" stroke="#5b6477" stroke-width="4" stroke-linecap="round"/>',
        "leaf": '<path d="M8 31C8 17 17 9 30 9c0 14-9 22-22 22z" fill="#5b6477"/>',
        "bolt": '<path d="M21 6 9 23h9l-3 12 12-17h-9z" fill="#5b6477"/>',
    }
    body = (
        shapes[shape]
        + f'<text x="38" y="27" font-family="Helvetica, Arial, sans-serif" font-size="19" '
        f'font-weight="700" fill="#5b6477" letter-spacing="-0.3">{escape(name)}</text>'
    )
    return _svg(40 + 11 * len(name), 40, body, name)


def avatar(initials: str, c1: str, c2: str) -> bytes:
    body = (
        f'<defs>{_gradient("a", c1, c2)}</defs><rect width="96" height="96" fill="url(#a)"/>'
        '<circle cx="48" cy="38" r="17" fill="#ffffff" fill-opacity=".9"/>'
        '<path d="M16 96c4-20 17-30 32-30s28 10 32 30z" fill="#ffffff" fill-opacity=".9"/>'
        f'<text x="48" y="45" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" '
        f'font-size="15" font-weight="700" fill="{c2}">{escape(initials)}</text>'
    )
    return _svg(96, 96, body, f"Portrait of {initials}")


def dashboard(label: str) -> bytes:
    """The landing page's product picture: a planner board in a browser window."""
    cols = [
        ("To do", "currentColor", 3),
        ("In progress", "#f59e0b", 2),
        ("Review", "#ec4899", 2),
        ("Done", "#10b981", 3),
    ]
    parts = [
        f"<defs>{_gradient('bg', '#eef0ff', '#fdf2f8')}</defs>",
        '<rect width="1200" height="840" rx="28" fill="url(#bg)"/>',
        '<rect x="40" y="40" width="1120" height="760" rx="18" fill="#ffffff" stroke="#dde1ee" stroke-width="2"/>',
        '<path d="M40 58a18 18 0 0 1 18-18h1084a18 18 0 0 1 18 18v36H40z" fill="#f5f6fc"/>',
        '<circle cx="72" cy="67" r="8" fill="#f87171"/><circle cx="98" cy="67" r="8" fill="#fbbf24"/>'
        '<circle cx="124" cy="67" r="8" fill="#34d399"/>',
        '<rect x="40" y="94" width="220" height="706" fill="#f8f9fd"/>',
        '<rect x="66" y="124" width="120" height="16" rx="8" fill="currentColor"/>',
    ]
    for i in range(6):
        y = 176 + i * 46
        width = 150 - (i * 17) % 60
        fill = 'fill="#e0e4f5"' if i else 'fill="currentColor" fill-opacity=".3"'
        parts.append(f'<rect x="66" y="{y}" width="{width}" height="14" rx="7" {fill}/>')
    parts.append('<rect x="296" y="124" width="280" height="24" rx="12" fill="#1b2030"/>')
    parts.append('<rect x="980" y="118" width="150" height="38" rx="19" fill="currentColor"/>')
    for c, (_title, color, cards) in enumerate(cols):
        x = 296 + c * 214
        parts.append(f'<rect x="{x}" y="186" width="196" height="584" rx="14" fill="#f5f6fc"/>')
        parts.append(f'<rect x="{x + 16}" y="204" width="90" height="12" rx="6" fill="{color}"/>')
        for k in range(cards):
            y = 236 + k * 132
            parts.append(
                f'<rect x="{x + 12}" y="{y}" width="172" height="116" rx="12" fill="#ffffff" '
                'stroke="#e3e6f0" stroke-width="2"/>'
            )
            parts.append(
                f'<rect x="{x + 28}" y="{y + 20}" width="{120 - (k * 23) % 50}" height="12" rx="6" fill="#1b2030" fill-opacity=".75"/>'
            )
            parts.append(
                f'<rect x="{x + 28}" y="{y + 44}" width="136" height="10" rx="5" fill="#dde1ee"/>'
            )
            parts.append(
                f'<rect x="{x + 28}" y="{y + 62}" width="96" height="10" rx="5" fill="#dde1ee"/>'
            )
            parts.append(
                f'<rect x="{x + 28}" y="{y + 86}" width="44" height="16" rx="8" fill="{color}" fill-opacity=".25"/>'
            )
            parts.append(
                f'<circle cx="{x + 160}" cy="{y + 94}" r="11" fill="{color}" fill-opacity=".8"/>'
            )
    return _svg(1200, 840, "".join(parts), label, accent="#4338ca")


def _ridge(width: int, height: int, base: float, amp: float, seed: int, steps: int = 24) -> str:
    """A closed path of a hill line: smooth, deterministic bumps from summed sines."""
    points = []
    for i in range(steps + 1):
        x = width * i / steps
        t = i / steps * math.pi * 2
        y = base - amp * (
            0.55 * math.sin(t * 1.3 + seed)
            + 0.3 * math.sin(t * 2.7 + seed * 1.7)
            + 0.15 * math.sin(t * 5.1 + seed * 0.3)
        )
        points.append(f"{x:.0f} {y:.0f}")
    return f"M0 {height}L" + "L".join(points) + f"L{width} {height}z"


def landscape(
    palette: tuple[str, ...],
    seed: int,
    label: str,
    width: int = 1600,
    height: int = 900,
    road: bool = False,
) -> bytes:
    """Layered hills under a sky with a low sun; `palette` = sky top, sky bottom, sun, then hills far to near."""
    sky1, sky2, sun, *hills = palette
    parts = [
        f"<defs>{_gradient('sky', sky1, sky2, vertical=True)}</defs>",
        f'<rect width="{width}" height="{height}" fill="url(#sky)"/>',
        f'<circle cx="{width * (0.3 + 0.4 * ((seed * 37) % 10) / 10):.0f}" cy="{height * 0.38:.0f}" '
        f'r="{height * 0.11:.0f}" fill="{sun}"/>',
    ]
    for i, color in enumerate(hills):
        base = height * (0.5 + 0.13 * i)
        parts.append(
            f'<path d="{_ridge(width, height, base, height * (0.12 - 0.02 * i), seed + i * 3)}" fill="{color}"/>'
        )
    if road:
        parts.append(
            f'<path d="M{width * 0.42:.0f} {height}C{width * 0.5:.0f} {height * 0.86:.0f} '
            f'{width * 0.62:.0f} {height * 0.84:.0f} {width * 0.6:.0f} {height * 0.78:.0f}" '
            f'stroke="#f5efe0" stroke-width="14" fill="none" stroke-linecap="round" stroke-opacity=".85"/>'
        )
    return _svg(width, height, "".join(parts), label)


def pottery(kind: str, glaze: str, backdrop: str, label: str) -> bytes:
    """A product photo stand-in: one ceramic piece on a shelf, 800 by 800."""
    shade = "#000000"
    shapes = {
        "mug": f'<rect x="250" y="300" width="260" height="290" rx="34" fill="{glaze}"/>'
        f'<path d="M510 360c90 0 90 160 0 160" stroke="{glaze}" stroke-width="34" fill="none"/>'
        '<ellipse cx="380" cy="304" rx="130" ry="22" fill="#ffffff" fill-opacity=".25"/>',
        "bowl": f'<path d="M180 380h440c0 150-100 230-220 230S180 530 180 380z" fill="{glaze}"/>'
        '<ellipse cx="400" cy="380" rx="220" ry="40" fill="#ffffff" fill-opacity=".3"/>',
        "vase": f'<path d="M340 180h120v40c0 40 110 110 110 240 0 100-70 150-170 150s-170-50-170-150c0-130 110-200 110-240z" fill="{glaze}"/>'
        '<ellipse cx="400" cy="182" rx="60" ry="12" fill="#ffffff" fill-opacity=".3"/>',
        "plate": f'<ellipse cx="400" cy="470" rx="290" ry="120" fill="{glaze}"/>'
        '<ellipse cx="400" cy="455" rx="190" ry="72" fill="#ffffff" fill-opacity=".22"/>',
        "teapot": f'<ellipse cx="400" cy="450" rx="190" ry="150" fill="{glaze}"/>'
        f'<path d="M215 420c-80-20-100-110-60-150" stroke="{glaze}" stroke-width="30" fill="none" stroke-linecap="round"/>'
        f'<path d="M585 400c80 0 80 130 0 140" stroke="{glaze}" stroke-width="30" fill="none"/>'
        f'<rect x="340" y="275" width="120" height="40" rx="16" fill="{glaze}"/><circle cx="400" cy="262" r="18" fill="{glaze}"/>',
        "planter": f'<path d="M250 400h300l-30 200H280z" fill="{glaze}"/>'
        '<path d="M400 400c-10-90-80-140-150-150 20 80 80 130 150 150zM400 400c10-110 70-170 160-180-20 100-80 160-160 180z" fill="#4d7c4a"/>'
        '<path d="M400 400V250" stroke="#3f6b3c" stroke-width="10"/>',
    }
    body = (
        f'<rect width="800" height="800" fill="{backdrop}"/>'
        '<rect y="600" width="800" height="200" fill="#000000" fill-opacity=".06"/>'
        f'<ellipse cx="400" cy="610" rx="230" ry="26" fill="{shade}" fill-opacity=".12"/>{shapes[kind]}'
    )
    return _svg(800, 800, body, label)


def video_still(label: str) -> bytes:
    body = (
        f'<defs>{_gradient("v", "#000000", "#000000")}</defs><rect width="1280" height="720" fill="currentColor"/>'
        '<rect width="1280" height="720" fill="url(#v)" fill-opacity=".35"/>'
        '<rect x="160" y="110" width="960" height="560" rx="22" fill="#ffffff" fill-opacity=".96"/>'
        '<rect x="160" y="110" width="200" height="560" rx="22" fill="#eef0ff"/>'
        + "".join(
            f'<rect x="{400 + c * 180}" y="170" width="160" height="{380 - c * 60}" rx="14" fill="#f5f6fc"/>'
            for c in range(4)
        )
        + '<rect x="196" y="150" width="110" height="16" rx="8" fill="currentColor"/>'
    )
    return _svg(1280, 720, body, label, accent="#4338ca")


def gradient_png(
    width: int, height: int, top: tuple[int, int, int], bottom: tuple[int, int, int]
) -> bytes:
    """A vertical gradient PNG (for Open Graph previews, which do not accept SVG)."""
    rows = []
    for y in range(height):
        t = y / max(1, height - 1)
        pixel = bytes(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        rows.append(b"\x00" + pixel * width)
    raw = zlib.compress(b"".join(rows), 9)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")
