"""Responsive images through the pure renderer: renditions, markup, metadata, colour, cache keys."""

from __future__ import annotations

import dataclasses
import io

import pytest
from images_support import (
    GPS_IFD,
    asset,
    library,
    parse,
    phone_jpeg,
    png,
    renditions,
    site,
    swapped_rgb_profile,
    themes,
)
from PIL import Image

from bgpub.errors import RenderError
from bgpub.render.images import MemoryImages, avif_supported, target_widths
from bgpub.render.incremental import Renderer
from bgpub.render.plan import BuildInfo

FORMATS = ("avif", "webp") if avif_supported() else ("webp",)


def render(snapshot, blobs, provider=None, base_url="https://miles.example.org"):
    renderer = Renderer(library(), themes(), blobs.__getitem__, images=provider or MemoryImages())
    return renderer, renderer.render(snapshot, BuildInfo(base_url=base_url)).files


@pytest.fixture(scope="module")
def photo() -> bytes:
    """A 1200x900 phone photo held sideways (EXIF orientation 6: readers see it 900x1200)."""
    return phone_jpeg(1200, 900, orientation=6)


@pytest.fixture(scope="module")
def small() -> bytes:
    return png(64, 48)


@pytest.fixture(scope="module")
def built(photo):
    pic = asset("trail.jpg", photo, "image/jpeg", 900, 1200)
    snapshot = site((pic,), hero="trail.jpg")
    provider = MemoryImages()
    renderer, files = render(snapshot, {pic.hash: photo}, provider)
    return snapshot, renderer, provider, dict(files.items())


@pytest.mark.parametrize(
    ("width", "expected"),
    [
        (4000, [480, 960, 1600, 2400]),
        (2400, [480, 960, 1600, 2400]),
        (1000, [480, 960, 1000]),
        (480, [480]),
        (100, [100]),
    ],
)
def test_widths_never_upscale(width, expected):
    assert target_widths(width, (480, 960, 1600, 2400)) == expected


def test_every_width_in_every_format_upright_and_without_metadata(built):
    _, _, _, files = built
    found = renditions(files, "trail")
    assert set(found) == {(w, ext) for w in (480, 900) for ext in (*FORMATS, "jpg")}
    for (width, ext), data in found.items():
        image = Image.open(io.BytesIO(data))
        assert image.size == (width, round(1200 * width / 900)), (width, ext)  # turned upright
        assert not image.getexif(), (width, ext)
        assert GPS_IFD not in image.getexif().get_ifd(GPS_IFD) and "exif" not in image.info
        assert "icc_profile" not in image.info and "xmp" not in image.info
        assert b"PhoneMaker" not in data and b"GPS" not in data
    original = next(p for p in files if p.startswith("assets/trail.") and p.endswith(".jpg"))
    assert (
        b"PhoneMaker" not in files[original]
        and not Image.open(io.BytesIO(files[original])).getexif()
    )


def test_picture_markup_has_sources_srcset_sizes_and_dimensions(built):
    _, _, _, files = built
    tree = parse(files["index.html"])
    pictures = list(tree.iter("picture"))
    assert len(pictures) == 1
    sources = pictures[0].findall("source")
    assert [s.get("type") for s in sources] == [f"image/{f}" for f in FORMATS]
    for source in sources:
        candidates = [c.strip().split(" ") for c in source.get("srcset").split(",")]
        assert [int(w[:-1]) for _, w in candidates] == [480, 900]
        assert all(url.lstrip("/") in files for url, _ in candidates) and source.get("sizes")
    img = pictures[0].find("img")
    assert (img.get("width"), img.get("height")) == ("900", "1200")
    assert (
        img.get("fetchpriority") == "high" and img.get("loading") is None
    )  # the hero leads the page
    assert img.get("src").lstrip("/") in files and img.get("srcset") and img.get("sizes")
    about = parse(files["about/index.html"])
    gallery = [i for i in about.iter("img") if "c-gallery__img" in (i.get("class") or "")]
    assert gallery and all(
        i.get("loading") == "lazy" and i.get("decoding") == "async" for i in gallery
    )
    assert all(i.get("width") and i.get("height") for i in about.iter("img"))


def test_alt_text_and_hostile_names_are_escaped(small):
    pic = asset("x.png", small, "image/png", 64, 48, alt='"><script>alert(1)</script>')
    _, files = render(site((pic,), hero="x.png"), {pic.hash: small})
    html = files["index.html"]
    assert b"<script>alert" not in html and b"&#34;&gt;&lt;script&gt;" in html
    img = next(parse(html).iter("picture")).find("img")
    assert img.get("alt") == '"><script>alert(1)</script>'


