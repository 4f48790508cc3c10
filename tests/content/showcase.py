"""A snapshot with one page per library component (defaults plus the few props that have none)."""

from __future__ import annotations

import hashlib
from typing import Any

import starter_art as art

from bgpub.snapshot import ProjectSnapshot

PICTURE = art.landscape(
    ("#7dd3fc", "#e0f2fe", "#fefce8", "#5b8a72", "#3f6b56", "#24473a"),
    3,
    "Hills",
    width=800,
    height=450,
)
LOGO = art.wordmark("Acme", "ring")
PICTURE_HASH = hashlib.sha256(PICTURE).hexdigest()
LOGO_HASH = hashlib.sha256(LOGO).hexdigest()
BLOBS = {PICTURE_HASH: PICTURE, LOGO_HASH: LOGO}

# Props a component needs beyond its defaults (required assets have no default).
EXAMPLES: dict[str, dict[str, Any]] = {
    "image": {"image": "hills.svg", "caption": "Green hills"},
    "gallery": {
        "heading": "Pictures",
        "images": [{"image": "hills.svg"}, {"image": "hills.svg", "caption": "Again"}],
    },
    "logo-cloud": {
        "logos": [{"image": "acme.svg", "name": "Acme", "url": "https://acme.example.com/"}]
    },
}


def example_props(key: str) -> dict[str, Any]:
    return dict(EXAMPLES.get(key, {}))


def showcase(
    keys: list[str],
    *,
    with_data: bool = True,
    props: dict[str, dict[str, Any]] | None = None,
    chrome: bool = True,
) -> ProjectSnapshot:
    """Home page with a hero, then one page per component key: `page-<key>` with a page header and the block.

    `chrome` adds a navbar and a footer to every page (off for compact golden files)."""
    pages = [
        {
            "slug": "home",
            "title": "Home",
            "is_home": True,
            "blocks": [
                {"component": "navbar", "props": {}},
                {"component": "hero", "props": {}},
                {"component": "footer", "props": {}},
            ],
        }
    ]
    for key in keys:
        block_props = (props or {}).get(key, example_props(key))
        blocks = [{"component": "navbar", "props": {}}] if chrome else []
        if key not in ("hero", "page-header"):
            blocks.append(
                {"component": "page-header", "props": {"heading": f"The {key} component"}}
            )
        blocks.append({"component": key, "props": block_props})
        if chrome:
            blocks.append({"component": "footer", "props": {}})
        pages.append({"slug": f"page-{key}", "title": key, "blocks": blocks})
    data: dict[str, Any] = {
        "name": "showcase",
        "title": "Showcase",
        "pages": pages,
        "assets": [
            {
                "name": "acme.svg",
                "hash": LOGO_HASH,
                "mime": "image/svg+xml",
                "size": len(LOGO),
                "alt": "Acme",
                "width": 84,
                "height": 40,
            },
            {
                "name": "hills.svg",
                "hash": PICTURE_HASH,
                "mime": "image/svg+xml",
                "size": len(PICTURE),
                "alt": "Green hills under a blue sky",
                "width": 800,
                "height": 450,
            },
        ],
    }
    if with_data:
        data["posts"] = [
            {
                "slug": "first",
                "title": "First post",
                "excerpt": "It begins.",
                "body": "## Hi\n\nText.",
                "date": "2026-01-02",
                "author": "Ann",
                "cover": "hills.svg",
                "tags": ["a"],
            },
            {"slug": "second", "title": "Second post", "body": "More.", "date": "2026-02-03"},
        ]
        data["products"] = [
            {
                "slug": "cup",
                "name": "Cup",
                "price_cents": 1250,
                "description": "A cup.",
                "image": "hills.svg",
            },
            {"slug": "pot", "name": "Pot", "price_cents": 9900, "currency": "USD"},
        ]
    return ProjectSnapshot.from_dict(data)
