"""The link check knows every file and folder the renderer writes at a site's top level: a link to
any of them is never reported broken, a link to anything else still is."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgpub.render.site_files import is_site_file
from bgpub.services.blocks import replace_blocks
from bgpub.services.building import build_project
from bgpub.services.pages import add_page, list_pages
from bgpub.services.projects import create_project, update_project
from bgpub.services.site_checks import run_checks

pytestmark = pytest.mark.real_components  # the starters need the real navbar, forms...


@pytest.fixture
def small_sitemaps(monkeypatch):
    """Sitemap parts on a starter's few URLs (over the protocol's 50,000 at full size)."""
    from bgpub.render import plan

    monkeypatch.setattr(plan, "SITEMAP_MAX_URLS", 2)
    monkeypatch.setattr(plan, "SITEMAP_PART_URLS", 2)


def _hero(url: str) -> dict[str, object]:
    return {"component": "hero", "props": {"heading": "Links", "primary_url": url}}


@pytest.mark.parametrize("starter", ["landing", "blog", "shop"])
def test_every_top_level_output_is_a_link_the_check_accepts(
    actor, org, small_sitemaps, starter: str, tmp_path: Path
) -> None:
    create_project(actor, "site", title="Site", starter=starter)
    update_project(  # a collector adds the forms' thank-you page
        actor,
        "site",
        settings={"base_url": "https://site.example", "collector_url": "https://c.example"},
    )
    out = tmp_path / "out"
    build_project(actor, "site", out, cache_dir=tmp_path / "cache")
    top = sorted(p.name for p in out.iterdir())
    assert "sitemap-2.xml" in top and "icon-192.png" in top  # what the old list missed
    assert starter != "landing" or "thanks" in top
    links = [f"/{name}/" if (out / name).is_dir() else f"/{name}" for name in top]
    pages = {page.slug.split("/", 1)[0] for page in list_pages(actor, "site")}
    folders = [name for name in top if (out / name).is_dir() and name not in pages]
    assert "assets" in folders
    links += [f"/{name}/any/deeper/file.html" for name in folders]  # what the check cannot know
    add_page(actor, "site", "links", "Links")
    replace_blocks(actor, "site", "links", [_hero(url) for url in links])
    assert run_checks(actor, "site", only=["broken-link"]) == []

    broken = ["/no-such-page/", "/sitemap-0.xml", "/sitemap-x.xml", "/icon-193.png", "/tags/x/"]
    replace_blocks(actor, "site", "links", [_hero(url) for url in broken])
    found = run_checks(actor, "site", only=["broken-link"])
    assert [f.message.split(",")[0] for f in found] == [f"links to {url}" for url in broken]


def test_the_home_page_is_at_the_root_not_at_its_slug(actor, org, tmp_path: Path) -> None:
    """The home page is written as index.html: /home/ (its slug) leads nowhere."""
    create_project(actor, "site", title="Site", starter="landing")
    out = tmp_path / "out"
    build_project(actor, "site", out, cache_dir=tmp_path / "cache")
    assert not (out / "home").exists() and (out / "about" / "index.html").exists()
    add_page(actor, "site", "links", "Links")
    replace_blocks(actor, "site", "links", [_hero("/home/"), _hero("/about/"), _hero("/")])
    found = run_checks(actor, "site", only=["broken-link"])
    assert [f.message.split(",")[0] for f in found] == ["links to /home/"]


@pytest.mark.parametrize(
    ("segment", "generated"),
    [
        ("sitemap-1.xml", True),
        ("sitemap-50000.xml", True),
        ("sitemap-01.xml", False),
        ("sitemap-.xml", False),
        ("sitemap-1.xml.gz", False),
        ("apple-touch-icon.png", True),
        ("site.webmanifest", True),
        ("thanks", True),
        ("feed.xml", False),  # the blog's feeds are under blog/
        ("", False),
    ],
)
def test_generated_names(segment: str, generated: bool) -> None:
    assert is_site_file(segment) is generated
