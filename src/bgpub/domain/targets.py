"""Deploy targets as front ends see them: the target itself, its listing, its public address and a
reachability check; plain values, so no database row crosses into the CLI or the editor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bgpub.domain.enums import TargetKind


@dataclass(frozen=True)
class Target:
    """A target just added or updated: front ends echo what was stored, never the row itself."""

    project: str  # project name
    name: str
    kind: TargetKind
    config: dict[str, Any]  # the stored options (an integration is named, its keys never here)


@dataclass(frozen=True)
class TargetView:
    """One target as `bgpub target list/show` prints it: config with keys masked, what is live."""

    name: str
    kind: str
    location: str
    config: dict[str, Any]
    live_version: int | None
    base_url: str = ""  # the public URL a publish to it renders for ('' when none is known)


@dataclass(frozen=True)
class SiteAddress:
    """The public base URL of a publish and where it came from (for messages)."""

    base_url: str
    source: str


@dataclass(frozen=True)
class TargetCheck:
    """`bgpub target test`'s report: what was checked, what to worry about, where the target is."""

    kind: str
    location: str
    checks: list[str]
    warnings: list[str]
