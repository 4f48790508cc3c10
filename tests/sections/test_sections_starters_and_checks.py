"""Projects made from a starter get their shared header and footer lifted at once; `bgpub check`
reports a problem in a shared section once, at the section, never once per page showing it."""

from __future__ import annotations

import pytest
from section_support import FOOTER, NAVBAR, body

from bgpub.db.models import AuditLog, Page, SharedSection
from bgpub.services import building
from bgpub.services.blocks import replace_blocks
from bgpub.services.importing import list_starters
from bgpub.services.pages import add_page
from bgpub.services.projects import create_project
from bgpub.services.section_lift import lift_sections
from bgpub.services.sections import set_section_blocks, show_section
from bgpub.services.site_checks import run_checks

BROKEN_NAVBAR = {
    "component": "navbar",
    "props": {"brand": "Acme", "links": [{"label": "Gone", "url": "/gone/"}]},
}


@pytest.fixture
def pro(actor):
    from bgpub.db.models import Organization, OrganizationMember

    org = (
        Organization.select().join(OrganizationMember).where(OrganizationMember.user == actor).get()
    )
    org.tier = "PRO"
    org.save()
    return org


@pytest.mark.parametrize("starter", ["landing", "blog", "shop"])
def test_a_starter_project_has_its_header_and_footer_lifted(actor, pro, starter, tmp_path):
    assert starter in list_starters()
    project = create_project(actor, "site", title="Site", starter=starter)
    sections = {
        s.name: s.blocks for s in SharedSection.select().where(SharedSection.project == project)
    }
    assert [b["component"] for b in sections["header"]] == ["navbar"]
    assert [b["component"] for b in sections["footer"]] == ["footer"]
    for page in Page.select().where(Page.project == project):
        components = [b["component"] for b in page.blocks]
        assert "navbar" not in components[:1] and "footer" not in components[-1:], page.slug
        assert page.show_header and page.show_footer
    assert AuditLog.select().where(AuditLog.action == "section.lift").count() == 1
    report = building.build_project(actor, "site", tmp_path / "out")
    home = (tmp_path / "out" / "index.html").read_text("utf-8")
    assert report is not None and "<nav" in home and "<footer" in home


def test_a_problem_in_the_shared_header_is_reported_once_at_the_section(actor, pro):
    create_project(actor, "demo", title="Demo")
    for slug in ("home", "about", "contact"):
        add_page(actor, "demo", slug, slug.title())
        replace_blocks(actor, "demo", slug, [BROKEN_NAVBAR, body(f"{slug} text"), FOOTER])
    copies = [f.where for f in run_checks(actor, "demo", only=["broken-link"])]
    assert copies == [
        f"page {s}, block 1 (navbar), prop links[1].url" for s in ("home", "about", "contact")
    ]

    lift_sections(actor, "demo")
    found = [f.where for f in run_checks(actor, "demo", only=["broken-link"])]
    assert found == ["section header, block 1 (navbar), prop links[1].url"]


def test_checks_read_section_blocks_that_no_page_holds(actor, pro):
    """Before, blocks inside shared sections were not checked at all: a broken link in the header
    went unreported on every page."""
    create_project(actor, "site", title="Site", starter="landing")
    header = show_section(actor, "site", "header")
    navbar = dict(header.blocks[0])
    navbar["props"] = {**navbar["props"], "links": [{"label": "Old", "url": "/old-page/"}]}
    set_section_blocks(actor, "site", "header", [navbar])
    found = [f for f in run_checks(actor, "site", only=["broken-link"])]
    assert [f.where for f in found] == ["section header, block 1 (navbar), prop links[1].url"]
    assert "/old-page/" in found[0].message


def test_the_section_lift_still_applies_to_projects_made_by_hand(actor, pro):
    create_project(actor, "demo", title="Demo")
    for slug in ("home", "about"):
        add_page(actor, "demo", slug, slug.title())
        replace_blocks(actor, "demo", slug, [NAVBAR, body(slug), FOOTER])
    assert (
        SharedSection.select().count() == 0
    )  # a blank project is not lifted behind the user's back
    assert len(lift_sections(actor, "demo").lifts) == 2
