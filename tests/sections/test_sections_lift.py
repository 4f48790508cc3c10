"""Lifting per-page navbars and footers into the shared header and footer: the site is byte-identical
before and after (on both databases, through a real build, and purely on every starter in every theme)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from section_support import FOOTER, NAVBAR, OTHER_NAVBAR, lifted

from bgpub.db.models import AuditLog, Page, SharedSection
from bgpub.services import building
from bgpub.services.section_lift import lift_sections
from bgpub.services.sections import list_sections


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def blocks_of(slug: str) -> list[dict]:
    return Page.get(Page.slug == slug).blocks


def test_lift_keeps_every_output_byte_identical(actor, site, tmp_path):
    building.build_project(actor, "demo", tmp_path / "before")
    before_rows = {p.slug: (p.updated_at, p.blocks) for p in Page.select()}

    dry = lift_sections(actor, "demo", dry_run=True)
    assert [(x.region, x.pages, x.opted_out) for x in dry.lifts] == [
        ("header", ("home", "about", "contact"), ("landing",)),
        ("footer", ("home", "about", "contact"), ("landing",)),
    ]
    assert {
        p.slug: (p.updated_at, p.blocks) for p in Page.select()
    } == before_rows  # dry run: nothing changed
    assert not SharedSection.select().exists()

    plan = lift_sections(actor, "demo")
    assert plan.lifts == dry.lifts
    assert [s.name for s in list_sections(actor, "demo")] == ["footer", "header"]
    assert SharedSection.get(SharedSection.name == "header").blocks == [NAVBAR]
    assert SharedSection.get(SharedSection.name == "footer").blocks == [FOOTER]
    assert [b["component"] for b in blocks_of("about")] == ["rich-text"]
    assert (
        blocks_of("landing")[0] == OTHER_NAVBAR
    )  # its own navbar stays, it opts out of the shared one
    landing = Page.get(Page.slug == "landing")
    assert (landing.show_header, landing.show_footer) == (False, False)
    assert {p.slug: p.updated_at for p in Page.select()} == {
        s: v[0] for s, v in before_rows.items()
    }
    audit = AuditLog.select().where(AuditLog.action == "section.lift").get()
    assert audit.summary["header"] == 3

    building.build_project(actor, "demo", tmp_path / "after")
    assert tree(tmp_path / "after") == tree(tmp_path / "before")

    again = lift_sections(actor, "demo")
    assert not again.changes and all("already has" in reason for reason in again.skipped)


def test_lift_leaves_a_navbar_no_two_pages_share(actor, site):
    from bgpub.services.blocks import replace_blocks

    for slug, brand in (("home", "A"), ("about", "B"), ("contact", "C")):
        replace_blocks(
            actor, "demo", slug, [{"component": "navbar", "props": {"brand": brand}}, FOOTER]
        )
    plan = lift_sections(actor, "demo")
    assert [x.region for x in plan.lifts] == ["footer"]
    assert any("no two pages share" in reason for reason in plan.skipped)


STARTERS = ["blog", "landing", "shop"]
THEMES = ["aurora", "midnight", "terracotta"]


@pytest.mark.parametrize("starter", STARTERS)
def test_every_starter_in_every_theme_renders_identically_once_lifted(starter):
    """Pure: the starter's snapshot, lifted as the service lifts it, renders to the same bytes."""
    import sys

    sys.path.insert(0, str(Path(__file__).parents[1] / "content"))
    from content_checks import load_starter, render

    snapshot, blobs = load_starter(starter)
    for theme in THEMES:
        original = dataclasses.replace(snapshot, theme=theme)
        shared = lifted(original)
        assert {s.name for s in shared.sections} == {"header", "footer"}
        assert not any(b.component in ("navbar", "footer") for p in shared.pages for b in p.blocks)
        expected, actual = render(original, theme, blobs), render(shared, theme, blobs)
        assert sorted(actual) == sorted(expected)
        assert [p for p in expected if expected[p] != actual[p]] == [], f"{starter} in {theme}"
