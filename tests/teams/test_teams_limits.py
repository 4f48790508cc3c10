"""Subscription limits: projects and storage per tier, refused with a clear error and nothing written."""

from __future__ import annotations

import pytest
from teams_world import ORG, PROJECT, ROLE_EMAILS

from bgpub.db.enums import AssetType, Role, SubscriptionTier
from bgpub.db.models import Asset, AuditLog, Organization, Project
from bgpub.errors import LimitExceeded
from bgpub.services import assets, limits, organizations, projects
from bgpub.services.limits import GB, MB


def _set_tier(tier: SubscriptionTier) -> None:
    Organization.update(tier=tier).where(Organization.slug == ORG).execute()


def _fill_storage(world, size: int) -> None:
    """An asset row of `size` bytes (storage is counted from asset sizes; no need for real bytes)."""
    org = world.organization()
    project = Project.get(Project.name == PROJECT)
    chunk = 1024 * MB  # assets.size is a 32-bit integer; the sum is not
    number = Asset.select().count()
    while size > 0:
        number += 1
        Asset.create(
            organization=org,
            project=project,
            name=f"big-{number}.bin",
            type=AssetType.DOCUMENT,
            mime="application/octet-stream",
            size=min(size, chunk),
            hash="0" * 64,
        )
        size -= chunk


@pytest.mark.parametrize(
    ("tier", "allowed"),
    [(SubscriptionTier.FREE, 1), (SubscriptionTier.STARTER, 3), (SubscriptionTier.PRO, 10)],
)
def test_project_quota_per_tier(world, tier, allowed):
    _set_tier(tier)
    owner = world.member(Role.OWNER)
    for number in range(2, allowed + 1):  # the world already has one project
        projects.create_project(owner, f"extra-{number}", organization=ORG)
    before = (Project.select().count(), AuditLog.select().count())
    with pytest.raises(
        LimitExceeded, match=rf"{tier.value} tier allows {allowed} project"
    ) as refused:
        projects.create_project(owner, "one-too-many", organization=ORG)
    assert "upgrade" in str(refused.value) and ORG in str(refused.value)
    assert (Project.select().count(), AuditLog.select().count()) == before
    assert limits.project_count(world.organization()) == allowed


def test_enterprise_has_no_project_limit(world):
    owner = world.member(Role.OWNER)
    for number in range(12):
        projects.create_project(owner, f"p{number}", organization=ORG)
    assert limits.project_count(world.organization()) == 13


@pytest.mark.parametrize(
    ("tier", "capacity"),
    [
        (SubscriptionTier.FREE, 100 * MB),
        (SubscriptionTier.STARTER, 5 * GB),
        (SubscriptionTier.PRO, 50 * GB),
    ],
)
def test_storage_limit_per_tier(world, tier, capacity):
    _set_tier(tier)
    used = limits.storage_used(world.organization())  # the world's notes.txt
    payload = b"twenty bytes of text"
    _fill_storage(world, capacity - used - len(payload))
    editor = world.member(Role.EDITOR)
    assets.add_asset(editor, PROJECT, payload, name="fits.txt")  # exactly at the limit
    assert limits.storage_used(world.organization()) == capacity
    before = (Asset.select().count(), AuditLog.select().count())
    with pytest.raises(LimitExceeded, match="storage") as refused:
        assets.add_asset(editor, PROJECT, b"x", name="over.txt")
    assert tier.value in str(refused.value)
    assert (Asset.select().count(), AuditLog.select().count()) == before


def test_enterprise_storage_is_unlimited_and_counted_per_organization(world):
    _fill_storage(world, 80 * GB)
    assets.add_asset(world.member(Role.EDITOR), PROJECT, b"more text\n", name="more.txt")
    other = Organization.get(Organization.slug == "other")
    assert limits.storage_used(other) == 0
    assert limits.storage_used(world.organization()) > 80 * GB


def test_downgrade_below_usage_is_refused(world):
    owner = world.member(Role.OWNER)
    projects.create_project(owner, "second", organization=ORG)
    with pytest.raises(LimitExceeded, match="FREE tier allows 1 project"):
        organizations.change_tier(owner, ORG, "FREE")
    assert world.organization().tier == SubscriptionTier.ENTERPRISE
    organizations.change_tier(owner, ORG, "STARTER")
    _fill_storage(world, 6 * GB)
    with pytest.raises(LimitExceeded, match="storage"):
        organizations.change_tier(owner, ORG, "STARTER")
    organizations.change_tier(owner, ORG, "PRO")
    assert world.organization().tier == SubscriptionTier.PRO


def test_cli_shows_usage_and_refusal(world, run_cli):
    _set_tier(SubscriptionTier.FREE)
    shown = run_cli("org", "show", ORG)
    assert "projects: 1 of 1" in shown.out and "of 100 MB" in shown.out
    refused = run_cli("org", "tier", ORG, "free", as_email=ROLE_EMAILS[Role.ADMIN])
    assert refused.code != 0 and "needs the OWNER role" in refused.err


def test_imports_and_starters_count_against_the_limits(world):
    _set_tier(SubscriptionTier.FREE)
    from bgpub.services import importing

    owner = world.member(Role.OWNER)
    before = Project.select().count()
    with pytest.raises(LimitExceeded, match="FREE tier allows 1 project"):
        importing.create_from_starter(owner, "landing-copy", "landing", organization=ORG)
    assert Project.select().count() == before
