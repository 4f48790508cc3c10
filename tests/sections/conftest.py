"""Fixtures of the sections tests: a small site whose pages repeat the same navbar and footer."""

from __future__ import annotations

import pytest
from section_support import FOOTER, NAVBAR, OTHER_NAVBAR, body

from bgpub.db.enums import SubscriptionTier
from bgpub.db.models import Organization, OrganizationMember, Project


@pytest.fixture
def site(actor) -> Project:
    """`demo`: home, about and contact show NAVBAR first and FOOTER last; `landing` has its own navbar."""
    from bgpub.services import pages
    from bgpub.services.blocks import replace_blocks
    from bgpub.services.projects import create_project

    org = (
        Organization.select().join(OrganizationMember).where(OrganizationMember.user == actor).get()
    )
    org.tier = SubscriptionTier.PRO
    org.save()
    project = create_project(actor, "demo", title="Demo site")
    layout = {
        "home": [NAVBAR, body("Welcome home"), FOOTER],
        "about": [NAVBAR, body("About us"), FOOTER],
        "contact": [NAVBAR, body("Write to us"), FOOTER],
        "landing": [OTHER_NAVBAR, body("Special offer")],
    }
    for slug, blocks in layout.items():
        pages.add_page(actor, "demo", slug, slug.title())
        replace_blocks(actor, "demo", slug, blocks)
    return project
