"""Layout measured in Chromium: header and footer line up with the content column, and card grids of 3 to
6 items leave no lone card on their last row, in every theme at common widths."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest
from output_support import THEME_NAMES, Build, Origins, in_turn, render
from showcase import BLOBS

from bgpub.snapshot import ProjectSnapshot

WIDTHS = (1366, 1024, 768, 600, 390)
ALIGN_WIDTHS = (1366, 1024, 390)
GRIDS = (
    ".c-feature-grid__list, .c-gallery__grid, .c-pricing__tiers, .c-stats__list, "
    ".c-post-list--cards .c-post-list__items, .c-product-grid__list, .c-team__list, "
    ".c-testimonials__list, .c-columns__grid"
)
PAGES = ("/features/", "/gallery/", "/products/", "/pricing/", "/stats/", "/posts/", "/people/")
ROWS = """sel => [...document.querySelectorAll(sel)].map(grid => {
  const boxes = [...grid.children].map(c => c.getBoundingClientRect()).filter(r => r.width > 0);
  const rows = new Map();
  for (const box of boxes) { const top = Math.round(box.top); rows.set(top, [...(rows.get(top) || []), box]); }
  const tops = [...rows.keys()].sort((a, b) => a - b);
  const last = rows.get(tops[tops.length - 1]);
  return {where: grid.closest('[id]').id + ' ' + grid.className, items: boxes.length, rows: tops.length,
          columns: rows.get(tops[0]).length, last: last.length,
          share: last[0].width / grid.getBoundingClientRect().width};
})"""
# the content box's left edge: where text starts inside the header, the footer and main's sections that
# are as wide as the theme's --max-width (the content column; narrow reading columns are not it)
LEFTS = """() => {
  const content = el => { const r = el.getBoundingClientRect(), s = getComputedStyle(el);
                          return r.left + parseFloat(s.paddingLeft) + parseFloat(s.borderLeftWidth); };
  const rootStyle = getComputedStyle(document.documentElement);
  const token = rootStyle.getPropertyValue('--max-width').trim();
  const column = token.endsWith('rem') ? parseFloat(token) * parseFloat(rootStyle.fontSize) : parseFloat(token);
  const header = document.querySelector('.c-navbar__inner, .site-header__fallback');
  const footer = document.querySelector('.c-footer, .site-footer__fallback');
  const columns = [...document.querySelectorAll('main *')]
    .filter(el => Math.abs(parseFloat(getComputedStyle(el).maxWidth) - column) < 1).map(content);
  return {header: header && content(header), footer: footer && content(footer),
          column: columns.length ? Math.min(...columns) : null};
}"""


def _grid_site() -> ProjectSnapshot:
    """One page per card grid with 3, 4, 5 and 6 items (each column setting), and enough posts and products."""
    items = range(3, 7)
    pages: list[dict[str, Any]] = [
        {
            "slug": "home",
            "title": "Home",
            "is_home": True,
            "blocks": [{"component": "hero", "props": {}}],
        }
    ]

    def page(slug: str, blocks: list[tuple[str, dict[str, Any]]]) -> None:
        pages.append(
            {
                "slug": slug,
                "title": slug,
                "blocks": [{"component": k, "props": p} for k, p in blocks],
            }
        )

    page(
        "features",
        [
            (
                "feature-grid",
                {
                    "heading": f"{n} in {c}",
                    "columns": c,
                    "features": [
                        {"title": f"Feature {i}", "text": "Does a thing well."} for i in range(n)
                    ],
                },
            )
            for c in (2, 3, 4)
            for n in items
        ],
    )
    page(
        "gallery",
        [
            (
                "gallery",
                {
                    "heading": f"{n} in {c}",
                    "columns": c,
                    "images": [{"image": "hills.svg"} for _ in range(n)],
                },
            )
            for c in (2, 3, 4)
            for n in items
        ],
    )
    page(
        "products",
        [
            ("product-grid", {"heading": f"{n} in {c}", "columns": c, "limit": n})
            for c in (2, 3, 4)
            for n in items
        ],
    )
    page(
        "pricing",
        [
            (
                "pricing-table",
                {
                    "heading": f"{n} tiers",
                    "tiers": [
                        {"name": f"Tier {i}", "price": f"€{i}9", "features": "One\nTwo"}
                        for i in range(n)
                    ],
                },
            )
            for n in (3, 4)
        ],
    )
    page(
        "stats",
        [
            (
                "stats",
                {
                    "heading": f"{n} figures",
                    "stats": [{"value": f"{i}2k", "label": "Readers"} for i in range(n)],
                },
            )
            for n in items
        ],
    )
    page(
        "people",
        [
            (
                "team",
                {
                    "heading": f"{n} people",
                    "members": [
                        {"name": f"Person {i}", "role": "Maker", "bio": "Makes."} for i in range(n)
                    ],
                },
            )
            for n in items
        ]
        + [
            (
                "testimonials",
                {
                    "heading": f"{n} quotes",
                    "testimonials": [
                        {
                            "quote": "It works, and it looks good on a phone.",
                            "name": f"Reader {i}",
                            "rating": 5,
                        }
                        for i in range(n)
                    ],
                },
            )
            for n in items
        ]
        + [
            (
                "columns",
                {
                    "heading": f"{n} columns",
                    "columns": [{"heading": f"Column {i}", "body": "Some text."} for i in range(n)],
                },
            )
            for n in (2, 3, 4)
        ],
    )
    page(
        "posts",
        [
            ("blog-post-list", {"heading": f"{n} posts", "layout": "cards", "limit": n})
            for n in items
        ],
    )
    data = {
        "name": "grids",
        "title": "Grids",
        "pages": pages,
        "assets": [
            {
                "name": "hills.svg",
                "hash": next(iter(BLOBS)),
                "mime": "image/svg+xml",
                "size": len(next(iter(BLOBS.values()))),
                "alt": "Hills",
                "width": 800,
                "height": 450,
            }
        ],
        "posts": [
            {
                "slug": f"post-{i}",
                "title": f"Post {i}",
                "excerpt": "A short walk.",
                "body": "Text.",
                "date": f"2026-01-0{i + 1}",
            }
            for i in range(6)
        ],
        "products": [
            {
                "slug": f"thing-{i}",
                "name": f"Thing {i}",
                "price_cents": 1000 + i,
                "description": "Made by hand.",
            }
            for i in range(6)
        ],
    }
    return ProjectSnapshot.from_dict(data)


@pytest.fixture(scope="module")
def grid_builds() -> list[Build]:
    snapshot = _grid_site()
    return [
        Build("grids", theme, render(dataclasses.replace(snapshot), theme, BLOBS.__getitem__), None)
        for theme in THEME_NAMES
    ]


def _at_each_width(page, widths: tuple[int, ...]):
    """Yields each width after resizing the loaded page to it. CSS lays a page out again on a resize
    (media queries included) exactly as it would at that width from the start, and the themes run no
    script that reads the width at load, so one load serves every width: a load is most of the cost
    (navigation, routed requests, fonts), a relayout is a few milliseconds."""
    for width in widths:
        page.set_viewport_size({"width": width, "height": 900})
        yield width


def test_no_grid_leaves_a_lone_card_on_its_last_row(browser, grid_builds):
    origins = Origins(grid_builds)
    orphans, measured = [], 0
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    context.route("**/*", origins)
    tabs = [context.new_page(), context.new_page()]
    visits = [(build, url) for build in grid_builds for url in PAGES]
    for (build, url), page in in_turn(tabs, visits, lambda visit: visit[0].origin + visit[1]):
        for width in _at_each_width(page, WIDTHS):
            for grid in page.evaluate(ROWS, GRIDS):
                measured += 1
                if grid["rows"] > 1 and grid["last"] == 1 and grid["share"] < 0.9:
                    orphans.append(
                        f"{build.theme} {width}px {url} {grid['where']}: {grid['items']} items in "
                        f"{grid['columns']} columns leave one alone"
                    )
    context.close()
    assert measured >= len(WIDTHS) * len(THEME_NAMES) * 55
    assert not origins.missing, origins.missing[:3]
    assert not orphans, "\n".join(orphans)


def test_header_and_footer_line_up_with_the_content_column(browser, builds, site_server):
    off, measured = [], 0
    context = browser.new_context(viewport={"width": ALIGN_WIDTHS[0], "height": 900})
    # over HTTP: the builds' stylesheets and fonts are fetched once (the context's cache)
    tabs = [context.new_page(), context.new_page()]
    visits = [(build, url) for build in builds for url in build.pages()[:4]]
    for (build, url), page in in_turn(
        tabs, visits, lambda visit: site_server.origin(visit[0]) + visit[1]
    ):
        for width in _at_each_width(page, ALIGN_WIDTHS):
            edges = page.evaluate(LEFTS)
            if edges["column"] is None:
                continue
            measured += 1
            for part in ("header", "footer"):
                if edges[part] is not None and abs(edges[part] - edges["column"]) > 1:
                    off.append(
                        f"{build.name} {width}px {url}: {part} content starts at {edges[part]:.0f}px, "
                        f"the column at {edges['column']:.0f}px"
                    )
    context.close()
    assert measured >= len(builds) * len(ALIGN_WIDTHS)
    assert not off, "\n".join(off)
