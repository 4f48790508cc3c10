"""A page's settings, declared once: each field says what kind of value it holds, how the form labels
it and how the command line spells it.

Every layer that copies, checks, stores, lists or edits page settings walks `PAGE_FIELDS` instead of
naming the fields, so adding a setting touches only the model, its migration, this class, the
snapshot and the templates that show it (issue 11). Field order is the form's order.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class FieldKind(StrEnum):
    """What a setting holds; each kind has one check (services), one widget (the editor's form) and
    one option shape (the command line)."""

    TEXT = "text"  # one line of plain text
    LONG_TEXT = "long_text"  # plain text that may span lines
    FLAG = "flag"  # true or false
    IMAGE_ASSET = "image_asset"  # the name of one of the project's image assets, '' for none
    URL = "url"  # an absolute http(s) address, '' for none


@dataclass(frozen=True)
class PageField:
    """How one setting is checked, shown and spelt; read from `PageSettings`' field metadata."""

    name: str
    kind: FieldKind
    label: str  # the form's label (a flag's checkbox text)
    help: str  # the command line's help
    default: str | bool
    max_length: int = 0  # text kinds: the longest value accepted (0: no limit but the kind's)
    off: str = ""  # a flag's command-line negation (`--index` beside `--noindex`)
    on: str = ""  # a flag's command-line name when it is not the field name (`--nav`)
    inverted: str = ""  # a flag the form shows as its opposite: the checkbox's name (`hide`)
    placeholder: str = ""  # the form's hint in an empty input; `{title}` is the page's title
    in_old_snapshots: bool = False  # written to JSON even at its default (older than that rule)

    @property
    def option(self) -> str:
        """The command-line option: `--seo-title`, or `--noindex/--index` for a flag."""
        name = "--" + (self.on or self.name).replace("_", "-")
        return f"{name}/--{self.off}" if self.kind is FieldKind.FLAG else name

    @property
    def widget_id(self) -> str:
        """The editor form's widget id for this field."""
        return "page-" + (self.inverted or self.name).replace("_", "-")


def _setting(default: str | bool, kind: FieldKind, label: str, help: str, **extra: Any) -> Any:
    """A `PageSettings` field: its default plus how it is checked and shown (`PageField`)."""
    return dataclasses.field(
        default=default,
        metadata={"page_field": dict(kind=kind, label=label, help=help, **extra)},
    )


def _default(field: dataclasses.Field[Any]) -> str | bool:
    default = field.default
    assert isinstance(default, str | bool), f"page setting {field.name} needs a default"
    return default


@dataclass(frozen=True)
class PageSettings:
    """The settings of one page, beside its slug, title, place and blocks."""

    seo_title: str = _setting(
        "",
        FieldKind.TEXT,
        "SEO title (the browser tab and search results; empty: the page title)",
        "The title search results and the browser tab show (empty: the page title).",
        max_length=200,
        placeholder="{title}",
        in_old_snapshots=True,
    )
    seo_description: str = _setting(
        "",
        FieldKind.LONG_TEXT,
        "SEO description (search results and link previews)",
        "The description search results and link previews show.",
        max_length=500,
        placeholder="one or two sentences",
        in_old_snapshots=True,
    )
    social_image: str = _setting(
        "",
        FieldKind.IMAGE_ASSET,
        "Social image (og:image, cropped to 1200x630; empty: the site's)",
        "The page's share image (og:image), an image asset; '' removes it.",
        max_length=200,
    )
    canonical_url: str = _setting(
        "",
        FieldKind.URL,
        "Canonical address (when this page is a copy of one elsewhere; empty: its own)",
        "The address search engines should credit for this page (rel=canonical, og:url); '' for"
        " its own.",
        max_length=2000,
        placeholder="https://example.com/original",
    )
    show_in_nav: bool = _setting(
        True,
        FieldKind.FLAG,
        "Hide from the navigation",
        "Show the page in the navigation or not.",
        on="nav",
        off="no-nav",
        inverted="hide",
        in_old_snapshots=True,
    )
    noindex: bool = _setting(
        False,
        FieldKind.FLAG,
        "Ask search engines not to index it (noindex)",
        "Ask search engines to skip the page (and leave it out of sitemap.xml), or not.",
        off="index",
    )
    show_header: bool = _setting(
        True,
        FieldKind.FLAG,
        "Show the site's shared header",
        "Show the site's shared header or not.",
        on="header",
        off="no-header",
    )
    show_footer: bool = _setting(
        True,
        FieldKind.FLAG,
        "Show the site's shared footer",
        "Show the site's shared footer or not.",
        on="footer",
        off="no-footer",
    )


PAGE_FIELDS: tuple[PageField, ...] = tuple(
    PageField(f.name, default=_default(f), **f.metadata["page_field"])
    for f in dataclasses.fields(PageSettings)
)
FIELD_NAMES: frozenset[str] = frozenset(f.name for f in PAGE_FIELDS)
ASSET_FIELDS: tuple[str, ...] = tuple(
    f.name for f in PAGE_FIELDS if f.kind is FieldKind.IMAGE_ASSET
)  # settings naming an asset: an asset rename rewrites them, its references list them


def page_field(name: str) -> PageField:
    """The description of setting `name` (KeyError when there is none)."""
    return _BY_NAME[name]


_BY_NAME = {f.name: f for f in PAGE_FIELDS}


def settings_of(source: object) -> PageSettings:
    """The settings read off anything that has them as attributes (a row, a snapshot page); missing
    or empty values read as the field's default."""
    values: dict[str, Any] = {}
    for f in PAGE_FIELDS:
        value = getattr(source, f.name, None)
        if value is None:
            continue
        values[f.name] = bool(value) if f.kind is FieldKind.FLAG else str(value)
    return PageSettings(**values)


def changed_settings(settings: PageSettings) -> dict[str, str | bool]:
    """The settings that differ from their defaults, by name, in field order."""
    return {f.name: value for f in PAGE_FIELDS if (value := getattr(settings, f.name)) != f.default}
