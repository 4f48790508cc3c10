"""Test data for the renderer tests: the fixture folders and a small demo snapshot."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from bgpub.snapshot import (
    AssetSnapshot,
    Block,
    PageSnapshot,
    PostSnapshot,
    ProductSnapshot,
    ProjectSnapshot,
)

FIXTURES = Path(__file__).parent / "fixtures"
PNG = b"\x89PNG\r\n\x1a\nfixture image bytes"
PNG_HASH = hashlib.sha256(PNG).hexdigest()
BLOBS = {PNG_HASH: PNG}


def blobs(digest: str) -> bytes:
    return BLOBS[digest]


def demo_snapshot(**changes) -> ProjectSnapshot:
    """A small site exercising every fixture component, a post, a product and an asset."""
    home = PageSnapshot(
        slug="home",
        title="Home",
        is_home=True,
        blocks=(
            Block("navbar", {"brand": "Demo"}),
            Block(
                "hero",
                {
                    "heading": "Welcome",
                    "subheading": "Line one\nline two",
                    "cta_url": "/about/",
                    "image": "logo.png",
                    "align": "center",
                    "tall": True,
                },
            ),
            Block(
                "features",
                {
                    "heading": "Why",
                    "columns": 2,
                    "items": [
                        {
                            "title": "Fast",
                            "text": "Really *fast*",
                            "link": "https://example.org/fast",
                        },
                        {"title": "Safe", "icon": "logo.png"},
                    ],
                },
            ),
            Block("post-list", {"limit": 5}),
            Block("footer", {"note": "Made with bgpub"}),
        ),
    )
    about = PageSnapshot(
        slug="about",
        title="About us",
        seo_title="About Demo",
        seo_description="Who we are",
        blocks=(
            Block("navbar", {"brand": "Demo"}),
            Block("rich-text", {"body": "# About\n\nWe make *things*.\n\n- one\n- two"}),
            Block("cta", {"text": "Write to us", "url": "mailto:hi@example.org"}),
            Block("footer", {"note": "Made with bgpub"}),
        ),
    )
    shop = PageSnapshot(
        slug="shop",
        title="Shop",
        blocks=(
            Block("product-grid", {}),
            Block("image", {"image": "logo.png", "caption": "Logo"}),
        ),
    )
    hidden = PageSnapshot(
        slug="legal/terms",
        title="Terms",
        show_in_nav=False,
        blocks=(Block("rich-text", {"body": "Plain terms."}),),
    )
    snapshot = ProjectSnapshot(
        name="demo",
        title="Demo Site",
        description="A demo site",
        theme="plain",
        settings={"base_url": "https://demo.example.com", "seo_image": "logo.png"},
        pages=(home, about, shop, hidden),
        assets=(
            AssetSnapshot(
                name="logo.png",
                hash=PNG_HASH,
                mime="image/png",
                size=len(PNG),
                alt="Demo logo",
                width=64,
                height=64,
            ),
        ),
        posts=(
            PostSnapshot(
                slug="hello",
                title="Hello",
                excerpt="First post",
                body="Hello **world**.",
                date="2024-02-01",
                author="Ann",
            ),
            PostSnapshot(slug="older", title="Older", body="Old news.", date="2023-12-31"),
        ),
        products=(ProductSnapshot(slug="mug", name="Mug", price_cents=1250, image="logo.png"),),
    )
    return replace(snapshot, **changes)
