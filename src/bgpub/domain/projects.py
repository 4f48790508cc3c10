"""A project as front ends list it, and its site-wide settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class ProjectRow:
    """One project in a list: enough to show and open it."""

    organization: str  # organization slug
    name: str
    title: str
    status: str
    page_count: int
    last_publish_at: datetime | None = None
    last_publish_by: str = ""

    @property
    def ref(self) -> str:
        """The qualified name services accept: `org-slug/name`."""
        return f"{self.organization}/{self.name}"


@dataclass(frozen=True)
class SiteSettings:
    """The project's site-wide fields a settings form edits."""

    title: str = ""
    description: str = ""
    custom_domain: str = ""
    seo_image: str = ""
    theme: str = ""
    theme_overrides: dict[str, str] = field(default_factory=dict)
