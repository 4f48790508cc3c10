"""A page's canonical address (`pages.canonical_url`, migration 0020), the field added to show that a
page setting is declared once (issue 11): set through the services, the CLI and an import, refused
unless it is an absolute http(s) address, in the snapshot only when set, and the page's
`<link rel="canonical">` and `og:url` in every theme (other pages keep their own address)."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from defusedxml import ElementTree
from services_support import counts

from bgpub.db.models import AuditLog, Page
from bgpub.errors import InvalidInput
from bgpub.services import building, importing, pages, projects
from bgpub.services.snapshots import snapshot_of
from bgpub.snapshot import ProjectSnapshot

ORIGINAL = "https://original.example/essays/why?ref=bgpub&lang=en#top"
HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(document.cookie)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/path",  # scheme-relative: not absolute
    "/about",
    "original.example/page",
    "ftp://original.example/file",
    "https://",  # no host
    "https://exa mple.com/",
    "https://example.com/a b",
    "https://example.com/\nSet-Cookie: x",
    "https://example.com/\u202e",  # a bidirectional override
    "https://example.com/\x00",
    "https://[::1/",  # a broken IPv6 literal
    "https://example.com:99999/",
    "https://example.com/" + "a" * 2000,  # longer than the column
]


class _Heads(HTMLParser):
    """The canonical link and og:url of a page, as a browser's parser reads them (entities decoded)."""

    def __init__(self) -> None:
        super().__init__()
        self.canonical: list[str] = []
        self.og_url: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "link" and found.get("rel") == "canonical":
            self.canonical.append(found.get("href") or "")
        if tag == "meta" and found.get("property") == "og:url":
            self.og_url.append(found.get("content") or "")


def heads(html: bytes) -> tuple[list[str], list[str]]:
    parser = _Heads()
    parser.feed(html.decode("utf-8"))
    return parser.canonical, parser.og_url


def sitemap(out: Path) -> list[str]:
    """The addresses sitemap.xml lists, read with a real XML parser."""
    tree = ElementTree.fromstring((out / "sitemap.xml").read_bytes())
    return [e.text or "" for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


@pytest.fixture
def site(actor, project):
    for slug, title in (("home", "Home"), ("about", "About")):
        pages.add_page(actor, "demo", slug, title)
    projects.update_project(actor, "demo", settings={"base_url": "https://example.com"})
    return project


@pytest.mark.parametrize("theme", ["aurora", "midnight", "terracotta"])
def test_the_page_credits_its_canonical_address_in_every_theme(actor, site, tmp_path, theme):
    projects.update_project(actor, "demo", theme=theme)
    out = tmp_path / "out"
    building.build_project(actor, "demo", out)
    own = heads((out / "about" / "index.html").read_bytes())
    assert own == (["https://example.com/about/"], ["https://example.com/about/"])

    pages.update_page(actor, "demo", "about", canonical_url=f"  {ORIGINAL} ")  # trimmed
    assert Page.get(Page.slug == "about").canonical_url == ORIGINAL
    audit = AuditLog.select().where(AuditLog.action == "page.update").order_by(AuditLog.id.desc())
    assert "canonical_url" in audit.first().summary["fields"]

    again = building.build_project(actor, "demo", out)
    assert "about/index.html" in again.rendered_paths  # the incremental build saw the change
    about = (out / "about" / "index.html").read_bytes()
    assert heads(about) == ([ORIGINAL], [ORIGINAL])
    assert b"&amp;lang=en" in about  # the ampersand is escaped in the attribute
    home = heads((out / "index.html").read_bytes())
    assert ORIGINAL not in home[0] + home[1]  # the other page keeps its own address
    assert sitemap(out) == ["https://example.com/"]  # a sitemap lists canonical addresses only

    pages.update_page(actor, "demo", "about", canonical_url="")
    building.build_project(actor, "demo", out)
    assert heads((out / "about" / "index.html").read_bytes()) == own
    assert sitemap(out) == ["https://example.com/", "https://example.com/about/"]


def test_quotes_and_angle_brackets_stay_inside_the_attribute(actor, site, tmp_path):
    sneaky = "https://original.example/a\"><script>alert(1)</script>'b"
    pages.update_page(actor, "demo", "about", canonical_url=sneaky)
    building.build_project(actor, "demo", tmp_path / "out")
    html = (tmp_path / "out" / "about" / "index.html").read_bytes()
    assert heads(html) == ([sneaky], [sneaky])
    assert b"<script>alert(1)" not in html


@pytest.mark.parametrize("value", HOSTILE, ids=range(len(HOSTILE)))
def test_anything_but_an_absolute_web_address_is_refused_and_changes_nothing(actor, site, value):
    before = counts(), Page.get(Page.slug == "about").revision
    with pytest.raises(InvalidInput) as caught:
        pages.update_page(actor, "demo", "about", canonical_url=value)
    assert caught.value.field == "canonical_url" and "about" in str(caught.value), caught.value
    assert (counts(), Page.get(Page.slug == "about").revision) == before
    assert Page.get(Page.slug == "about").canonical_url == ""


@pytest.mark.parametrize(
    "value", [5, True, ["https://example.com/"], {"url": "https://example.com/"}]
)
def test_a_value_that_is_not_text_is_refused(actor, site, value):
    with pytest.raises(InvalidInput, match="canonical_url must be an address"):
        pages.update_page(actor, "demo", "about", canonical_url=value)


def test_snapshot_carries_it_only_when_set_and_an_import_checks_it(actor, site):
    plain = snapshot_of(site).to_json()
    assert b"canonical_url" not in plain  # snapshots and versions made before keep their bytes
    pages.update_page(actor, "demo", "about", canonical_url=ORIGINAL)
    raw = snapshot_of(site).to_json()
    about = next(p for p in json.loads(raw)["pages"] if p["slug"] == "about")
    assert about["canonical_url"] == ORIGINAL
    assert ProjectSnapshot.from_json(raw).pages[1].canonical_url == ORIGINAL
    assert ProjectSnapshot.from_json(plain).pages[1].canonical_url == ""

    importing.import_snapshot(actor, ProjectSnapshot.from_json(raw), {}, name="copy")
    copied = Page.select().where(Page.slug == "about")
    assert sorted(p.canonical_url for p in copied) == [ORIGINAL, ORIGINAL]  # demo's and copy's

    before = counts()
    for value in ("javascript:alert(1)", 7):
        data = json.loads(raw)
        next(p for p in data["pages"] if p["slug"] == "about")["canonical_url"] = value
        with pytest.raises(InvalidInput) as caught:
            importing.import_snapshot(
                actor, ProjectSnapshot.from_json(json.dumps(data)), {}, name="bad"
            )
        message = str(caught.value)
        assert "pages[1]" in message and "canonical_url" in message, message
    assert counts() == before
