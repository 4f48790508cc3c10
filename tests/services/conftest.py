"""Fixtures of the services tests: a small fixture component library, a PRO organization, a project."""

from __future__ import annotations

from pathlib import Path

import pytest

from bgpub.db.enums import SubscriptionTier
from bgpub.db.models import Organization, OrganizationMember, Project

FIXTURE_COMPONENTS = Path(__file__).parent / "fixtures" / "components"


@pytest.fixture(autouse=True)
def fixture_library(request, monkeypatch):
    """Tests use their own three components (hero, features, counter), not the evolving library;
    a module marked `real_components` uses the repository's components/ (list props, forms...)."""
    if request.node.get_closest_marker("real_components") is not None:
        monkeypatch.delenv("BGPUB_COMPONENTS_PATH", raising=False)
        return None
    monkeypatch.setenv("BGPUB_COMPONENTS_PATH", str(FIXTURE_COMPONENTS))
    return FIXTURE_COMPONENTS


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

    return create_project(actor, "demo", title="Demo site")
