"""No metadata reaches the published site, whatever the source format and whatever the output format:
EXIF (camera, GPS position), XMP, ICC profiles carried as metadata, comments and text chunks, and in
GIFs every application extension but the loop count. GIFs keep their frames, timing and loop."""

from __future__ import annotations

import io

import pytest
from images_support import (
    asset,
    library,
    parse,
    phone_jpeg,
    png,
    site,
    swapped_rgb_profile,
    themes,
)
from PIL import Image, ImageSequence

from bgpub.render.gifs import strip_gif
from bgpub.render.images import MemoryImages, avif_supported
from bgpub.render.incremental import Renderer
from bgpub.render.plan import BuildInfo
from bgpub.snapshot import PostSnapshot

SECRETS = (b"PhoneMaker", b"bgpub-xmp-secret", b"bgpub-comment-secret", b"bgpub test profile")
XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b"<rdf:RDF><exif:GPSLatitude>52,31.2N bgpub-xmp-secret</exif:GPSLatitude></rdf:RDF>"
    b'</x:xmpmeta><?xpacket end="w"?>'
)
METADATA_KEYS = {"exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "Comment"}


def _sub_blocks(data: bytes) -> bytes:
    return (
        b"".join(
            bytes([len(data[i : i + 255])]) + data[i : i + 255] for i in range(0, len(data), 255)
        )
        + b"\0"
    )


def _application(identifier: bytes, payload: bytes) -> bytes:
    return b"\x21\xff\x0b" + identifier + _sub_blocks(payload)


def animated_gif_with_metadata() -> bytes:
    """Three frames looping forever, with a comment, an XMP packet, an ICC profile and another
    application's data before the first frame and after the last one."""
    frames = [Image.new("P", (40, 30), i * 3 + 1) for i in range(3)]
    palette = [v for i in range(256) for v in ((i * 40) % 256, (i * 90) % 256, (i * 10) % 256)]
    for n, frame in enumerate(frames):
        frame.putpalette(palette)
        frame.paste(n * 3 + 2, (n * 10, 5, n * 10 + 8, 20))
    out = io.BytesIO()
    frames[0].save(
        out,
        "GIF",
        save_all=True,
        append_images=frames[1:],
        duration=[120, 80, 200],
        loop=0,
        comment=b"bgpub-comment-secret",
    )
    data = out.getvalue()
    extra = (
        _application(b"XMP DataXMP", XMP)
        + _application(b"ICCRGBG1012", swapped_rgb_profile())
        + _application(b"OTHERAPP1.0", b"bgpub-comment-secret in an application block")
        + b"\x21\xfe"
        + _sub_blocks(b"bgpub-comment-secret again")
    )
    first = data.index(b"\x21\xf9")  # before the first frame's graphic control
    return data[:first] + extra + data[first:-1] + extra + b"\x3b"


def _frames(data: bytes) -> list[tuple[bytes, int]]:
    image = Image.open(io.BytesIO(data))
    return [
        (f.convert("RGBA").tobytes(), f.info.get("duration")) for f in ImageSequence.Iterator(image)
    ]


def test_a_gif_loses_its_metadata_and_keeps_its_animation():
    source = animated_gif_with_metadata()
    for secret in (b"bgpub-xmp-secret", b"bgpub-comment-secret", b"ICCRGBG1", b"OTHERAPP"):
        assert secret in source
    clean = strip_gif(source)
    for secret in (
        b"bgpub-xmp-secret",
        b"bgpub-comment-secret",
        b"ICCRGBG1",
        b"OTHERAPP",
        b"XMP",
    ):
        assert secret not in clean
    image = Image.open(io.BytesIO(clean))
    assert image.info.get("loop") == 0 and not set(image.info) & METADATA_KEYS
    assert image.info["extension"][0] == b"NETSCAPE2.0"
    assert _frames(clean) == _frames(source)  # every frame, pixel and delay
    assert strip_gif(clean) == clean


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: d[:-40],  # cut inside the image data
        lambda d: d[:13] + b"\x21\xfe\xff" + b"bgpub-comment-secret",  # a sub-block past the end
        lambda d: d[:13] + b"\x99" + d[13:],  # an unknown block
        lambda d: d[:13] + b"\x3b",  # no frame at all
    ],
)
def test_a_damaged_gif_becomes_a_plain_picture_without_metadata(damage):
    clean = strip_gif(damage(animated_gif_with_metadata()))
    assert not any(secret in clean for secret in SECRETS)
    assert Image.open(io.BytesIO(clean)).format == "GIF"


def _render(assets, blobs, **kwargs):
    renderer = Renderer(library(), themes(), blobs.__getitem__, images=MemoryImages())
    return dict(
        renderer.render(
            site(assets, **kwargs), BuildInfo(base_url="https://m.example.org")
        ).files.items()
    )


