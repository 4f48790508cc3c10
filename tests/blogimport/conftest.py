"""Fixtures of the blog import tests: a PRO organization and an empty project `demo` (the real component
library, which has the rich-text component imported pages use)."""

from __future__ import annotations

import pytest

from bgpub.db.enums import SubscriptionTier
from bgpub.db.models import Organization, OrganizationMember, Project


@pytest.fixture
def org(actor) -> Organization:
    organization = (
        Organization.select().join(OrganizationMember).where(OrganizationMember.user == actor).get()
    )
    organization.tier = SubscriptionTier.PRO
    organization.save()
    return organization


@pytest.fixture
def project(actor, org) -> Project:
    from bgpub.services.projects import create_project

    return create_project(actor, "demo", title="Demo blog")
