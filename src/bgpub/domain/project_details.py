"""A project as front ends see it: its site-wide fields after creating, showing or changing it, and
its line in `bgpub project list`; plain values, so no project row crosses into a front end."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bgpub.domain.enums import ProjectStatus


@dataclass(frozen=True)
class ProjectDetails:
    """One project's settings (what `bgpub project show` prints and the editor's forms start from)."""

    organization: str  # organization slug
    name: str
    title: str
    theme: str
    status: ProjectStatus
    revision: int
    description: str = ""
    language: str = "en"
    subdomain: str = ""
    custom_domain: str = ""
    theme_overrides: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    pages: int = 0
    organization_id: str = ""  # the key `library.saved_components_of` takes
    id: str = ""  # the project's key: the preview watches its changes by it

    @property
    def ref(self) -> str:
        """The qualified name services accept: `org-slug/name`."""
        return f"{self.organization}/{self.name}"


@dataclass(frozen=True)
class ProjectSummary:
    """One row of `bgpub project list`."""

    name: str
    organization: str
    title: str
    theme: str
    status: str
    pages: int
    revision: int
    updated_at: datetime | None
    published_at: datetime | None
    last_version: int | None
    live_version: int | None = None  # the version of the latest successful deployment
    last_author: str = ""  # e-mail of who published last_version (empty: unknown or deleted user)

    @property
    def ref(self) -> str:
        return f"{self.organization}/{self.name}"
