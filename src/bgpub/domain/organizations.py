"""An organization as a member sees it in a list: its name, the member's role, and whether it is full."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OrganizationRow:
    """One organization of the acting user, as the workspace lists it."""

    slug: str
    name: str
    role: str
    full: str = ""  # why no project can be added (tier limit reached, with the command lifting it)
