"""Plain, immutable records the screens hand to widgets: no models, no queries, safe across threads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any


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


TEXT_TYPES = ("text", "multiline", "markdown", "url")
SUMMARY_NAMES = ("heading", "title", "name", "label", "question")


@dataclass(frozen=True)
class PropSpec:
    """One prop of a component's schema, as the props form needs it."""

    name: str
    type: str  # text | multiline | markdown | url | asset | number | boolean | choice | list
    required: bool = False
    default: Any = None
    help: str = ""
    max_length: int | None = None
    choices: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    fields: tuple[PropSpec, ...] = ()
    min_items: int | None = None
    max_items: int | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PropSpec:
        """Reads one `[[props]]` table of a component manifest."""
        return cls(
            name=str(data["name"]),
            type=str(data.get("type", "text")),
            required=bool(data.get("required", False)),
            default=data.get("default"),
            help=str(data.get("help", "") or ""),
            max_length=data.get("max_length"),
            choices=tuple(data.get("choices", ()) or ()),
            min=data.get("min"),
            max=data.get("max"),
            fields=tuple(cls.from_dict(f) for f in data.get("fields", ()) or ()),
            min_items=data.get("min_items"),
            max_items=data.get("max_items"),
        )

    def empty_value(self) -> Any:
        """The value a new block or list item starts with. Text starts empty (the default is its
        placeholder: sample copy must never be published because it was forgotten); a list starts
        with its minimum of empty items; settings (number, boolean, choice) keep their default."""
        if self.type in TEXT_TYPES:
            return ""
        if self.type == "list":
            count = self.min_items or (1 if self.required else 0)
            return [{f.name: f.empty_value() for f in self.fields} for _ in range(count)]
        if self.default is not None:
            return self.default
        return {
            "number": None,
            "boolean": False,
            "list": [],
            "asset": None,
            "choice": self.choices[0] if self.choices and self.required else None,
        }.get(self.type, "")

    def stored_default(self) -> Any:
        """What a block stored without this prop publishes (the renderer fills in the default)."""
        if self.default is not None:
            return self.default
        if self.type == "choice":
            return self.choices[0] if self.choices else None
        return None if self.type in ("number", "asset") else [] if self.type == "list" else (
            False if self.type == "boolean" else "")

    def placeholder(self) -> str:
        """What an empty field shows: the component's sample text, or what kind of value goes there."""
        sample = self.default if isinstance(self.default, str) and self.default.strip() else ""
        if self.type == "url":
            return f"e.g. {sample}" if sample else "https://… or /page/"
        if self.type == "number":
            return "a number"
        return f"e.g. {sample.splitlines()[0]}" if sample else ""


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