@pytest.mark.parametrize(
    "bad", [[], [0], ["480"], [True], list(range(100, 1000, 100)), "480", [10_000]]
)
def test_bad_image_widths_are_refused_naming_the_setting(small, bad):
    pic = asset("x.png", small, "image/png", 64, 48)
    with pytest.raises(RenderError) as caught:
        render(site((pic,), hero="x.png", settings={"image_widths": bad}), {pic.hash: small})
    assert "image_widths" in caught.value.where


def test_image_widths_setting_is_used(small):
    pic = asset("x.png", small, "image/png", 64, 48)
    _, files = render(
        site((pic,), hero="x.png", settings={"image_widths": [16, 32]}), {pic.hash: small}
    )
    assert {w for w, _ in renditions(files, "x")} == {16, 32}


def test_colour_profile_converted_to_srgb():
    """Pixels tagged with another RGB profile come out as their sRGB equivalent, untagged."""
    icc = swapped_rgb_profile()
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 40, 40)).save(out, "PNG", icc_profile=icc)
    data = out.getvalue()
    pic = asset("red.png", data, "image/png", 64, 48)
    _, files = render(site((pic,), hero="red.png"), {pic.hash: data})
    for data in renditions(files, "red").values():
        image = Image.open(io.BytesIO(data)).convert("RGB")
        assert "icc_profile" not in Image.open(io.BytesIO(data)).info
        red, green, blue = image.getpixel((10, 10))
        assert (
            green > 150 and red < 80 and blue < 80
        )  # red under the swapped profile is green in sRGB


def test_png_keeps_transparency_and_loses_text_chunks():
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPS 52.5N taken at home")
    source = Image.new("RGBA", (60, 40), (0, 128, 0, 100))
    out = io.BytesIO()
    source.save(out, "PNG", pnginfo=info)
    data = out.getvalue()
    pic = asset("leaf.png", data, "image/png", 60, 40)
    _, files = render(
        site((pic,), hero="leaf.png", settings={"image_widths": [30, 120]}), {pic.hash: data}
    )
    found = renditions(files, "leaf")
    assert set(found) == {(30, e) for e in (*FORMATS, "png")} | {(60, e) for e in (*FORMATS, "png")}
    for data in found.values():
        image = Image.open(io.BytesIO(data))
        assert image.mode == "RGBA" and image.getpixel((5, 5))[3] == 100
        assert b"GPS 52.5N" not in data


def test_svg_and_gif_are_served_as_they_are():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>'
    gif = io.BytesIO()
    Image.new("P", (20, 10)).save(gif, "GIF")
    a = asset("logo.svg", svg, "image/svg+xml", 10, 10)
    b = asset("anim.gif", gif.getvalue(), "image/gif", 20, 10)
    _, files = render(site((a, b), hero="logo.svg"), {a.hash: svg, b.hash: gif.getvalue()})
    assert not renditions(files, "logo") and not renditions(files, "anim")
    img = next(
        i for i in parse(files["index.html"]).iter("img") if "c-hero__image" in i.get("class")
    )
    assert img.get("src").endswith(".svg") and img.get("width") == "10"


def test_a_second_render_requests_no_image_and_focus_changes_only_crops(built, photo):
    snapshot, renderer, provider, _ = built
    before = provider.encoded
    again = renderer.render(snapshot, BuildInfo(base_url="https://miles.example.org"))
    assert (
        again.stats["images_requested"] == 0 and provider.encoded == before and not again.rendered
    )
    moved = dataclasses.replace(
        snapshot, assets=(dataclasses.replace(snapshot.assets[0], focus_x=0.2, focus_y=0.8),)
    )
    result = renderer.render(moved, BuildInfo(base_url="https://miles.example.org"))
    assert not [p for p in result.rendered if renditions({p: b""}, "trail")]  # no rendition re-made
    assert "index.html" in result.rendered
    assert b"object-position: 20% 80%" in result.files["index.html"]


@pytest.mark.parametrize("value", [-1, 2, "left", True, float("nan")])
def test_a_hand_edited_focus_falls_back_to_the_middle(small, value):
    pic = asset("x.png", small, "image/png", 64, 48, focus_x=value, focus_y=0.5)
    _, files = render(site((pic,), hero="x.png"), {pic.hash: small})
    assert b"object-position" not in files["index.html"]


def test_small_images_keep_their_own_size():
    data = png(300, 200)
    pic = asset("tiny.png", data, "image/png", 300, 200)
    _, files = render(site((pic,), hero="tiny.png"), {pic.hash: data})
    assert {w for w, _ in renditions(files, "tiny")} == {300}
