"""sitemap.xml gives every URL a valid lastmod (its stored row's last edit, else the site's newest known
change or the build time), on both databases and from every starter, read with ElementTree."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree

import pytest
from content_checks import library, load_starter, themes

from bgpub.render import BuildInfo
from bgpub.render.site import render_site
from bgpub.render.sitemap import fallback_lastmod, is_w3c_datetime, with_lastmods
from bgpub.services.building import build_project
from bgpub.services.pages import add_page, update_page
from bgpub.services.products import update_product
from bgpub.services.projects import create_project

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
NOW = "2026-11-30T12:00:00Z"


def _lastmods(folder) -> dict[str, str]:
    root = ElementTree.parse(folder / "sitemap.xml").getroot()
    return {
        url.findtext("s:loc", namespaces=NS): url.findtext("s:lastmod", default="", namespaces=NS)
        for url in root.findall("s:url", NS)
    }


def test_every_page_has_a_lastmod_that_moves_when_the_page_is_edited(workspace, actor, tmp_path):
    create_project(actor, "demo", title="Demo")
    add_page(actor, "demo", "home", "Home")
    add_page(actor, "demo", "about", "About")
    add_page(actor, "demo", "hidden", "Hidden")
    update_page(actor, "demo", "hidden", noindex=True)
    build_project(actor, "demo", tmp_path / "one", base_url="https://demo.example.org")
    first = _lastmods(tmp_path / "one")
    assert set(first) == {"https://demo.example.org/", "https://demo.example.org/about/"}
    for stamp in first.values():
        assert datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")  # W3C datetime, UTC
    update_page(actor, "demo", "about", title="About us")
    build_project(actor, "demo", tmp_path / "two", base_url="https://demo.example.org")
    second = _lastmods(tmp_path / "two")
    assert second["https://demo.example.org/about/"] >= first["https://demo.example.org/about/"]
    assert (
        second["https://demo.example.org/"] == first["https://demo.example.org/"]
    )  # untouched page


def _assert_every_url_dated(folder_or_bytes, where: str) -> dict[str, str]:
    data = folder_or_bytes if isinstance(folder_or_bytes, bytes) else None
    root = (
        ElementTree.fromstring(data)
        if data is not None
        else ElementTree.parse(folder_or_bytes / "sitemap.xml").getroot()
    )
    found = {}
    for url in root.findall("s:url", NS):
        loc = url.findtext("s:loc", namespaces=NS)
        stamp = url.findtext("s:lastmod", default="", namespaces=NS)
        assert is_w3c_datetime(stamp), f"{where}: {loc} has lastmod {stamp!r}"
        found[loc] = stamp
    assert found, where
    return found


@pytest.mark.parametrize("starter", ["blog", "landing", "shop"])
def test_every_url_of_a_starter_project_has_a_lastmod(workspace, actor, tmp_path, starter):
    create_project(actor, starter, starter=starter)
    build_project(actor, starter, tmp_path / "site", base_url="https://x.example.org")
    dates = _assert_every_url_dated(tmp_path / "site", starter)
    if starter == "shop":
        mug = "https://x.example.org/products/morning-mug/"
        before = dates[mug]
        update_product(actor, "shop", "morning-mug", price_cents=2900)
        build_project(actor, "shop", tmp_path / "again", base_url="https://x.example.org")
        after = _assert_every_url_dated(tmp_path / "again", "shop again")
        assert after[mug] >= before


def test_a_json_snapshot_dates_every_url_it_can_without_the_clock():
    """A JSON snapshot carries no page or product dates: those URLs get the newest date it knows (the
    blog starter's newest post); a snapshot knowing none leaves lastmod out, whatever the build time."""
    snapshot, blobs = load_starter("blog")
    files = render_site(
        snapshot, library(), themes(), blobs, BuildInfo(base_url="https://x.example.org")
    )
    dates = _assert_every_url_dated(files["sitemap.xml"], "blog")
    assert dates["https://x.example.org/"] == max(dates.values()) < NOW
    snapshot, blobs = load_starter("landing")
    for now in ("", NOW):
        plain = render_site(snapshot, library(), themes(), blobs, BuildInfo(now=now))["sitemap.xml"]
        assert b"<loc>" in plain and b"<lastmod>" not in plain


def test_lastmod_falls_back_only_to_valid_dates():
    assert fallback_lastmod(["", "2026-01-02T03:04:05Z", "garbage", "2025-12-31"]) == (
        "2026-01-02T03:04:05Z"
    )
    assert fallback_lastmod(["", "yesterday", "<lastmod>"]) == ""
    hostile = ["<x>", "2026-13-01", "2026-01-01T25:00Z", "2026-01-01 10:00", "2026-01-01T10:00"]
    assert not any(is_w3c_datetime(v) for v in hostile)
    assert with_lastmods([("a", "2026-02-30x"), ("b", "2026-02-03")], NOW) == [
        ("a", NOW),
        ("b", "2026-02-03"),
    ]
