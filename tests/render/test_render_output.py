"""What a rendered site contains: clean URLs, meta tags, sitemap, robots, hashed names, valid HTML5."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
from render_fixtures import PNG, PNG_HASH
from render_sitecheck import broken_links, parse_errors

from bgpub.render import BuildInfo, render_site
from bgpub.render.environment import money
from bgpub.render.markdown import MarkdownRenderer, render_markdown
from bgpub.render.themes import token_problem


@pytest.fixture
def site(library, themes, blob_store, make_snapshot):
    return render_site(make_snapshot(), library, themes, blob_store)


def test_output_paths(site):
    assert sorted(site) == sorted(
        [
            "index.html",
            "about/index.html",
            "shop/index.html",
            "legal/terms/index.html",
            "blog/hello/index.html",
            "blog/older/index.html",
            "404.html",
            "sitemap.xml",
            "robots.txt",
            "_headers",
            "blog/index.html",
            "blog/archive/index.html",
            "blog/author/ann/index.html",
            "blog/atom.xml",
            "blog/rss.xml",
            "blog/feed.json",
            "products/mug/index.html",
            next(p for p in site if re.fullmatch(r"assets/style\.[0-9a-f]{12}\.css", p)),
            f"assets/logo.{PNG_HASH[:12]}.png",
            # icons (a monogram: no icon setting) and the web manifest
            "favicon.ico",
            "icon-192.png",
            "icon-512.png",
            "apple-touch-icon.png",
            "site.webmanifest",
            # the logo's renditions (64 px: never upscaled) and share cards: the site's (its seo_image) and each post's
            *[p for p in site if re.fullmatch(r"assets/logo-64\.[0-9a-f]{12}\.(avif|webp|png)", p)],
            *[
                p
                for p in site
                if re.fullmatch(
                    r"assets/social/(site|blog-hello|blog-older|products-[a-z0-9-]+)\.[0-9a-f]{12}\.png",
                    p,
                )
            ],
        ]
    )
    assert (
        len([p for p in site if p.startswith(("assets/logo-", "assets/social/"))]) == 7
    )  # + the product's card
    # the logo's own URL serves its cleaned rendition (these fixture bytes are no image: a placeholder)
    assert (
        site[f"assets/logo.{PNG_HASH[:12]}.png"] != PNG
        and site[f"assets/logo.{PNG_HASH[:12]}.png"][:4] == b"\x89PNG"
    )


def test_same_snapshot_same_bytes(library, themes, blob_store, make_snapshot, site):
    assert render_site(make_snapshot(), library, themes, blob_store) == site
    assert list(site) == sorted(site)


def test_meta_tags(site):
    about = site["about/index.html"].decode()
    assert "<title>About Demo</title>" in about
    assert '<meta name="description" content="Who we are">' in about
    assert '<link rel="canonical" href="https://demo.example.com/about/">' in about
    assert '<meta property="og:title" content="About Demo">' in about
    # the site's seo_image, cropped to a 1200x630 PNG share card
    assert re.search(
        r'<meta property="og:image" content="https://demo.example.com/assets/social/site\.[0-9a-f]{12}'
        r'\.png">',
        about,
    )
    home = site["index.html"].decode()
    assert "<title>Demo Site</title>" in home and 'href="https://demo.example.com/"' in home
    assert "<title>Shop | Demo Site</title>" in site["shop/index.html"].decode()
    post = site["blog/hello/index.html"].decode()
    assert (
        '<meta property="og:type" content="article">' in post and "<strong>world</strong>" in post
    )


def test_navigation_follows_page_order_and_marks_current(site):
    about = site["about/index.html"].decode()
    nav = re.search(r"<nav.*?</nav>", about).group(0)
    assert re.findall(r'href="([^"]+)"', nav) == [
        "/",
        "/",
        "/about/",
        "/shop/",
    ]  # brand, then pages in nav
    assert '<a href="/about/" aria-current="page">About us</a>' in nav
    assert "Terms" not in nav


def test_posts_get_home_header_and_footer(site):
    post = site["blog/hello/index.html"].decode()
    assert '<nav aria-label="Main">' in post and "Made with bgpub" in post
    assert "Welcome" not in post  # the home page's main region stays home
    listing = site["index.html"].decode()
    assert listing.index("/blog/hello/") < listing.index("/blog/older/")  # newest first


def test_sitemap_and_robots(site):
    sitemap = site["sitemap.xml"].decode()
    # 4 pages, 2 posts, the blog index, its author page and the archive
    assert (
        sitemap.count("<url>") == 10
        and "<loc>https://demo.example.com/products/mug/</loc>" in sitemap
        and "<loc>https://demo.example.com/legal/terms/</loc>" in sitemap
    )
    assert (
        site["robots.txt"]
        == b"User-agent: *\nAllow: /\nSitemap: https://demo.example.com/sitemap.xml\n"
    )


def test_without_base_url(library, themes, blob_store, make_snapshot):
    files = render_site(make_snapshot(settings={}), library, themes, blob_store)
    assert files["robots.txt"] == b"User-agent: *\nAllow: /\n"
    assert b"canonical" not in files["about/index.html"]


def test_base_path_from_build_info(library, themes, blob_store, make_snapshot):
    files = render_site(
        make_snapshot(settings={}),
        library,
        themes,
        blob_store,
        BuildInfo(base_url="https://example.org/docs"),
    )
    about = files["about/index.html"].decode()
    assert 'href="/docs/about/"' in about and 'href="/docs/assets/style.' in about
    assert '<link rel="canonical" href="https://example.org/docs/about/">' in about
    assert broken_links(files, prefix="/docs") == []


def test_css_has_tokens_overrides_and_component_styles(
    library, themes, blob_store, make_snapshot, site
):
    css = next(v for k, v in site.items() if k.startswith("assets/style.")).decode()
    assert css.startswith(":root{--color-bg:#ffffff;--color-border:#dddddd;")
    assert "/* hero */" in css and "/* navbar */" in css
    fancy = render_site(
        make_snapshot(theme="fancy", theme_overrides={"color-primary": "rgb(10, 20, 30)"}),
        library,
        themes,
        blob_store,
    )
    css = next(v for k, v in fancy.items() if k.startswith("assets/style.")).decode()
    assert "--color-bg:#101010;" in css and "--color-surface:#f5f5f5;" in css  # child over parent
    assert "--color-primary:rgb(10, 20, 30);" in css and "body{background:var(--color-bg)" in css
    assert b'class="fancy"' in fancy["index.html"] and b"fancy-cta" in fancy["about/index.html"]


def test_every_page_is_valid_html5_with_landmarks(site):
    for path, data in site.items():
        if path.endswith(".html"):
            assert parse_errors(data) == [], path
            text = data.decode()
            for landmark in ("<header", "<main", "<footer", '<html lang="en"', 'href="#content"'):
                assert landmark in text, (path, landmark)


def test_no_broken_internal_links(site):
    assert broken_links(site) == []


def test_money():
    assert money(1250, "EUR") == "€12.50"
    assert money(123456789, "usd") == "$1,234,567.89"
    assert money(-5, "CHF") == "-0.05 CHF"


@pytest.mark.parametrize(
    "value,ok",
    [
        ("#fff", True),
        ("#12345678", True),
        ("rgb(1, 2, 3)", True),
        ("hsl(120deg 50% 50% / 0.5)", True),
        ("rebeccapurple", True),
        ("1.5rem", True),
        ("0", True),
        ("calc(1rem + 2px)", True),
        ('"Inter", system-ui, sans-serif', True),
        ("Georgia, 'Times New Roman', serif", True),
        ("red;}", False),
        ("url(x)", False),
        ("#fff</style>", False),
        ('"a" ; b', False),
        ("", False),
        ("expression(alert(1))", False),
        ("a{b", False),
        ("\\31 red", False),
        (5, False),
    ],
)
def test_token_values(value, ok):
    assert (token_problem(value) is None) is ok


def test_markdown_cache_is_keyed_by_source():
    markdown = MarkdownRenderer()
    first = markdown.render("*a*")
    assert markdown.render("*a*") == first == "<p><em>a</em></p>\n"
    assert markdown.misses == 1 and len(markdown.entries()) == 1
    warm = MarkdownRenderer(markdown.entries())
    assert warm.render("*a*") == first and warm.misses == 0
    # cmark's safe mode omits raw HTML (markdown-it-py showed it as text)
    assert (
        render_markdown("<b>x</b>")
        == "<p><!-- raw HTML omitted -->x<!-- raw HTML omitted --></p>\n"
    )


def test_saved_component_renders_like_its_base(library, themes, blob_store, make_snapshot):
    from bgpub.domain.blocks import Block
    from bgpub.snapshot import SavedComponent

    snap = make_snapshot(
        components=(
            SavedComponent(
                key="promo", base="cta", name="Promo", defaults={"text": "Buy now", "url": "/shop/"}
            ),
        )
    )
    page = replace(snap.pages[1], blocks=(Block("promo", {}),))
    files = render_site(replace(snap, pages=(snap.pages[0], page)), library, themes, blob_store)
    assert b'<a class="button" href="/shop/">Buy now</a>' in files["about/index.html"]


def test_default_folders_follow_the_environment(monkeypatch, tmp_path):
    """The services read the environment and hand the folders in; the renderer's own default ignores it."""
    from bgpub.render.paths import REPOSITORY_ROOT, components_dirs, themes_dirs
    from bgpub.services import sources

    monkeypatch.delenv("BGPUB_COMPONENTS_PATH", raising=False)
    monkeypatch.delenv("BGPUB_THEMES_PATH", raising=False)
    assert sources.components_dirs() == components_dirs() == [REPOSITORY_ROOT / "components"]
    assert sources.themes_dirs() == themes_dirs() == [REPOSITORY_ROOT / "themes"]
    monkeypatch.setenv("BGPUB_COMPONENTS_PATH", f"{tmp_path / 'a'}:{tmp_path / 'b'}")
    monkeypatch.setenv("BGPUB_THEMES_PATH", str(tmp_path / "t"))
    assert sources.components_dirs() == [tmp_path / "a", tmp_path / "b"]
    assert sources.themes_dirs() == [tmp_path / "t"]
    assert components_dirs() == [REPOSITORY_ROOT / "components"]
    assert themes_dirs() == [REPOSITORY_ROOT / "themes"]


def test_markdown_links_honour_the_base_path(library, themes, blob_store, make_snapshot):
    from bgpub.domain.blocks import Block

    snap = make_snapshot(settings={"base_url": "https://example.org/docs/"})
    page = replace(
        snap.pages[1], blocks=(Block("rich-text", {"body": "[About](/about/) and *[x](#top)*"}),)
    )
    files = render_site(replace(snap, pages=(snap.pages[0], page)), library, themes, blob_store)
    assert (
        b'<a href="/docs/about/">About</a> and <em><a href="#top">x</a></em>'
        in files["about/index.html"]
    )
