"""Favicon set, web manifest and share cards: valid files, linked from every page, theme colours."""

from __future__ import annotations

import io
import json

import pytest
from images_support import asset, library, meta, parse, png, site, themes
from PIL import Image

from bgpub.errors import RenderError
from bgpub.render.images import MemoryImages
from bgpub.render.incremental import Renderer
from bgpub.render.plan import BuildInfo
from bgpub.render.social_cards import crop_box
from bgpub.snapshot import PostSnapshot

SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10" width="10" height="10">'
    b'<rect width="10" height="10" fill="#ff0000"/></svg>'
)


def render(snapshot, blobs, base_url="https://miles.example.org"):
    renderer = Renderer(library(), themes(), blobs.__getitem__, images=MemoryImages())
    return dict(renderer.render(snapshot, BuildInfo(base_url=base_url)).files.items())


def html_pages(files):
    return [p for p in files if p.endswith(".html")]


def check_icons(files, primary=None):
    ico = Image.open(io.BytesIO(files["favicon.ico"]))
    assert ico.format == "ICO" and set(ico.info["sizes"]) == {(16, 16), (32, 32), (48, 48)}
    for path, size in (("icon-192.png", 192), ("icon-512.png", 512), ("apple-touch-icon.png", 180)):
        image = Image.open(io.BytesIO(files[path]))
        assert image.format == "PNG" and image.size == (size, size), path
    assert Image.open(io.BytesIO(files["apple-touch-icon.png"])).mode == "RGB"  # opaque for iOS
    manifest = json.loads(files["site.webmanifest"])
    assert manifest["name"] == "Slow Miles" and manifest["start_url"] == "/"
    assert {i["sizes"] for i in manifest["icons"]} == {"192x192", "512x512"}
    assert all(i["src"].lstrip("/") in files for i in manifest["icons"])
    if primary:
        assert manifest["theme_color"] == primary
    for page in html_pages(files):
        tree = parse(files[page])
        links = {(link.get("rel"), link.get("href")) for link in tree.iter("link")}
        assert ("icon", "/favicon.ico") in links and ("manifest", "/site.webmanifest") in links, (
            page
        )
        assert ("apple-touch-icon", "/apple-touch-icon.png") in links, page
        assert b'href="data:,"' not in files[page], page


@pytest.mark.parametrize(
    ("theme", "primary"),
    [("aurora", "#4338ca"), ("midnight", "#5eead4"), ("terracotta", "#9a3412")],
)
def test_without_an_icon_a_monogram_in_the_theme_colour(theme, primary):
    files = render(site((), theme=theme), {})
    check_icons(files, primary)
    big = Image.open(io.BytesIO(files["icon-512.png"])).convert("RGB")
    assert big.getpixel((256, 40)) == Image.new("RGB", (1, 1), primary).getpixel((0, 0))
    assert "icon.svg" not in files


def test_a_square_png_icon_is_scaled():
    data = png(600, 600, "#00aa00")
    files = render(
        site((asset("logo.png", data, "image/png", 600, 600),), settings={"icon": "logo.png"}),
        {asset("logo.png", data, "image/png", 600, 600).hash: data},
    )
    check_icons(files)
    assert Image.open(io.BytesIO(files["icon-192.png"])).convert("RGB").getpixel((96, 96)) == (
        0,
        170,
        0,
    )


def test_an_svg_icon_is_copied_and_rasterised():
    logo = asset("logo.svg", SVG, "image/svg+xml", 10, 10)
    files = render(site((logo,), settings={"icon": "logo.svg"}), {logo.hash: SVG})
    check_icons(files)
    assert files["icon.svg"] == SVG
    assert Image.open(io.BytesIO(files["icon-512.png"])).convert("RGB").getpixel((256, 256)) == (
        255,
        0,
        0,
    )
    links = {
        (link.get("rel"), link.get("type"), link.get("href"))
        for link in parse(files["index.html"]).iter("link")
    }
    assert ("icon", "image/svg+xml", "/icon.svg") in links


