"""Fixtures of the CLI tests: `bgpub(...)` runs the real entry point in-process on the test's database."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from bgpub.db.enums import SubscriptionTier
from bgpub.db.models import Organization, OrganizationMember

FIXTURE_COMPONENTS = Path(__file__).parents[1] / "services" / "fixtures" / "components"


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture(autouse=True)
def fixture_library(monkeypatch):
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
