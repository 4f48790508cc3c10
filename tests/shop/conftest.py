"""Fixtures of the shop tests: a PRO organization, a project with two image assets, `bgpub(...)`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from shop_support import PNG

from bgpub.db.enums import SubscriptionTier
from bgpub.db.models import Organization, OrganizationMember, Project

FIXTURE_COMPONENTS = Path(__file__).parents[1] / "services" / "fixtures" / "components"


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
    organization.tier = SubscriptionTier.PRO
    organization.save()
    return organization


@pytest.fixture
def project(actor, org, monkeypatch) -> Project:
    from bgpub.services.assets import add_asset
    from bgpub.services.projects import create_project

    monkeypatch.setenv("BGPUB_COMPONENTS_PATH", str(FIXTURE_COMPONENTS))
    made = create_project(actor, "shop", title="Kiln & Co")
    add_asset(actor, "shop", PNG, name="mug.png")
    add_asset(actor, "shop", PNG, name="mug-side.png")
    return made


@pytest.fixture
def bgpub(db_target, org, capsys):
    """Runs `bgpub ARGS...` through `bgpub.cli.main` (errors as `error: ...` on stderr, exit codes)."""
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
