"""Fixtures of the image tests on the database: a PRO organization, a project, the CLI in-process."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bgpub.db.enums import SubscriptionTier
from bgpub.db.models import Organization, OrganizationMember, Project


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture
def org(actor) -> Organization:
    organization = (
        Organization.select().join(OrganizationMember).where(OrganizationMember.user == actor).get()
    )
    organization.tier = SubscriptionTier.PRO  # room for photos
    organization.save()
    return organization


@pytest.fixture
def project(actor, org) -> Project:
    from bgpub.services.projects import create_project

    return create_project(actor, "demo", title="Slow Miles")


@pytest.fixture
def bgpub(db_target, org, capsys):
    """Runs `bgpub ARGS...` through `bgpub.cli.main` on the test's database."""
    from bgpub.cli import main

    def run(*args: str) -> Outcome:
        capsys.readouterr()
        try:
            main(["--database-url", db_target.url, *map(str, args)])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run
