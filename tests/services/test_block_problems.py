"""Every problem of one block, one per prop and one per list item field (services.blocks.block_problems,
what the editor shows next to each field as the user types), on both databases: the project's assets
and the organization's saved components are read from the database as the editor reads them, and
a block with no problem is the one the services store."""

from __future__ import annotations

import io
from typing import Any

import pytest
from PIL import Image

from bgpub.domain.locations import Location
from bgpub.errors import InvalidInput
from bgpub.services import blocks as block_service
from bgpub.services.assets import add_asset, list_assets
from bgpub.services.blocks import block_problems
from bgpub.services.library import current_library, save_component, saved_components_of
from bgpub.services.pages import add_page, get_page
from bgpub.services.projects import create_project, show_project

NAVBAR_PROPS = "brand, cta_label, cta_url, links, logo"


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 6), "red").save(out, format="PNG")
    return out.getvalue()


# The real components (navbar's links, gallery's images: list props of objects).
pytestmark = pytest.mark.real_components


@pytest.fixture
def site(actor) -> str:
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_page(actor, ref, "home", "Home")
    add_asset(actor, ref, png(), name="team.png")
    add_asset(actor, ref, b"plain words\n", name="notes.txt")
    return ref


def problems(actor, site: str, component: object, props: object, block: int = 1):
    """What the editor asks for (tui.service_session.check_block): the project's assets by type and
    the organization's saved components, both read from the database."""
    record = show_project(actor, site)
    assets = {a.name: a.type for a in list_assets(actor, site)}
    where = Location(record.name, "home", block, component if isinstance(component, str) else None)
    return block_problems(
        current_library(),
        component,
        props,
        where,
        saved_components_of(record.organization_id),
        assets,
    )


def shown(found: list[InvalidInput]) -> list[tuple[tuple[Any, ...], str]]:
    return [(p.location.prop_path if p.location else (), p.message) for p in found]


JAVASCRIPT = "the URL scheme 'javascript' is not allowed (use http, https, mailto, tel)"


def test_a_valid_block_has_no_problem_and_is_stored_as_given(actor, site):
    props = {"brand": "Acmé ☕", "links": [{"label": "Über uns", "url": "/about/#team"}]}
    assert problems(actor, site, "navbar", props) == []
    block_service.add_block(actor, site, "home", "navbar", props)
    assert get_page(actor, site, "home").blocks == [{"component": "navbar", "props": props}]


def test_one_problem_per_prop_not_only_the_first(actor, site):
    props = {"brand": "x" * 61, "cta_url": "javascript:alert(1)", "cta_label": "Go"}
    found = problems(actor, site, "navbar", props)
    assert shown(found) == [
        (("brand",), "longer than 60 characters (61)"),
        (("cta_url",), JAVASCRIPT),
    ]
    assert [str(p.where) for p in found] == [
        "project site, page home, block 1 (navbar), prop brand",
        "project site, page home, block 1 (navbar), prop cta_url",
    ]
    # the services refuse that block with the first of them, and store nothing
    with pytest.raises(InvalidInput, match=r"prop brand: longer than 60 characters \(61\)"):
        block_service.add_block(actor, site, "home", "navbar", props)
    assert get_page(actor, site, "home").blocks == []


def test_each_unknown_prop_is_named_with_the_known_ones(actor, site):
    found = problems(actor, site, "navbar", {"zzz": 1, "colour": "red", "brand": "ok"}, block=4)
    assert shown(found) == [
        (("colour",), f"unknown prop (known: {NAVBAR_PROPS})"),
        (("zzz",), f"unknown prop (known: {NAVBAR_PROPS})"),
    ]
    assert {p.location.block for p in found} == {4}