@pytest.mark.parametrize(
    ("name", "data", "mime", "size"),
    [
        ("small.png", png(256, 256), "image/png", (256, 256)),
        ("wide.png", png(800, 600), "image/png", (800, 600)),
        ("photo.jpg", b"\xff\xd8\xff fake", "image/jpeg", (600, 600)),
    ],
)
def test_unsuitable_icons_are_refused_naming_the_setting(name, data, mime, size):
    bad = asset(name, data, mime, *size)
    with pytest.raises(RenderError) as caught:
        render(site((bad,), settings={"icon": name}), {bad.hash: data})
    assert "settings, icon" in caught.value.where and name in caught.value.message


def test_an_icon_setting_naming_no_asset_is_refused():
    with pytest.raises(RenderError) as caught:
        render(site((), settings={"icon": "nope.png"}), {})
    assert "does not exist" in caught.value.message


def test_every_page_and_post_has_its_own_png_share_card():
    cover_data = png(1600, 900, "#aa3300")
    cover = asset("cover.png", cover_data, "image/png", 1600, 900, focus_x=0.9, focus_y=0.5)
    posts = (
        PostSnapshot(
            slug="first", title="First trip", date="2026-01-02", body="Hello", cover="cover.png"
        ),
        PostSnapshot(slug="second", title="Second trip", date="2026-01-03", body="Again"),
    )
    files = render(site((cover,), posts=posts), {cover.hash: cover_data})
    cards = {}
    for page in html_pages(files):
        tree = parse(files[page])
        url = meta(tree, "og:image")
        assert url and url.startswith("https://miles.example.org/assets/social/"), page
        assert meta(tree, "twitter:card") == "summary_large_image", page
        data = files[url.removeprefix("https://miles.example.org/")]
        image = Image.open(io.BytesIO(data))
        assert image.format == "PNG" and image.size == (1200, 630), page
        cards[page] = url
    assert (
        len(
            {
                cards["index.html"],
                cards["about/index.html"],
                cards["blog/first/index.html"],
                cards["blog/second/index.html"],
            }
        )
        == 4
    )
    first = Image.open(
        io.BytesIO(files[cards["blog/first/index.html"].removeprefix("https://miles.example.org/")])
    )
    assert first.convert("RGB").getpixel((600, 315)) == (170, 51, 0)  # the cover, cropped


def test_share_cards_are_relative_without_a_base_url():
    files = render(site(()), {}, base_url="")
    url = meta(parse(files["index.html"]), "og:image")
    assert url.startswith("/assets/social/") and url.lstrip("/") in files


@pytest.mark.parametrize(
    ("size", "focus", "box"),
    [
        ((2400, 630), (0.5, 0.5), (600, 0, 1800, 630)),
        ((2400, 630), (0.0, 0.5), (0, 0, 1200, 630)),
        ((2400, 630), (1.0, 0.5), (1200, 0, 2400, 630)),
        ((1200, 1260), (0.5, 0.0), (0, 0, 1200, 630)),
        ((1200, 1260), (0.5, 0.9), (0, 630, 1200, 1260)),
        ((1200, 630), (0.3, 0.3), (0, 0, 1200, 630)),
    ],
)
def test_crop_keeps_the_focal_point_in_view(size, focus, box):
    assert crop_box(*size, focus) == box


def test_the_sites_seo_image_is_every_pages_card_cropped():
    data = png(2000, 800, "#0055aa")
    image = asset("brand.png", data, "image/png", 2000, 800)
    files = render(site((image,), settings={"seo_image": "brand.png"}), {image.hash: data})
    urls = {meta(parse(files[p]), "og:image") for p in html_pages(files)}
    assert len(urls) == 1
    card = Image.open(io.BytesIO(files[urls.pop().removeprefix("https://miles.example.org/")]))
    assert card.size == (1200, 630) and card.convert("RGB").getpixel((5, 5)) == (0, 85, 170)


@pytest.mark.parametrize(
    "title",
    ["\u2028</SCRIPT >\u2029", "a\x00b\u202etxt.exe", "עברית ومرحبا", "😀" * 50, "W" * 400, ""],
)
def test_hostile_titles_still_draw_a_card(title):
    posts = (PostSnapshot(slug="p", title=title or "x", date="2026-01-02", body="Hi"),)
    files = render(site((), posts=posts), {})
    url = meta(parse(files["blog/p/index.html"]), "og:image")
    card = Image.open(io.BytesIO(files[url.removeprefix("https://miles.example.org/")]))
    assert card.size == (1200, 630)
