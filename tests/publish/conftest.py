"""Fixtures of the publish tests: a project of N pages built through the services, and helpers."""

from __future__ import annotations

import pytest
from tests.publish.cli_forks import ForkServer
from tests.publish.sites import REPO, make_project

from bgpub.db.enums import SubscriptionTier
from bgpub.db.models import Organization, OrganizationMember


@pytest.fixture(autouse=True)
def repository_library(monkeypatch):
    """Publish tests render with the repository's own components and themes."""
    monkeypatch.setenv("BGPUB_COMPONENTS_PATH", str(REPO / "components"))
    monkeypatch.setenv("BGPUB_THEMES_PATH", str(REPO / "themes"))


@pytest.fixture
def org(actor) -> Organization:
    organization = (
        Organization.select().join(OrganizationMember).where(OrganizationMember.user == actor).get()
    )
    organization.tier = SubscriptionTier.PRO
    organization.save()
    return organization


@pytest.fixture
def project(actor, org):
    return make_project(actor, "demo", pages=4)


@pytest.fixture(scope="module")
def forks():
    """A fork server for the module's `python -m bgpub` processes that tests kill (cli_forks.py)."""
    server = ForkServer()
    yield server
    server.close()
