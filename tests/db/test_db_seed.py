"""`seed_demo` creates users in every role, an organization and a project, once; a second run changes nothing."""

from __future__ import annotations

import pytest

from bgpub.db.enums import Role
from bgpub.db.models import (
    MODELS,
    Organization,
    OrganizationMember,
    Page,
    Project,
    SharedSection,
    User,
)
from bgpub.errors import InvalidInput
from bgpub.render import load_library, validate_props
from bgpub.services import seed
from bgpub.services.seed import seed_demo


def everything() -> dict[str, list[dict]]:
    """Every row of every table, for comparing whole contents."""
    return {m._meta.table_name: list(m.select().order_by(m.id).dicts()) for m in MODELS}


def test_seed_creates_the_demo_once(db, home):
    before = {t: len(rows) for t, rows in everything().items()}
    first = seed_demo(home)
    assert {
        "users": 4,
        "organizations": 1,
        "organization_members": 4,
    }.items() <= first.created.items()
    assert first.created["projects"] == 3 and first.created["pages"] >= 10
    after_first = everything()
    assert {
        t: len(r) - before[t] for t, r in after_first.items() if len(r) != before[t]
    } == first.created

    second = seed_demo(home)
    assert not second.changed and second.created == {}
    assert everything() == after_first


# Tables a user never sees, with why the demo leaves them empty.
INTERNAL = {
    "secret_key_fingerprints": "which key sealed the secrets: keyring bookkeeping, no screen or command shows rows",
    "visitor_salts": "the collector's daily salt for hashing visitors; never shown",
    "collector_keys": "the collector's signing keys; never shown",
    "collector_rate_counts": "per-minute rate-limit counters of the collector",
    "stripe_events": "Stripe webhook ids kept so a retried event is applied once",
    "publish_requests": "the queue between the collector and the publisher (a sell-out asks for a rebuild)",
    "webhook_deliveries": "written only when an event reaches a live endpoint; the demo's webhook never resolves, "
    "so seeding delivers nothing",
}


def test_seed_fills_every_user_visible_table(db, home):
    seed_demo(home)
    tables = {m._meta.table_name: m for m in MODELS}
    assert set(INTERNAL) <= set(tables), "an excluded table no longer exists"
    empty = sorted(t for t, m in tables.items() if t not in INTERNAL and m.select().count() == 0)
    assert empty == []


def test_the_seeded_projects_build(db, home, tmp_path):
    from bgpub.services import building

    seed_demo(home)
    owner = User.get(User.email == seed.OWNER_EMAIL)
    for name in ("bakery", "journal", "pottery"):
        out = tmp_path / name
        building.build_project(owner, f"demo-studio/{name}", out)
        assert (out / "index.html").is_file(), name
    bakery = (tmp_path / "bakery" / "index.html").read_text("utf-8")
    assert "Rosemary Bakery" in bakery and "<nav" in bakery and "<footer" in bakery


def test_seed_has_a_member_in_each_role_and_valid_pages(db):
    seed_demo()
    org = Organization.get(Organization.slug == "demo-studio")
    roles = {
        m.role for m in OrganizationMember.select().where(OrganizationMember.organization == org)
    }
    assert roles == set(Role)
    project = Project.get((Project.organization == org) & (Project.name == "bakery"))
    pages = list(Page.select().where(Page.project == project).order_by(Page.position))
    assert len(pages) >= 3 and sum(p.is_home for p in pages) == 1
    keys = {b["component"] for p in pages for b in p.blocks}
    assert {"hero", "rich-text", "feature-grid", "cta"} <= keys
    shared = {
        s.name: s.blocks for s in SharedSection.select().where(SharedSection.project == project)
    }
    assert [b["component"] for b in shared["header"]] == ["navbar"]  # lifted: defined once
    assert [b["component"] for b in shared["footer"]] == ["footer"]
    library = load_library()
    for page in pages:
        for n, block in enumerate(page.blocks):
            validate_props(
                library, block["component"], block["props"], f"{page.slug} block {n}", assets=()
            )


def test_seed_does_not_touch_edited_rows(db):
    seed_demo()
    page = Page.get(Page.slug == "about")
    page.title = "Our story"
    page.save()
    assert not seed_demo().changed
    assert Page.get_by_id(page.id).title == "Our story"


def test_a_bad_seed_value_writes_nothing(db, monkeypatch):
    monkeypatch.setattr(
        seed, "PAGES", [*seed.PAGES, {"slug": "../etc", "title": "x", "blocks": []}]
    )
    with pytest.raises(InvalidInput, match="slug"):
        seed_demo()
    assert User.select().where(User.email == seed.OWNER_EMAIL).count() == 0
    monkeypatch.setattr(
        seed,
        "PAGES",
        [{"slug": "x", "title": "x", "blocks": [{"component": "hero", "props": {"bogus": 1}}]}],
    )
    with pytest.raises(InvalidInput, match="bogus"):
        seed_demo()
    assert Organization.select().where(Organization.slug == "demo-studio").count() == 0
