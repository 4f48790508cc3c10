"""Pictures made in the tests (a phone photo with GPS EXIF, small images) and a small site around them."""

from __future__ import annotations

import hashlib
import io
import re
from pathlib import Path

import html5lib
from PIL import Image, ImageChops, ImageDraw, ImageFilter

from bgpub.domain.blocks import Block
from bgpub.render.components import load_library
from bgpub.render.themes import load_themes
from bgpub.snapshot import AssetSnapshot, PageSnapshot, PostSnapshot, ProjectSnapshot

REPOSITORY = Path(__file__).resolve().parents[2]
GPS_IFD = 0x8825
ORIENTATION = 0x0112


def library():
    return load_library([REPOSITORY / "components"])


def themes():
    return load_themes([REPOSITORY / "themes"])


def scene(width: int, height: int) -> Image.Image:
    """Photo-like pixels: gradients, shapes and soft grain (JPEG sizes like a real photo's, unlike
    flat colour or pure noise)."""
    small = (max(8, width // 4), max(8, height // 4))
    red = Image.linear_gradient("L").resize(small)
    green = Image.radial_gradient("L").resize(small)
    image = Image.merge("RGB", (red, green, red.transpose(Image.Transpose.ROTATE_180)))
    draw = ImageDraw.Draw(image)
    for i in range(30):
        x, y = (i * 97) % small[0], (i * 53) % small[1]
        draw.ellipse(
            (x, y, x + small[0] // 8 + i, y + small[1] // 9 + i),
            fill=((i * 60) % 255, (i * 90) % 255, (i * 120) % 255),
        )
    image = image.resize((width, height), Image.Resampling.BICUBIC)
    grain = (
        Image.effect_noise(small, 60)
        .resize((width, height), Image.Resampling.BICUBIC)
        .convert("RGB")
    )
    return ImageChops.blend(image, grain, 0.25).filter(ImageFilter.GaussianBlur(1.2))


def phone_jpeg(width: int, height: int, orientation: int = 1, quality: int = 92) -> bytes:
    """A JPEG as a phone writes it: camera make, orientation and a GPS position in EXIF."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[ORIENTATION] = orientation
    gps = exif.get_ifd(GPS_IFD)
    gps[1], gps[2], gps[3], gps[4] = "N", (52.0, 31.0, 12.5), "E", (13.0, 24.0, 1.0)
    out = io.BytesIO()
    scene(width, height).save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def png(width: int, height: int, colour: str = "#3366cc", mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, (width, height), colour).save(out, "PNG")
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def asset(
    name: str, data: bytes, mime: str, width: int | None, height: int | None, **extra
) -> AssetSnapshot:
    return AssetSnapshot(
        name=name, hash=sha(data), mime=mime, size=len(data), width=width, height=height, **extra
    )


def site(
    assets: tuple[AssetSnapshot, ...],
    hero: str | None = None,
    theme: str = "aurora",
    settings: dict | None = None,
    posts: tuple[PostSnapshot, ...] = (),
) -> ProjectSnapshot:
    """Home (a hero with `hero`), an about page with a gallery of every image, optional posts."""
    blocks = [
        Block("navbar", {}),
        Block("hero", {"heading": "Slow Miles", **({"image": hero} if hero else {})}),
    ]
    images = [a.name for a in assets if a.type == "IMAGE" and a.mime != "image/svg+xml"]
    about = [Block("navbar", {})]
    if images:
        about.append(
            Block("gallery", {"heading": "Photos", "images": [{"image": n} for n in images]})
        )
    return ProjectSnapshot(
        name="demo",
        title="Slow Miles",
        theme=theme,
        settings=dict(settings or {}),
        pages=(
            PageSnapshot(slug="home", title="Home", is_home=True, blocks=tuple(blocks)),
            PageSnapshot(slug="about", title="About us", blocks=tuple(about)),
        ),
        assets=assets,
        posts=posts,
    )


def parse(html: bytes):
    return html5lib.parse(html, namespaceHTMLElements=False)


def meta(tree, prop: str) -> str | None:
    for element in tree.iter("meta"):
        if element.get("property") == prop or element.get("name") == prop:
            return element.get("content")
    return None


RENDITION = re.compile(
    r"^assets/(?P<stem>[a-z0-9-]+)-(?P<width>\d+)\.[0-9a-f]{12}\.(?P<ext>jpg|png|webp|avif)$"
)


def renditions(files, stem: str) -> dict[tuple[int, str], bytes]:
    """(width, extension) -> bytes of the renditions of the asset whose file stem is `stem`."""
    found = {}
    for path in files:
        match = RENDITION.match(path)
        if match and match["stem"] == stem:
            found[(int(match["width"]), match["ext"])] = files[path]
    return found


def _s15(value: float) -> bytes:
    return int(round(value * 65536)).to_bytes(4, "big", signed=True)


def _xyz(x: float, y: float, z: float) -> bytes:
    return b"XYZ \0\0\0\0" + _s15(x) + _s15(y) + _s15(z)


def swapped_rgb_profile() -> bytes:
    """A valid ICC v2 RGB display profile whose red and green primaries are swapped: pixels tagged
    with it look very different once converted to sRGB (LittleCMS ships no such profile)."""
    text = b"bgpub test profile\0"
    desc = (
        b"desc\0\0\0\0" + len(text).to_bytes(4, "big") + text + b"\0" * 8 + b"\0\0\0" + b"\0" * 67
    )
    curve = b"curv\0\0\0\0" + (1).to_bytes(4, "big") + (0x0233).to_bytes(2, "big") + b"\0\0"
    tags = [
        (b"desc", desc),
        (b"wtpt", _xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", _xyz(0.3851, 0.7169, 0.0971)),
        (b"gXYZ", _xyz(0.4361, 0.2225, 0.0139)),
        (b"bXYZ", _xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += signature + (offset + len(body)).to_bytes(4, "big") + len(data).to_bytes(4, "big")
        body += data
    size = offset + len(body)
    header = (
        size.to_bytes(4, "big")
        + b"\0" * 4
        + bytes([2, 0x10, 0, 0])
        + b"mntrRGB XYZ "
        + b"\0" * 12
        + b"acsp"
        + b"\0" * 24
        + b"\0" * 4
        + _s15(0.9642)
        + _s15(1.0)
        + _s15(0.8249)
        + b"\0" * 48
    )
    assert len(header) == 128
    return header + len(tags).to_bytes(4, "big") + table + body
