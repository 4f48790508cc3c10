"""`seed_demo` creates users in every role, an organization and a project, once; a second run changes nothing."""

from __future__ import annotations

import pytest

from bgpub.db.enums import Role
from bgpub.db.models import MODELS, Organization, OrganizationMember, Page, Project, User
from bgpub.errors import InvalidInput
from bgpub.render import load_library, validate_props
from bgpub.services import seed
from bgpub.services.seed import seed_demo


def everything() -> dict[str, list[dict]]:
    """Every row of every table, for comparing whole contents."""
    return {m._meta.table_name: list(m.select().order_by(m.id).dicts()) for m in MODELS}


def test_seed_creates_the_demo_once(db):
    before = {t: len(rows) for t, rows in everything().items()}
    first = seed_demo()
    assert first.created == {"users": 4, "organizations": 1, "organization_members": 4, "projects": 1, "pages": 4}
    after_first = everything()
    assert {t: len(r) - before[t] for t, r in after_first.items() if len(r) != before[t]} == {
        **first.created, "audit_logs": 1}

    second = seed_demo()
    assert not second.changed and second.created == {}
    assert everything() == after_first


def test_seed_has_a_member_in_each_role_and_valid_pages(db):
    seed_demo()
    org = Organization.get(Organization.slug == "demo-studio")
    roles = {m.role for m in OrganizationMember.select().where(OrganizationMember.organization == org)}
    assert roles == set(Role)
    project = Project.get((Project.organization == org) & (Project.name == "bakery"))
    pages = list(Page.select().where(Page.project == project).order_by(Page.position))
    assert len(pages) >= 3 and sum(p.is_home for p in pages) == 1
    keys = {b["component"] for p in pages for b in p.blocks}
    assert {"navbar", "hero", "rich-text", "feature-grid", "cta", "footer"} <= keys
    library = load_library()
    for page in pages:
        for n, block in enumerate(page.blocks):
            validate_props(library, block["component"], block["props"], f"{page.slug} block {n}", assets=())


def test_seed_does_not_touch_edited_rows(db):
    seed_demo()
    page = Page.get(Page.slug == "about")
    page.title = "Our story"
    page.save()
    assert not seed_demo().changed
    assert Page.get_by_id(page.id).title == "Our story"


def test_a_bad_seed_value_writes_nothing(db, monkeypatch):
    monkeypatch.setattr(seed, "PAGES", [*seed.PAGES, {"slug": "../etc", "title": "x", "blocks": []}])
    with pytest.raises(InvalidInput, match="slug"):
        seed_demo()
    assert User.select().where(User.email == seed.OWNER_EMAIL).count() == 0
    monkeypatch.setattr(seed, "PAGES", [{"slug": "x", "title": "x",
                                         "blocks": [{"component": "hero", "props": {"bogus": 1}}]}])
    with pytest.raises(InvalidInput, match="bogus"):
        seed_demo()
    assert Organization.select().where(Organization.slug == "demo-studio").count() == 0
