"""The themes: complete, visibly different, lean, and readable (WCAG AA contrast for every text pair).

Measured contrast ratios (text on background), checked below:
  aurora   text/bg 16.2, text/surface 15.0, muted/bg 6.8, muted/surface 6.3, primary/bg 7.9,
           primary/surface 7.3, primary-contrast/primary 7.9
  midnight text/bg 15.8, text/surface 14.4, muted/bg 7.6, muted/surface 6.9, primary/bg 13.0,
           primary/surface 11.9, primary-contrast/primary 13.0
  shop (aurora + overrides) primary/bg 7.3, primary/surface 6.8, primary-contrast/primary 7.3
"""

from __future__ import annotations

import re

import pytest
from content_checks import (
    SITES_DIR,
    TEXT_PAIRS,
    THEME_NAMES,
    THEMES_DIR,
    a11y_problems,
    contrast,
    html_pages,
    load_starter,
    parse_strict,
    render,
    themes,
)

from bgpub.render.themes import TOKENS
from bgpub.snapshot import ProjectSnapshot


def test_checker_computes_known_contrast_ratios():
    assert contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)


@pytest.mark.parametrize("name", THEME_NAMES)
def test_theme_is_complete(name):
    """Every token and layout template, from the theme or its parents; lean, token-based CSS."""
    assert set(TOKENS) <= set(themes().tokens(name))
    chain = themes().chain(name)
    for template in ("templates/base.html", "templates/404.html", "templates/post.html"):
        assert any(template in theme.templates for theme in chain), template
    css = "".join((THEMES_DIR / t.name / "static" / "style.css").read_text("utf-8") for t in chain)
    assert len((THEMES_DIR / name / "static" / "style.css").read_bytes()) < 25_000
    used = set(re.findall(r"var\(--([a-z-]+)", css))
    assert {
        "color-bg",
        "color-text",
        "color-primary",
        "font-body",
        "font-heading",
        "space",
        "radius",
        "max-width",
    } <= used
    assert "@media" in css


@pytest.mark.parametrize("name", THEME_NAMES)
@pytest.mark.parametrize("pair", TEXT_PAIRS, ids="/".join)
def test_theme_text_contrast_meets_wcag_aa(name, pair):
    tokens = themes().tokens(name)
    fg, bg = pair
    assert contrast(tokens[fg], tokens[bg]) >= 4.5, (name, fg, bg)


@pytest.mark.parametrize(
    "site", sorted(p.name for p in SITES_DIR.iterdir() if (p / "project.json").is_file())
)
def test_starter_overrides_keep_contrast(site):
    snapshot, _ = load_starter(site)
    tokens = themes().tokens(snapshot.theme, snapshot.theme_overrides)
    for fg, bg in TEXT_PAIRS:
        assert contrast(tokens[fg], tokens[bg]) >= 4.5, (site, fg, bg)


def test_themes_look_different():
    aurora, midnight, terracotta = (
        themes().tokens(n) for n in ("aurora", "midnight", "terracotta")
    )
    for token in (
        "color-bg",
        "color-text",
        "color-primary",
        "font-body",
        "font-heading",
        "radius",
        "space",
    ):
        assert aurora[token] != midnight[token], token
    assert (
        contrast(aurora["color-bg"], "#ffffff") < 1.1
        and contrast(midnight["color-bg"], "#000000") < 1.2
    )
    assert themes()["terracotta"].parent == "aurora"
    for token in ("color-primary", "font-heading", "radius"):
        assert terracotta[token] != aurora[token], token


def _minimal(theme: str) -> ProjectSnapshot:
    """A page with no header or footer blocks: the layout must still give every landmark."""
    return ProjectSnapshot.from_dict(
        {
            "name": "bare",
            "title": "Bare & <Co>",
            "theme": theme,
            "language": "fr",
            "settings": {"footer_note": "Note <b>"},
            "pages": [
                {
                    "slug": "home",
                    "title": "Home",
                    "is_home": True,
                    "blocks": [{"component": "page-header", "props": {"heading": "Bonjour"}}],
                },
                {
                    "slug": "b",
                    "title": "B",
                    "blocks": [{"component": "rich-text", "props": {"body": "# B"}}],
                },
            ],
            "posts": [
                {
                    "slug": "p",
                    "title": "A post",
                    "body": "Body",
                    "date": "2026-03-04",
                    "author": "Zoé",
                    "tags": ["x"],
                    "category": "News",
                }
            ],
        }
    )


@pytest.mark.parametrize("name", THEME_NAMES)
def test_layouts_give_landmarks_without_header_or_footer_blocks(name):
    files = render(_minimal(name), name, lambda digest: b"")
    trees = html_pages(files)
    for path, tree in trees.items():
        assert a11y_problems(tree) == [], path
        assert tree.tag == "html" and tree.get("lang") == "fr"
    home = files["index.html"].decode()
    assert "Bare &amp; &lt;Co&gt;" in home and "Note &lt;b&gt;" in home
    post = files["blog/p/index.html"].decode()
    assert "4 March 2026" in post and "Zoé" in post and 'datetime="2026-03-04"' in post
    assert b"404" in files["404.html"]


@pytest.mark.parametrize("name", THEME_NAMES)
def test_head_carries_meta(name):
    snapshot, blobs = load_starter("landing")
    page = render(snapshot, name, blobs)["about/index.html"]
    tree = parse_strict(page)
    head = tree.find(".//head")
    metas = {m.get("property") or m.get("name"): m.get("content") for m in head.iter("meta")}
    assert metas["viewport"].startswith("width=device-width")
    assert metas["description"].startswith("The story")
    assert metas["og:title"] == "About | Cadence" and metas["og:type"] == "website"
    # the site's share image (settings.seo_image), cropped to a 1200x630 PNG card every page shares
    assert metas["og:image"].startswith("https://cadence.example.com/assets/social/site.")
    assert metas["og:image"].endswith(".png") and metas["twitter:card"] == "summary_large_image"
    card = render(snapshot, name, blobs)[
        metas["og:image"].removeprefix("https://cadence.example.com/")
    ]
    assert card[:8] == b"\x89PNG\r\n\x1a\n"
    canonical = head.find("link[@rel='canonical']")
    assert canonical is not None and canonical.get("href") == "https://cadence.example.com/about/"
    assert head.find("link[@rel='stylesheet']").get("href").startswith("/assets/style.")
