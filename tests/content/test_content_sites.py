"""The starter sites: canonical snapshots with their blobs, rendered in both themes as valid, linked, accessible HTML."""

from __future__ import annotations

import hashlib
from functools import cache

import pytest
from content_checks import (
    SITES_DIR,
    THEME_NAMES,
    a11y_problems,
    broken_links,
    html_pages,
    library,
    load_starter,
    render,
)
from starter_build import expected_files, starters

from bgpub.render.components import validate_props

SITES = ("blog", "landing", "shop")


@cache
def _rendered(site: str, theme: str):
    snapshot, blobs = load_starter(site)
    files = render(snapshot, theme, blobs)
    return files, html_pages(files)  # html_pages parses strictly: any HTML5 parse error fails here


def test_starters_on_disk():
    on_disk = sorted(p.name for p in SITES_DIR.iterdir() if (p / "project.json").is_file())
    assert on_disk == list(SITES)


@pytest.mark.parametrize("site", SITES)
def test_snapshot_is_canonical_and_matches_its_source(site):
    """project.json is byte-stable through from_json/to_json, and equals what starter_build writes."""
    raw = (SITES_DIR / site / "project.json").read_bytes()
    snapshot, _ = load_starter(site)
    assert snapshot.to_json() == raw
    wanted = expected_files(starters()[site])
    present = {"project.json"} | {f"blobs/{p.name}" for p in (SITES_DIR / site / "blobs").iterdir()}
    hint = "regenerate with: python tests/content/starter_build.py"
    assert present == set(wanted), hint
    for rel, data in wanted.items():
        assert (SITES_DIR / site / rel).read_bytes() == data, f"{rel}: {hint}"


@pytest.mark.parametrize("site", SITES)
def test_assets_match_their_blobs(site):
    snapshot, blobs = load_starter(site)
    assert snapshot.assets
    for asset in snapshot.assets:
        data = blobs(asset.hash)
        assert hashlib.sha256(data).hexdigest() == asset.hash and len(data) == asset.size
        assert asset.alt and asset.width and asset.height
        if asset.mime == "image/svg+xml":
            assert (
                data.startswith(b"<svg") and asset.name.endswith(".svg") and b"<script" not in data
            )
        else:
            assert (
                asset.mime == "image/png"
                and data.startswith(b"\x89PNG")
                and asset.name.endswith(".png")
            )


@pytest.mark.parametrize("site", SITES)
def test_every_block_validates(site):
    snapshot, _ = load_starter(site)
    names = [a.name for a in snapshot.assets]
    for page in snapshot.pages:
        for position, block in enumerate(page.blocks, start=1):
            validate_props(
                library(),
                block.component,
                block.props,
                f"project {site}, page {page.slug}, block {position}",
                assets=names,
            )


def test_starters_have_what_they_promise():
    landing, _ = load_starter("landing")
    home = landing.page("home") or landing.pages[0]
    used = [b.component for b in home.blocks]
    for key in (
        "navbar",
        "hero",
        "feature-grid",
        "pricing-table",
        "testimonials",
        "faq",
        "cta",
        "footer",
    ):
        assert key in used, key
    assert any(b.component == "contact-form" for p in landing.pages for b in p.blocks)
    blog, _ = load_starter("blog")
    assert len(blog.posts) >= 3 and all(p.body.count("\n") > 5 for p in blog.posts)
    assert {p.slug for p in blog.pages} >= {"home", "about"}
    assert any(b.component == "blog-post-list" for p in blog.pages for b in p.blocks)
    shop, _ = load_starter("shop")
    assert len(shop.products) >= 4 and all(p.image for p in shop.products)
    assert any(b.component == "product-grid" for p in shop.pages for b in p.blocks)
    themes_used = {landing.theme, blog.theme, shop.theme}
    assert themes_used == set(THEME_NAMES)
    for snapshot in (landing, blog, shop):
        text = snapshot.to_json().decode().lower()
        assert "lorem" not in text and "ipsum" not in text


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("site", SITES)
def test_starter_renders_valid_html(site, theme):
    files, trees = _rendered(site, theme)
    snapshot, _ = load_starter(site)
    listings = [
        p
        for p in trees
        if p == "blog/index.html"
        or p.startswith(
            ("blog/category/", "blog/tag/", "blog/author/", "blog/archive/", "collections/")
        )
    ]
    products = [p for p in snapshot.products if p.status == "ACTIVE"]
    # pages, posts, product pages, 404
    assert (
        len(trees) - len(listings) == len(snapshot.pages) + len(snapshot.posts) + len(products) + 1
    )
    assert ("blog/index.html" in listings) == bool(snapshot.posts)
    assert {"index.html", "404.html", "sitemap.xml", "robots.txt"} <= set(files)


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("site", SITES)
def test_starter_has_no_broken_links(site, theme):
    files, trees = _rendered(site, theme)
    assert broken_links(files, trees) == []


@pytest.mark.parametrize("site", SITES)
def test_starter_links_honour_a_base_path(site):
    """Deployed under https://example.com/docs/, every internal link (Markdown ones too) stays inside /docs."""
    snapshot, blobs = load_starter(site)
    files = render(snapshot, snapshot.theme, blobs, base_url="https://example.com/docs/")
    assert broken_links(files, html_pages(files), prefix="/docs") == []


@pytest.mark.parametrize("theme", THEME_NAMES)
@pytest.mark.parametrize("site", SITES)
def test_starter_pages_pass_accessibility_checks(site, theme):
    _, trees = _rendered(site, theme)
    for path, tree in trees.items():
        assert a11y_problems(tree) == [], path


@pytest.mark.parametrize("site", SITES)
def test_starter_renders_identically_twice(site):
    snapshot, blobs = load_starter(site)
    assert render(snapshot, "aurora", blobs) == render(snapshot, "aurora", blobs)


def test_broken_link_checker_catches_missing_targets():
    files, trees = _rendered("landing", "aurora")
    page = files["about/index.html"].replace(b'href="/contact/"', b'href="/contactt/"', 1)
    page = page.replace(b'href="/#pricing"', b'href="/#nowhere"', 1)
    problems = broken_links(
        {**files, "about/index.html": page}, html_pages({**files, "about/index.html": page})
    )
    assert any("/contactt/" in p for p in problems) and any("nowhere" in p for p in problems)


def test_broken_link_checker_catches_links_outside_the_base_path():
    files, trees = _rendered("landing", "aurora")
    problems = broken_links(files, trees, prefix="/docs")
    assert problems and all("outside /docs" in p for p in problems)
