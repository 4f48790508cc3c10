"""sitemap.xml gives every page a lastmod: its stored row's last edit, on both databases, read with ElementTree."""

from __future__ import annotations

from datetime import datetime
from xml.etree import ElementTree

from bgpub.services.building import build_project
from bgpub.services.pages import add_page, update_page
from bgpub.services.projects import create_project

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


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
