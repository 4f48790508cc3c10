"""Issue 16's images, done when: a 12-megapixel phone JPEG with GPS EXIF as the hero of a built site.

4 widths x 3 formats (2 where Pillow cannot write AVIF), the 1600 px files under 400 KB, no EXIF in
any output, the home page on a 390 px wide phone (2 device pixels a CSS pixel) under 250 KB, and a
second build (same folder, then a new one) encoding nothing: encodes are counted.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path

import pytest
from images_support import parse, phone_jpeg, renditions
from PIL import Image

from bgpub.db.models import ImageRendition
from bgpub.render.images import avif_supported
from bgpub.services import assets, blocks, building, pages
from bgpub.services import renditions as stored

WIDTHS = (480, 960, 1600, 2400)
FORMATS = ("avif", "webp", "jpg") if avif_supported() else ("webp", "jpg")
VIEWPORT = 390


@pytest.fixture(scope="module")
def photo() -> bytes:
    data = phone_jpeg(4000, 3000)
    assert (
        Image.open(io.BytesIO(data)).getexif().get_ifd(0x8825)
    )  # the source does carry a position
    return data


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def chosen(picture, dpr: int) -> str:
    """The URL a browser picks: the first source it supports, then the smallest candidate covering
    the slot (`sizes` resolves to the full width below 64rem) at the device pixel ratio."""
    source = picture.find("source") if picture.find("source") is not None else picture.find("img")
    candidates = sorted(
        (int(w[:-1]), url)
        for url, w in (c.strip().split(" ") for c in source.get("srcset").split(","))
    )
    assert "100vw" in source.get("sizes")
    need = VIEWPORT * dpr
    return next((url for width, url in candidates if width >= need), candidates[-1][1])


def page_weight(files: dict[str, bytes], page: str, dpr: int) -> int:
    """Bytes a first visit to `page` transfers: HTML and CSS compressed as hosts serve them, the
    chosen hero file, the preloaded fonts and the favicon."""
    html = files[page]
    tree_ = parse(html)
    total = len(gzip.compress(html))
    for link in tree_.iter("link"):
        href = (link.get("href") or "").lstrip("/")
        if link.get("rel") == "stylesheet":
            total += len(gzip.compress(files[href]))
        elif link.get("rel") == "preload" or link.get("rel") == "icon" and href == "favicon.ico":
            total += len(files[href])
    picture = next(tree_.iter("picture"))
    return total + len(files[chosen(picture, dpr).lstrip("/")])


def test_a_phone_photo_as_the_hero(actor, project, photo, tmp_path, monkeypatch):
    made: list[str] = []
    real = stored.produce_group
    monkeypatch.setattr(
        stored, "PARALLEL_MIN", 10**9
    )  # encode in this process: every encode is counted
    monkeypatch.setattr(
        stored,
        "produce_group",
        lambda jobs, source: (
            made.extend(
                f"{'drawn-' if stored.drawn_card(j) else ''}{j.kind}:{j.format}:{j.width}"
                for j in jobs
            )
            or real(jobs, source)
        ),
    )
    assets.add_asset(actor, "demo", photo, name="hero.jpg", alt="The pass at dawn")
    pages.add_page(actor, "demo", "home", "Home")
    blocks.add_block(actor, "demo", "home", "hero", {"heading": "Slow Miles", "image": "hero.jpg"})

    building.build_project(actor, "demo", tmp_path / "site")
    files = tree(tmp_path / "site")
    found = renditions(files, "hero")
    assert set(found) == {(w, f) for w in WIDTHS for f in FORMATS}
    assert sorted(m for m in made if m.startswith("rendition")) == sorted(
        f"rendition:{'jpeg' if f == 'jpg' else f}:{w}" for w in WIDTHS for f in FORMATS
    )
    assert max(len(d) for (w, _), d in found.items() if w == 1600) < 400_000
    for (width, ext), data in found.items():
        image = Image.open(io.BytesIO(data))
        assert image.size == (width, width * 3 // 4)
        assert not image.getexif() and b"PhoneMaker" not in data, (width, ext)
    for path, data in files.items():
        if path.endswith((".jpg", ".png", ".webp", ".avif", ".ico")):
            assert b"PhoneMaker" not in data and not Image.open(io.BytesIO(data)).getexif(), path

    weight = page_weight(files, "index.html", dpr=2)
    assert weight < 250_000, weight

    # each encoded image stored once, but drawn share cards, which a build remakes instead
    drawn = [m for m in made if m.startswith("drawn-")]
    assert drawn and len(made) - len(drawn) == ImageRendition.select().count()
    encoded = len(made)
    building.build_project(actor, "demo", tmp_path / "site")
    assert len(made) == encoded  # the same folder: its render cache has everything
    building.build_project(actor, "demo", tmp_path / "elsewhere")
    assert made[encoded:] == drawn  # elsewhere: only the drawn cards again, the same bytes
    assert tree(tmp_path / "elsewhere") == files
