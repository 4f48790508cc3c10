"""Subscription limits: how many projects and how many bytes of assets each tier allows, and how many
pages one import may create.

Services call `check_project_quota` before creating a project, `check_storage` before adding
asset bytes and `check_import_pages` before importing, before any write, so a refusal leaves
nothing behind.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TypedDict

from peewee import fn

from bgpub.db.enums import SubscriptionTier
from bgpub.db.models import Asset, Organization, Project
from bgpub.errors import InvalidInput, LimitExceeded

# Binary units, as the design document's storage query divides by 1024 * 1024.
MB = 1024 * 1024
GB = 1024 * MB


# Pages one import may create in a project, so that one file cannot fill a shared database;
# BGPUB_IMPORT_MAX_PAGES changes it.
IMPORT_MAX_PAGES = 50_000
IMPORT_MAX_PAGES_VARIABLE = "BGPUB_IMPORT_MAX_PAGES"


@dataclass(frozen=True)
class TierLimits:
    projects: int | None  # None: unlimited
    storage_bytes: int | None


LIMITS: dict[SubscriptionTier, TierLimits] = {
    SubscriptionTier.FREE: TierLimits(projects=1, storage_bytes=100 * MB),
    SubscriptionTier.STARTER: TierLimits(projects=3, storage_bytes=5 * GB),
    SubscriptionTier.PRO: TierLimits(projects=10, storage_bytes=50 * GB),
    SubscriptionTier.ENTERPRISE: TierLimits(projects=None, storage_bytes=None),
}


def limits_of(organization: Organization) -> TierLimits:
    return LIMITS[SubscriptionTier(organization.tier)]


def project_count(organization: Organization) -> int:
    return Project.select().where(Project.organization == organization).count()


def storage_used(organization: Organization) -> int:
    """Bytes of every asset of the organization (the design document's storage query)."""
    total = (
        Asset.select(fn.COALESCE(fn.SUM(Asset.size), 0))
        .where(Asset.organization == organization)
        .scalar()
    )
    return int(total or 0)


def human_bytes(count: int) -> str:
    for unit, size in (("GB", GB), ("MB", MB), ("kB", 1024)):
        if count >= size:
            value = count / size
            return f"{value:.0f} {unit}" if value == int(value) else f"{value:.1f} {unit}"
    return f"{count} B"


def check_project_quota(organization: Organization) -> None:
    """Raises LimitExceeded when one more project would exceed the tier."""
    allowed = limits_of(organization).projects
    if allowed is None:
        return
    used = project_count(organization)
    if used + 1 > allowed:
        raise LimitExceeded(
            f"the {organization.tier.value} tier allows {allowed} project(s) and "
            f"{used} exist; upgrade with 'bgpub org tier {organization.slug} TIER'",
            where=f"organization {organization.slug}",
        )


def check_storage(organization: Organization, extra_bytes: int) -> None:
    """Raises LimitExceeded when `extra_bytes` more of assets would exceed the tier's storage."""
    allowed = limits_of(organization).storage_bytes
    if allowed is None:
        return
    used = storage_used(organization)
    if used + extra_bytes > allowed:
        raise LimitExceeded(
            f"adding {human_bytes(extra_bytes)} would use {human_bytes(used + extra_bytes)} of the "
            f"{organization.tier.value} tier's {human_bytes(allowed)} of storage "
            f"({human_bytes(used)} used); upgrade with 'bgpub org tier {organization.slug} TIER'",
            where=f"organization {organization.slug}",
        )


class Usage(TypedDict):
    """What `usage` returns: counts in use, and the tier's allowance (None: unlimited)."""

    projects: int
    projects_allowed: int | None
    storage_bytes: int
    storage_allowed: int | None


def usage(organization: Organization) -> Usage:
    """Used and allowed projects and bytes, for `bgpub org show` and the TUI."""
    tier = limits_of(organization)
    return {
        "projects": project_count(organization),
        "projects_allowed": tier.projects,
        "storage_bytes": storage_used(organization),
        "storage_allowed": tier.storage_bytes,
    }


def import_page_limit() -> int:
    """BGPUB_IMPORT_MAX_PAGES (a positive integer) or IMPORT_MAX_PAGES."""
    raw = os.environ.get(IMPORT_MAX_PAGES_VARIABLE, "").strip()
    if not raw:
        return IMPORT_MAX_PAGES
    try:
        value = int(raw)
    except ValueError:
        value = 0
    if value < 1:
        raise InvalidInput(
            f"must be a positive whole number of pages, got {raw!r}",
            where=IMPORT_MAX_PAGES_VARIABLE,
        )
    return value


def check_import_pages(count: int, where: str) -> None:
    """Raises LimitExceeded when an import would create more pages than one import may."""
    allowed = import_page_limit()
    if count > allowed:
        raise LimitExceeded(
            f"the import holds {count} pages and one import may create at most {allowed} "
            f"(set {IMPORT_MAX_PAGES_VARIABLE} to change the limit)",
            where=where,
        )
