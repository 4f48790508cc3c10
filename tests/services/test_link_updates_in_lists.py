"""Internal links inside list props (a navbar's links, a pricing table's tiers) found and pointed at a
page's new slug (services.link_updates.links_to / retarget_links, offered by the editor after a slug
change), on both databases: every item at every position, anchors and queries kept, other values and
non-string fields left alone, the pages stored as edits and read back."""

from __future__ import annotations

import pytest

from bgpub.db.models import Page
from bgpub.errors import PermissionDenied
from bgpub.services import blocks as block_service
from bgpub.services.link_updates import LinkUse, links_to, retarget_links
from bgpub.services.members import add_member
from bgpub.services.pages import add_page, change_slug, get_page
from bgpub.services.projects import create_project
from bgpub.services.users import find_or_create_user

NAV = [
    {"label": "About", "url": "/about/"},
    {"label": "Team", "url": "/about/#team"},
    {"label": "Query", "url": "/about?ref=nav"},
    {"label": "Bare", "url": "/about"},
    {"label": "Elsewhere", "url": "https://example.org/about/"},
    {"label": "Look-alike", "url": "/about-us/"},
    {"label": "Deeper", "url": "/about/team/"},
    {"label": "Label /about/", "url": "/"},
]
TIERS = [
    {"name": "Free", "price": "€0", "cta_label": "Read", "cta_url": "/", "highlighted": False},
    {
        "name": "Pro",
        "price": "€9",
        "cta_label": "Ask",
        "cta_url": "/about/#pricing",
        "highlighted": True,
    },
]


# The real components (navbar, pricing-table: list props whose items hold URLs).
pytestmark = pytest.mark.real_components


@pytest.fixture
def site(actor) -> str:
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_page(actor, ref, "home", "Home")
    add_page(actor, ref, "about", "About")
    add_page(actor, ref, "prices", "Prices")
    block_service.add_block(actor, ref, "home", "navbar", {"links": NAV, "cta_url": "/about/"})
    block_service.add_block(actor, ref, "prices", "rich-text", {"body": "See [us](/about/)."})
    block_service.add_block(actor, ref, "prices", "pricing-table", {"tiers": TIERS})
    return ref


def test_links_inside_list_items_are_found_with_their_place(actor, site):
    # the same order on both databases: pages, blocks, then props by name (PostgreSQL's jsonb keeps
    # no key order), the items of one list in their order
    found = links_to(actor, site, "about")
    assert [u.prop for u in found if u.prop.startswith("links")] == [
        "links[1].url",
        "links[2].url",
        "links[3].url",
        "links[4].url",
    ]
    assert found == [
        LinkUse("home", 1, "cta_url", "/about/"),
        LinkUse("home", 1, "links[1].url", "/about/"),
        LinkUse("home", 1, "links[2].url", "/about/#team"),
        LinkUse("home", 1, "links[3].url", "/about?ref=nav"),
        LinkUse("home", 1, "links[4].url", "/about"),
        LinkUse("prices", 2, "tiers[2].cta_url", "/about/#pricing"),
    ]  # not the external URL, /about-us/, /about/team/, a label, or a link inside Markdown text
    assert links_to(actor, site, "about/team") == [
        LinkUse("home", 1, "links[7].url", "/about/team/")
    ]
    assert links_to(actor, site, "nowhere") == []


def test_retargeting_rewrites_every_item_and_keeps_the_rest(actor, site):
    revisions = {slug: Page.get(Page.slug == slug).revision for slug in ("home", "about", "prices")}
    change_slug(actor, site, "about", "company")
    assert retarget_links(actor, site, "about", "company") == 6

    home = get_page(actor, site, "home").blocks[0]["props"]
    assert [link["url"] for link in home["links"]] == [
        "/company/",
        "/company/#team",
        "/company/?ref=nav",
        "/company/",
        "https://example.org/about/",
        "/about-us/",
        "/about/team/",
        "/",
    ]
    assert [link["label"] for link in home["links"]] == [link["label"] for link in NAV]
    assert home["cta_url"] == "/company/"
    prices = get_page(actor, site, "prices").blocks
    assert prices[0] == {"component": "rich-text", "props": {"body": "See [us](/about/)."}}
    assert prices[1]["props"]["tiers"] == [
        TIERS[0],
        {**TIERS[1], "cta_url": "/company/#pricing"},  # the boolean and the other fields kept
    ]
    assert prices[1]["props"]["tiers"][1]["highlighted"] is True
    # each page with a changed link saved once as an edit; the renamed page itself untouched here
    after = {slug: Page.get(Page.slug == slug).revision for slug in ("home", "company", "prices")}
    assert after["home"] == revisions["home"] + 1 and after["prices"] == revisions["prices"] + 1
    assert links_to(actor, site, "about") == []
    assert len(links_to(actor, site, "company")) == 6
    assert retarget_links(actor, site, "about", "company") == 0  # nothing left: nothing saved
    assert Page.get(Page.slug == "home").revision == after["home"]


def test_a_nested_slug_in_list_items(actor, site):
    add_page(actor, site, "legal/terms", "Terms")
    block_service.set_props(
        actor,
        site,
        "home",
        0,
        {
            "links": [
                {"label": "Terms", "url": "/legal/terms/#ü"},
                {"label": "Legal", "url": "/legal/"},
            ]
        },
    )
    assert [u.prop for u in links_to(actor, site, "legal/terms")] == ["links[1].url"]
    assert [u.prop for u in links_to(actor, site, "legal")] == ["links[2].url"]
    assert retarget_links(actor, site, "legal/terms", "legal/conditions") == 1
    links = get_page(actor, site, "home").blocks[0]["props"]["links"]
    assert [link["url"] for link in links] == ["/legal/conditions/#ü", "/legal/"]


def test_a_viewer_may_look_but_not_retarget(actor, site, org):
    viewer, _ = find_or_create_user("viewer@example.org", "Viewer")
    add_member(actor, org, viewer.email, "VIEWER")
    assert len(links_to(viewer, site, "about")) == 6
    with pytest.raises(PermissionDenied):
        retarget_links(viewer, site, "about", "company")
    assert get_page(actor, site, "home").blocks[0]["props"]["links"] == NAV
