"""Members of an organization as front ends see them: who, with which role, and their own database
login; plain values, so no membership row crosses into the CLI or the editor."""

from __future__ import annotations

from dataclasses import dataclass

from bgpub.domain.enums import Role


@dataclass(frozen=True)
class Member:
    """A membership just added or changed: what `bgpub member add/role` report back."""

    organization: str  # organization slug
    email: str
    name: str
    role: Role


@dataclass(frozen=True)
class MemberView:
    """One line of `bgpub member list`: the member, their role, their own database login if any."""

    email: str
    name: str
    role: str
    db_role: str | None
