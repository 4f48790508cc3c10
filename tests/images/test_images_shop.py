"""The shop starter with photos: product pages and product grids show them as `<picture>` with
AVIF/WebP sources, `srcset`, `sizes`, `width` and `height`, through the same asset reference as
every other component; no raster image is ever a bare `<img>` of its original file."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from images_support import REPOSITORY, asset, library, parse, phone_jpeg, sha, themes

from bgpub.render.images import MemoryImages
from bgpub.render.incremental import Renderer
from bgpub.render.plan import BuildInfo
from bgpub.services.importing import read_export


@pytest.fixture(scope="module", params=["aurora", "midnight", "terracotta"])
def shop(request) -> dict[str, bytes]:
    """The shop starter rendered in a theme, every product with a photo and a second, smaller one."""
    snapshot, blobs = read_export(REPOSITORY / "sites" / "shop")
    main_data, detail_data = phone_jpeg(1000, 1000), phone_jpeg(600, 450)
    blobs = {**blobs, sha(main_data): main_data, sha(detail_data): detail_data}
    photos, products = [], []
    for n, product in enumerate(snapshot.products):
        alt = f"Photo of {product.name}"
        main = asset(f"photo-{n}.jpg", main_data, "image/jpeg", 1000, 1000, alt=alt)
        detail = asset(f"detail-{n}.jpg", detail_data, "image/jpeg", 600, 450, alt=alt)
        photos += [main, detail]
        products.append(dataclasses.replace(product, image=main.name, gallery=(detail.name,)))
    snapshot = dataclasses.replace(
        snapshot,
        theme=request.param,
        assets=(*snapshot.assets, *photos),
        products=tuple(products),
    )
    renderer = Renderer(library(), themes(), blobs.__getitem__, images=MemoryImages(), workers=1)
    return dict(
        renderer.render(snapshot, BuildInfo(base_url="https://shop.example.org")).files.items()
    )


def _pictures(html: bytes, media_class: str) -> Iterator:
    """The `<picture>` elements inside elements whose class contains `media_class`."""
    for element in parse(html).iter():
        if media_class in (element.get("class") or "").split():
            yield from element.iter("picture")


def _check_picture(picture, files, sizes: str) -> None:
    sources = picture.findall("source")
    img = picture.find("img")
    assert {s.get("type") for s in sources} >= {"image/webp"}
    for source in sources:
        assert source.get("sizes") == sizes and " " in source.get("srcset")
    assert img.get("sizes") == sizes and img.get("width") and img.get("height")
    assert img.get("alt", "").startswith("Photo of ")
    for candidate in [img.get("src")] + [c.split(" ")[0] for c in img.get("srcset").split(", ")]:
        assert candidate.removeprefix("/") in files, candidate


def test_product_pages_show_pictures(shop):
    pages = [p for p in shop if p.startswith("products/") and p.endswith("/index.html")]
    assert pages
    for page in pages:
        main, *rest = _pictures(shop[page], "shop-product__image")
        _check_picture(main, shop, "(min-width: 56rem) 36rem, 100vw")
        assert main.find("img").get("fetchpriority") == "high"
        assert len(rest) == 1
        _check_picture(rest[0], shop, "(min-width: 56rem) 12rem, 33vw")
        assert rest[0].find("img").get("loading") == "lazy"


def test_product_grids_show_pictures(shop):
    grids = [p for p in shop if p.endswith(".html") and b"c-product-grid__media" in shop[p]]
    assert grids
    for page in grids:
        pictures = list(_pictures(shop[page], "c-product-grid__media"))
        assert pictures, page
        for picture in pictures:
            _check_picture(picture, shop, "(min-width: 48rem) 24rem, 100vw")


def test_no_raster_image_is_a_bare_img(shop):
    """Only SVGs (the starter's logo and artwork) are plain `<img>`s; photos are in a `<picture>`."""
    checked = 0
    for page in (p for p in shop if p.endswith(".html")):
        for parent in parse(shop[page]).iter():
            for img in parent.iter("img") if parent.tag != "picture" else ():
                if img in list(parent) and not img.get("src", "").endswith(".svg"):
                    raise AssertionError(f"{page}: a bare <img src={img.get('src')}>")
            checked += parent.tag == "picture"
    assert checked
