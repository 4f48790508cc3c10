"""Shared section services on both databases: editing the header once changes every page that shows it
(and only those re-render), references, opt-outs, and hostile input refused with nothing changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from section_support import FOOTER, NAVBAR, body

from bgpub.db.models import AuditLog, Page, Project, SharedSection
from bgpub.domain.locations import Location
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.services import building
from bgpub.services import sections as svc
from bgpub.services.section_lift import lift_sections

BRAND = {"component": "navbar", "props": {"brand": "Renamed Co"}}


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def state() -> tuple:
    """Everything a refused operation must leave alone."""
    return (
        sorted((s.name, str(s.blocks), s.revision) for s in SharedSection.select()),
        sorted(
            (p.slug, str(p.blocks), p.show_header, p.show_footer, p.revision) for p in Page.select()
        ),
        Project.get().revision,
    )


def test_editing_the_header_once_changes_every_page_and_rerenders_only_those(actor, site, tmp_path):
    lift_sections(actor, "demo")
    out = tmp_path / "out"
    building.build_project(actor, "demo", out)
    revision = Project.get().revision
    svc.set_section_blocks(actor, "demo", "header", [BRAND])
    assert Project.get().revision == revision + 1  # the preview refreshes
    report = building.build_project(actor, "demo", out)
    # every page showing the header, and the 404 page (its chrome is the home page's); not `landing`
    assert set(report.rendered_paths) == {
        "index.html",
        "about/index.html",
        "contact/index.html",
        "404.html",
    }
    files = tree(out)
    for path in ("index.html", "about/index.html", "contact/index.html"):
        assert b"Renamed Co" in files[path] and b">Acme<" not in files[path].split(b"<main")[0]
    assert b"Renamed Co" not in files["landing/index.html"]
    assert tree(out) == tree(building.build_project(actor, "demo", tmp_path / "full").out_dir)


def test_a_named_section_is_a_reference_rerendering_only_pages_that_place_it(actor, site, tmp_path):
    svc.create_section(actor, "demo", "offer", [body("Half price this week")])
    assert svc.place_section(actor, "demo", "about", "offer", at=1) == 1
    svc.place_section(actor, "demo", "contact", "offer")
    out = tmp_path / "out"
    building.build_project(actor, "demo", out)
    assert b"Half price this week" in (out / "about/index.html").read_bytes()
    svc.set_section_blocks(actor, "demo", "offer", [body("Free shipping")])
    report = building.build_project(actor, "demo", out)
    assert set(report.rendered_paths) == {"about/index.html", "contact/index.html"}
    assert b"Free shipping" in (out / "contact/index.html").read_bytes()
    assert Page.get(Page.slug == "about").blocks[1] == {
        "component": "section",
        "props": {"name": "offer"},
    }
    view = svc.show_section(actor, "demo", "offer")
    assert view.pages == ("about", "contact")


def test_a_page_opts_out_of_the_header_and_footer(actor, site, tmp_path):
    svc.set_section_blocks(actor, "demo", "header", [BRAND])
    svc.set_section_blocks(actor, "demo", "footer", [FOOTER])
    assert svc.set_page_regions(actor, "demo", "landing", show_header=False) == (False, True)
    building.build_project(actor, "demo", tmp_path / "out")
    landing = (tmp_path / "out/landing/index.html").read_bytes()
    assert b"Renamed Co" not in landing and b"\xc2\xa9 Acme" in landing
    assert b"Renamed Co" in (tmp_path / "out/index.html").read_bytes()
    assert AuditLog.select().where(AuditLog.action == "page.regions").count() == 1


def test_deleting_a_section_in_use_is_refused_naming_its_pages(actor, site):
    svc.create_section(actor, "demo", "offer", [body("x")])
    svc.place_section(actor, "demo", "about", "offer")
    svc.create_section(
        actor, "demo", "promo", [{"component": "section", "props": {"name": "offer"}}]
    )
    before = state()
    with pytest.raises(Conflict) as refused:
        svc.delete_section(actor, "demo", "offer")
    assert "page about" in refused.value.message and "section promo" in refused.value.message
    assert state() == before
    svc.set_section_blocks(actor, "demo", "header", [NAVBAR])
    with pytest.raises(Conflict, match="page home"):
        svc.delete_section(actor, "demo", "header")
    svc.delete_section(actor, "demo", "header", force=True)
    svc.delete_section(actor, "demo", "promo")
    assert {s.name for s in SharedSection.select()} == {"offer"}


def test_rename_follows_every_reference(actor, site):
    svc.create_section(actor, "demo", "offer", [body("x")])
    svc.create_section(
        actor, "demo", "promo", [{"component": "section", "props": {"name": "offer"}}]
    )
    svc.place_section(actor, "demo", "home", "offer", at=0)
    svc.rename_section(actor, "demo", "offer", "deal")
    assert Page.get(Page.slug == "home").blocks[0]["props"] == {"name": "deal"}
    assert SharedSection.get(SharedSection.name == "promo").blocks[0]["props"] == {"name": "deal"}
    with pytest.raises(InvalidInput):
        svc.rename_section(actor, "demo", "deal", "header")


def _ref(name: object) -> dict:
    return {"component": "section", "props": {"name": name}}


NAMES = [
    "nav\u200b",
    "\u202enav",
    "Nav",
    "",
    "a" * 64,
    "na v",
    "hé",
    "nav\n",
    "-nav",
    "nav\u3164",
    None,
    3,
    ["nav"],
]


def test_names_with_invisible_or_unsafe_characters_are_refused(actor, site):
    before = state()
    for name in NAMES:
        with pytest.raises(InvalidInput) as refused:
            svc.create_section(actor, "demo", name)
        assert refused.value.where and state() == before, name


def test_hostile_section_blocks_are_refused_with_nothing_changed(actor, site):
    svc.create_section(actor, "demo", "a", [body("a")])
    svc.create_section(actor, "demo", "b", [_ref("a")])
    for case in (
        "itself",
        "through another",
        "unknown",
        "huge",
        "bad props",
        "bad block",
        "not a list",
        "bad reference",
    ):
        _refused(actor, case)


def _refused(actor, case: str) -> None:
    blocks = {
        "itself": [_ref("a")],
        "through another": [body("x"), _ref("b")],
        "unknown": [_ref("nowhere")],
        "huge": [body("x")] * (svc.MAX_SECTION_BLOCKS + 1),
        "bad props": [{"component": "rich-text", "props": {"body": 3}}],
        "bad block": ["navbar"],
        "not a list": "navbar",
        "bad reference": [{"component": "section", "props": {"name": "b", "extra": 1}}],
    }[case]
    before = state()
    with pytest.raises(InvalidInput) as refused:
        svc.set_section_blocks(actor, "demo", "a", blocks)
    assert state() == before
    error = refused.value
    assert error.location is None or isinstance(error.location, Location)
    if case in ("itself", "through another"):
        assert (
            "would place itself" in error.message
            and "a -> b -> a" in error.message
            or "a -> a" in error.message
        )
    if case == "bad props":
        assert error.location == Location(
            "demo", block=1, component="rich-text", prop_path=("body",), section="a"
        )
        assert str(error.location) == "project demo, section a, block 1 (rich-text), prop body"


def test_unknown_sections_and_pages_are_not_found(actor, site):
    with pytest.raises(NotFound, match="bgpub section list demo"):
        svc.show_section(actor, "demo", "nowhere")
    with pytest.raises(NotFound):
        svc.place_section(actor, "demo", "about", "nowhere")
    svc.create_section(actor, "demo", "offer")
    with pytest.raises(NotFound):
        svc.place_section(actor, "demo", "no-such-page", "offer")
    with pytest.raises(Conflict):
        svc.create_section(actor, "demo", "offer")
    with pytest.raises(NotFound):
        svc.set_section_blocks(actor, "demo", "never-made", [])


def test_page_blocks_may_place_sections_through_the_block_service(actor, site):
    from bgpub.services.blocks import replace_blocks

    svc.create_section(actor, "demo", "offer", [body("x")])
    replace_blocks(actor, "demo", "about", [_ref("offer"), body("y")])
    with pytest.raises(InvalidInput):
        replace_blocks(actor, "demo", "about", [{"component": "section", "props": {"name": 3}}])


def test_a_section_created_meanwhile_is_a_conflict_not_a_driver_error(actor, site, monkeypatch):
    svc.create_section(actor, "demo", "offer")
    before = state()
    monkeypatch.setattr(
        SharedSection, "get_or_none", classmethod(lambda cls, *a, **k: None)
    )  # the race's view
    with pytest.raises(Conflict, match="created meanwhile"):
        svc.create_section(actor, "demo", "offer")
    monkeypatch.undo()
    assert state() == before
