"""Page templates: saved from a page, listed per organization, new pages made from them, removed;
refusals (bad names, duplicates, VIEWERs, missing templates) write nothing. Both databases."""

from __future__ import annotations

import pytest
from services_support import counts

from bgpub.db.enums import Role
from bgpub.db.models import AuditLog, OrganizationMember, PageTemplate, User
from bgpub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from bgpub.services import blocks, pages
from bgpub.services.page_templates import (
    NewPage,
    PageTemplateView,
    add_page_from_template,
    list_page_templates,
    remove_page_template,
    save_page_template,
)
from bgpub.services.projects import create_project


@pytest.fixture
def pricing(actor, project) -> str:
    pages.add_page(actor, "demo", "home", "Home")
    pages.add_page(actor, "demo", "pricing", "Pricing", seo_description="Plans and prices")
    blocks.add_block(actor, "demo", "pricing", "hero", {"heading": "Simple prices"})
    blocks.add_block(
        actor,
        "demo",
        "pricing",
        "features",
        {"title": "Plans", "items": [{"name": "Basic", "body": "Small <b>sites</b>"}]},
    )
    return "pricing"


def test_save_list_and_start_a_page_from_a_template(actor, project, pricing):
    saved = save_page_template(actor, "demo", pricing, "pricing-page", description="Plans table")
    assert isinstance(saved, PageTemplateView)
    assert saved.components == ("hero", "features") and saved.source == "demo/pricing"
    assert saved.title == "Pricing" and saved.seo_description == "Plans and prices"
    assert [t.name for t in list_page_templates(actor, "demo")] == ["pricing-page"]

    made = add_page_from_template(actor, "demo", "pricing-page", "prices-2027", "Prices 2027")
    assert made == NewPage("prices-2027", "Prices 2027", 2, False, 2, "pricing-page")
    page = pages.get_page(actor, "demo", "prices-2027")
    assert page.blocks == pages.get_page(actor, "demo", "pricing").blocks
    assert page.seo_description == "Plans and prices"
    actions = [a.action for a in AuditLog.select().order_by(AuditLog.created_at, AuditLog.id)]
    assert "page_template.save" in actions and actions[-1] == "page_template.use"

    # the new page is a copy: editing it leaves the template alone
    blocks.set_props(actor, "demo", "prices-2027", 0, {"heading": "Changed"})
    assert list_page_templates(actor, "demo")[0].blocks[0]["props"]["heading"] == "Simple prices"


def test_the_title_defaults_to_the_templates(actor, project, pricing):
    save_page_template(actor, "demo", pricing, "pricing-page")
    assert add_page_from_template(actor, "demo", "pricing-page", "p2").title == "Pricing"


def test_templates_belong_to_the_organization(actor, project, pricing):
    """Saved in one project, offered in every project of the organization (like saved components)."""
    save_page_template(actor, "demo", pricing, "pricing-page")
    create_project(actor, "other", title="Other")
    assert [t.name for t in list_page_templates(actor, "other")] == ["pricing-page"]
    made = add_page_from_template(actor, "other", "pricing-page", "pricing")
    assert made.blocks == 2 and made.is_home  # the first page of a project is its home page


def test_replace_needs_saying_so(actor, project, pricing):
    save_page_template(actor, "demo", pricing, "pricing-page")
    with pytest.raises(Conflict, match="already exists"):
        save_page_template(actor, "demo", "home", "pricing-page")
    replaced = save_page_template(actor, "demo", "home", "pricing-page", replace=True)
    assert replaced.blocks == () and replaced.title == "Home"
    assert PageTemplate.select().count() == 1


@pytest.mark.parametrize(
    "name",
    ["", "Pricing Page", "../etc", "a" * 64, "pricing[b]", "pri\u200bcing", "<script>", "ca$h.*"],
)
def test_bad_names_are_refused_and_write_nothing(actor, project, pricing, name):
    before = counts()
    with pytest.raises(InvalidInput, match="template name"):
        save_page_template(actor, "demo", pricing, name)
    assert counts() == before and PageTemplate.select().count() == 0


def test_unknown_template_and_page_are_not_found(actor, project, pricing):
    with pytest.raises(NotFound, match="none saved yet"):
        add_page_from_template(actor, "demo", "nope", "x")
    with pytest.raises(NotFound):
        save_page_template(actor, "demo", "no-such-page", "t")
    save_page_template(actor, "demo", pricing, "pricing-page")
    with pytest.raises(NotFound, match="pricing-page"):
        remove_page_template(actor, "demo", "nope")


def test_a_taken_slug_leaves_no_half_page(actor, project, pricing):
    save_page_template(actor, "demo", pricing, "pricing-page")
    before = counts()
    with pytest.raises(Conflict, match="slug"):
        add_page_from_template(actor, "demo", "pricing-page", "pricing")
    assert counts() == before


def test_remove_keeps_pages_made_from_it(actor, project, pricing):
    save_page_template(actor, "demo", pricing, "pricing-page")
    add_page_from_template(actor, "demo", "pricing-page", "copy")
    remove_page_template(actor, "demo", "pricing-page")
    assert list_page_templates(actor, "demo") == []
    assert len(pages.get_page(actor, "demo", "copy").blocks) == 2
    assert AuditLog.select().where(AuditLog.action == "page_template.remove").count() == 1


def test_a_viewer_lists_but_does_not_change(actor, org, project, pricing):
    save_page_template(actor, "demo", pricing, "pricing-page")
    viewer = User.create(email="viewer@example.com", name="Viewer")
    OrganizationMember.create(organization=org, user=viewer, role=Role.VIEWER)
    assert [t.name for t in list_page_templates(viewer, "demo")] == ["pricing-page"]
    before = counts()
    for attempt in (
        lambda: save_page_template(viewer, "demo", pricing, "mine"),
        lambda: remove_page_template(viewer, "demo", "pricing-page"),
        lambda: add_page_from_template(viewer, "demo", "pricing-page", "x"),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert counts() == before and PageTemplate.select().count() == 1


def test_an_outsider_does_not_see_the_templates(actor, project, pricing):
    save_page_template(actor, "demo", pricing, "pricing-page")
    outsider = User.create(email="outsider@example.com", name="Outsider")
    with pytest.raises(NotFound):
        list_page_templates(outsider, f"{project.organization.slug}/demo")
