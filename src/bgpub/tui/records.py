"""Plain, immutable records the screens hand to widgets: no models, no queries, safe across threads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bgpub.domain.props import PropSpec


@dataclass(frozen=True)
class OrganizationRow:
    slug: str
    name: str
    role: str
    full: str = ""  # why no project can be added (tier limit reached, with the command lifting it)


@dataclass(frozen=True)
class ProjectRow:
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
class PageRow:
    slug: str
    title: str
    is_home: bool = False
    show_in_nav: bool = True

    @property
    def url(self) -> str:
        """Where the page is served: the home page at `/`, never at `/home`."""
        return "/" if self.is_home else f"/{self.slug}"

    @property
    def search_key(self) -> str:
        return f"{self.title}\n{self.slug}".lower()


SUMMARY_NAMES = ("heading", "title", "name", "label", "question")


@dataclass(frozen=True)
class ComponentInfo:
    key: str
    name: str
    type: str
    description: str = ""
    props: tuple[PropSpec, ...] = ()
    summary: str = ""  # the manifest's `summary` prop, shown beside the block's name in the list

    def new_props(self) -> dict[str, Any]:
        return {p.name: p.empty_value() for p in self.props}

    def summary_props(self) -> tuple[str, ...]:
        """Props whose text identifies a block, best first: the declared `summary`, then the text props
        in the manifest's order (never the stored dict's order, which changes after a reload)."""
        texts = [p.name for p in self.props if p.type in ("text", "multiline", "markdown")]
        named = [n for n in SUMMARY_NAMES if n in texts]  # without a declared one: a heading beats an eyebrow
        ordered = ([self.summary] if self.summary else []) + named + texts
        return tuple(dict.fromkeys(ordered))


@dataclass(frozen=True)
class BlockData:
    component: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PageDocument:
    """A page as loaded for editing; `revision` is what a save names to detect concurrent edits."""

    project: str
    slug: str
    title: str
    revision: int
    blocks: tuple[BlockData, ...] = ()
    is_home: bool = False

    @property
    def url(self) -> str:
        """Where the page is served: the home page at `/`."""
        return "/" if self.is_home else f"/{self.slug}"


@dataclass(frozen=True)
class AssetRow:
    name: str
    type: str
    mime: str
    size: int
    alt: str = ""
    focus: tuple[float, float] | None = None  # focal point (x, y), 0..1; None: the middle


@dataclass(frozen=True)
class VersionRow:
    number: int
    created_at: datetime | None
    author: str
    message: str
    is_live: bool = False
    page_count: int = 0
    file_count: int = 0


@dataclass(frozen=True)
class DiffSummary:
    pages_added: tuple[str, ...] = ()
    pages_removed: tuple[str, ...] = ()
    pages_changed: tuple[str, ...] = ()
    files_added: int = 0
    files_changed: int = 0
    files_removed: int = 0
    site_changed: tuple[str, ...] = ()  # site-wide fields: theme, settings...
    files: tuple[tuple[str, str], ...] = ()  # (mark, path) of every file that differs: + added, ~ changed, - removed


@dataclass(frozen=True)
class PublishOutcome:
    version: int
    target: str
    location: str  # URL or path
    files_changed: int
    seconds: float


@dataclass(frozen=True)
class SiteSettings:
    title: str = ""
    description: str = ""
    custom_domain: str = ""
    seo_image: str = ""
    theme: str = ""
    theme_overrides: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class ThemeInfo:
    name: str
    label: str
    description: str = ""
    tokens: dict[str, str] = field(default_factory=dict)
