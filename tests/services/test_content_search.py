"""Search across content: block props (nested list items too), page titles and SEO fields, shared
sections and posts; case-insensitive and Unicode-safe on both databases; hostile queries are literal
text; refusals are clear errors."""

from __future__ import annotations

import pytest

from bgpub.db.enums import Role
from bgpub.db.models import OrganizationMember, User
from bgpub.errors import InvalidInput, NotFound
from bgpub.services import blocks, pages
from bgpub.services.content_search import MAX_HITS, MAX_QUERY, search_content
from bgpub.services.posts import create_post
from bgpub.services.sections import create_section


@pytest.fixture
def site(actor, project) -> str:
    pages.add_page(actor, "demo", "home", "Home", seo_description="Bread and Crème brûlée daily")
    pages.add_page(actor, "demo", "about", "About the bakery")
    blocks.add_block(actor, "demo", "home", "hero", {"heading": "Fresh SOURDOUGH every day"})
    blocks.add_block(
        actor,
        "demo",
        "about",
        "features",
        {
            "title": "What we bake",
            "items": [
                {"name": "Rye", "body": "Dark and dense"},
                {
                    "name": "Croissant",
                    "body": "Layers of butter and [b]markup[/b] (a+b)*c $1.00 \\d",
                },
            ],
        },
    )
    create_section(
        actor, "demo", "header", [{"component": "hero", "props": {"heading": "Sourdough club"}}]
    )
    create_post(actor, "demo", "Why sourdough takes two days", body="Time, flour and water.")
    return "demo"


def places(results) -> list[str]:
    return [h.place for h in results.hits]


def test_finds_every_kind_of_place_case_insensitively(actor, site):
    found = search_content(actor, "demo", "sourdough")
    assert places(found) == [
        "page home › block 1 (hero) › heading",
        "section header › block 1 (hero) › heading",
        "post why-sourdough-takes-two-days › title",
    ]
    hit = found.hits[0]
    assert (
        hit.excerpt[hit.start : hit.end] == "SOURDOUGH"
        and hit.block == 0
        and hit.path == ("heading",)
    )


def test_nested_list_items_and_page_fields(actor, site):
    found = search_content(actor, "demo", "BUTTER")
    assert places(found) == ["page about › block 1 (features) › items › 2 › body"]
    assert found.hits[0].path == ("items", 1, "body") and found.hits[0].component == "features"
    assert places(search_content(actor, "demo", "bakery")) == ["page about › title"]
    assert places(search_content(actor, "demo", "flour")) == [
        "post why-sourdough-takes-two-days › body"
    ]


@pytest.mark.parametrize(
    "query", ["crème brûlée", "CRÈME BRÛLÉE", "cre\u0300me bru\u0302le\u0301e"]
)
def test_unicode_case_and_normalisation(actor, site, query):
    found = search_content(actor, "demo", query)
    assert places(found) == ["page home › seo_description"]
    hit = found.hits[0]
    assert hit.excerpt[hit.start : hit.end].lower() == "crème brûlée"


@pytest.mark.parametrize("query", ["[b]markup[/b]", "(a+b)*c", "$1.00", "\\d", ".*", "[", "+"])
def test_regex_and_markup_characters_are_literal(actor, site, query):
    found = search_content(actor, "demo", query)
    expected = [] if query == ".*" else ["page about › block 1 (features) › items › 2 › body"]
    assert places(found) == expected
    for hit in found.hits:
        assert hit.excerpt[hit.start : hit.end] == query


def test_long_text_gives_a_short_excerpt_around_the_match(actor, site):
    body = "x" * 50_000 + " needle " + "y" * 50_000
    create_post(actor, "demo", "Long", body=body)
    hit = search_content(actor, "demo", "NEEDLE").hits[0]
    assert len(hit.excerpt) < 120 and hit.excerpt.startswith("…") and hit.excerpt.endswith("…")
    assert hit.excerpt[hit.start : hit.end] == "needle"


def test_line_breaks_do_not_reach_the_excerpt(actor, site):
    create_post(actor, "demo", "Lines", body="first line\nthe needle\r\nlast\tline")
    hit = search_content(actor, "demo", "needle").hits[0]
    assert (
        "\n" not in hit.excerpt
        and "\r" not in hit.excerpt
        and hit.excerpt[hit.start : hit.end] == "needle"
    )


@pytest.mark.parametrize("query", ["", "   ", "a" * (MAX_QUERY + 1), "bad\x00query", "tab\x07"])
def test_bad_queries_are_refused(actor, site, query):
    with pytest.raises(InvalidInput, match="search"):
        search_content(actor, "demo", query)


def test_hits_are_capped_and_say_so(actor, project):
    pages.add_page(actor, "demo", "home", "Home")
    items = [{"name": f"match {i}"} for i in range(6)]
    for _ in range(MAX_HITS // 6 + 2):
        blocks.add_block(actor, "demo", "home", "features", {"items": items})
    found = search_content(actor, "demo", "match")
    assert len(found.hits) == MAX_HITS and found.truncated


def test_a_viewer_searches_an_outsider_does_not(actor, org, site):
    viewer = User.create(email="viewer@example.com", name="Viewer")
    OrganizationMember.create(organization=org, user=viewer, role=Role.VIEWER)
    assert places(search_content(viewer, "demo", "rye")) == [
        "page about › block 1 (features) › items › 1 › name"
    ]
    outsider = User.create(email="outsider@example.com", name="Outsider")
    with pytest.raises(NotFound):
        search_content(outsider, f"{org.slug}/demo", "rye")