def _assert_clean(files):
    """No output file carries a secret, and no image output has a metadata block Pillow can read."""
    checked = 0
    for path, data in files.items():
        for secret in SECRETS:
            assert secret not in data, (path, secret)
        if path.endswith((".jpg", ".png", ".webp", ".avif", ".gif", ".ico")):
            image = Image.open(io.BytesIO(data))
            assert not set(image.info) & METADATA_KEYS, (path, sorted(image.info))
            assert not image.getexif(), path
            assert image.info.get("extension", (b"NETSCAPE2.0",))[0] == b"NETSCAPE2.0", path
            checked += 1
    return checked


def test_a_gif_hero_and_a_gif_cover_are_published_clean():
    data = animated_gif_with_metadata()
    gif = asset("dance.gif", data, "image/gif", 40, 30)
    posts = (
        PostSnapshot(slug="p", title="Dancing", date="2026-01-02", body="Hi", cover="dance.gif"),
    )
    files = _render((gif,), {gif.hash: data}, hero="dance.gif", posts=posts)
    assert _assert_clean(files)
    gifs = [p for p in files if p.endswith(".gif")]
    assert len(gifs) == 1 and _frames(files[gifs[0]]) == _frames(data)
    hero = next(
        i for i in parse(files["index.html"]).iter("img") if "c-hero__image" in i.get("class")
    )
    assert hero.get("src").endswith(gifs[0]) and (hero.get("width"), hero.get("height")) == (
        "40",
        "30",
    )
    card_url = next(
        m.get("content")
        for m in parse(files["blog/p/index.html"]).iter("meta")
        if m.get("property") == "og:image"
    )
    card = Image.open(io.BytesIO(files[card_url.removeprefix("https://m.example.org/")]))
    assert card.format == "PNG" and card.size == (1200, 630)


def _with_metadata(fmt: str) -> tuple[bytes, str, str]:
    """(bytes, mime, extension) of a picture in `fmt` carrying EXIF with GPS, XMP, an ICC profile and
    a comment, as far as the format holds them."""
    if fmt == "gif":
        return animated_gif_with_metadata(), "image/gif", "gif"
    photo = Image.open(io.BytesIO(phone_jpeg(320, 240)))
    exif = photo.getexif()
    icc = swapped_rgb_profile()
    out = io.BytesIO()
    if fmt == "jpeg":
        photo.save(
            out, "JPEG", exif=exif, icc_profile=icc, xmp=XMP, comment=b"bgpub-comment-secret"
        )
    elif fmt == "png":
        from PIL import PngImagePlugin

        text = PngImagePlugin.PngInfo()
        text.add_itxt("XML:com.adobe.xmp", XMP.decode())
        text.add_text("Comment", "bgpub-comment-secret")
        photo.save(out, "PNG", exif=exif, icc_profile=icc, pnginfo=text)
    elif fmt == "webp":
        photo.save(out, "WEBP", exif=exif, icc_profile=icc, xmp=XMP)
    else:
        photo.save(out, "AVIF", exif=exif, icc_profile=icc, xmp=XMP)
    data = out.getvalue()
    mime = {"jpeg": "image/jpeg", "png": "image/png", "webp": "image/webp", "avif": "image/avif"}[
        fmt
    ]
    return data, mime, {"jpeg": "jpg"}.get(fmt, fmt)


SOURCES = ["jpeg", "png", "webp", "gif"] + (["avif"] if avif_supported() else [])


@pytest.mark.parametrize("fmt", SOURCES)
def test_no_metadata_survives_in_any_output_format(fmt):
    """Each source format with every kind of metadata it can carry: every rendition (each width, each
    output format), the cleaned file at the asset's URL and the share card cropped from it."""
    data, mime, ext = _with_metadata(fmt)
    assert sum(secret in data for secret in SECRETS) >= 2  # the source really carries them
    width, height = Image.open(io.BytesIO(data)).size
    pic = asset(f"pic.{ext}", data, mime, width, height)
    posts = (PostSnapshot(slug="p", title="Walk", date="2026-01-02", body="Hi", cover=pic.name),)
    files = _render(
        (pic, asset("plain.png", png(8, 8), "image/png", 8, 8)),
        {pic.hash: data, asset("x", png(8, 8), "image/png", 8, 8).hash: png(8, 8)},
        hero=pic.name,
        posts=posts,
    )
    outputs = {p.rsplit(".", 1)[-1] for p in files if p.startswith("assets/") and "pic" in p}
    expected = (
        {"gif"} if fmt == "gif" else {"webp", ext} | ({"avif"} if avif_supported() else set())
    )
    assert outputs == expected
    assert _assert_clean(files) >= len(expected) + 1