def test_list_items_each_get_their_own_problems(actor, site):
    links = [
        "not an object",
        {"label": "ok", "url": "/"},
        {"label": "", "url": "javascript:x", "target": "_blank"},
        7,
        ["label", "url"],
    ]
    found = problems(actor, site, "navbar", {"links": links})
    assert shown(found) == [
        (("links", 1), "list item must be an object, got str"),
        (("links", 3, "target"), "unknown prop"),
        (("links", 3, "label"), "required prop is empty"),
        (("links", 3, "url"), JAVASCRIPT),
        (("links", 4), "list item must be an object, got int"),
        (("links", 5), "list item must be an object, got list"),
    ]
    assert str(found[3].where) == (
        "project site, page home, block 1 (navbar), prop links[3], prop url"
    )
    assert found[3].location.field_path == ("links", 2, "url")  # the editor's 0-based index


def test_asset_fields_inside_items_are_checked_against_the_projects_assets(actor, site):
    images = [
        {"image": "team.png", "alt": "The team"},
        {"image": "missing.png"},
        {"image": "notes.txt", "alt": "y" * 251},
        {"image": "../team.png"},
    ]
    assert shown(problems(actor, site, "gallery", {"images": images})) == [
        (("images", 2, "image"), "asset 'missing.png' does not exist in this project"),
        (
            ("images", 3, "image"),
            "asset 'notes.txt' is a document; this prop accepts image assets only",
        ),
        (("images", 3, "alt"), "longer than 250 characters (251)"),
        (("images", 4, "image"), "asset '../team.png' does not exist in this project"),
    ]
    add_asset(actor, site, png(), name="missing.png")  # now it exists: that problem is gone
    assert shown(problems(actor, site, "gallery", {"images": images[:2]})) == []


def test_a_problem_of_the_whole_list_is_not_split_into_items(actor, site):
    assert shown(problems(actor, site, "gallery", {"images": []})) == [
        (("images",), "needs at least 1 items")
    ]
    too_many = [{"label": "é" * 41, "url": "/ok/"}] * 9  # each label too long, but 9 > 8 first
    assert shown(problems(actor, site, "navbar", {"links": too_many})) == [
        (("links",), "allows at most 8 items")
    ]
    assert shown(problems(actor, site, "navbar", {"links": "not a list"}))[0][0] == ("links",)


def test_a_saved_component_is_checked_as_its_base(actor, site):
    save_component(actor, "site-nav", "navbar", defaults={"brand": "Acme"})
    found = problems(actor, site, "site-nav", {"colour": "x", "links": [{"label": "", "url": "/"}]})
    assert shown(found) == [
        (("colour",), f"unknown prop (known: {NAVBAR_PROPS})"),
        (("links", 1, "label"), "required prop is empty"),
    ]
    assert problems(actor, site, "site-nav", {"links": [{"label": "Home", "url": "/"}]}) == []


def test_a_block_that_is_not_a_component_and_props_gives_its_one_problem(actor, site):
    assert shown(problems(actor, site, "navbar", ["brand"])) == [
        ((), "props must be an object, got list")
    ]
    assert shown(problems(actor, site, 7, {})) == [((), "component must be a key such as 'hero'")]


@pytest.mark.parametrize("component", ["retired-banner", "", "../navbar", "navbar\x00", "Navbar"])
def test_a_component_the_library_does_not_have_is_one_problem_not_an_error(actor, site, component):
    """A block whose component left the library (or never was in it) is listed, not raised: the
    editor shows it next to the block, as it does every other problem."""
    found = problems(actor, site, component, {"heading": "Hi"})
    assert len(found) == 1 and "unknown component" in found[0].message, found


def test_a_place_given_as_text_is_moved_to_each_item_too(actor, site):
    """A caller may name the block in words instead of a Location: each item's place is still its own."""
    record = show_project(actor, site)
    where = "project site, page home, block 2 (navbar)"
    links = [{"label": "ok", "url": "/"}, {"label": "", "url": "javascript:x"}]
    found = block_problems(
        current_library(),
        "navbar",
        {"links": links},
        where,
        saved_components_of(record.organization_id),
        {a.name: a.type for a in list_assets(actor, site)},
    )
    assert [(p.where, p.message) for p in found] == [
        (f"{where}, prop links[2], prop label", "required prop is empty"),
        (f"{where}, prop links[2], prop url", JAVASCRIPT),
    ]
    assert all(p.location is None for p in found)
