"""The canonical plain-data form of a project: starter sites, export/import and versions all use it.

A snapshot is deterministic JSON (sorted keys, fixed indentation, no ids, no timestamps), so the same
project always serialises to the same bytes. Assets are referred to by name and carry the sha256 of
their bytes; the bytes themselves live in a content-addressed blob store beside the JSON.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field, fields
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar

from bgpub.domain.blocks import Block
from bgpub.domain.components import (
    SavedComponent as SavedComponent,
)  # re-exported: snapshots carry it
from bgpub.domain.page_fields import PAGE_FIELDS, FieldKind
from bgpub.errors import InvalidInput

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

_Record = TypeVar("_Record", bound="DataclassInstance")
_Item = TypeVar("_Item")
Reader = Callable[[Any, str], Any]  # (JSON value, its path) -> the value read; raises InvalidInput

FORMAT = 1
_PAGE_OPTIONAL = {f.name: f.default for f in PAGE_FIELDS if not f.in_old_snapshots}


@dataclass(frozen=True)
class PageSnapshot:
    slug: str
    title: str
    seo_title: str = ""
    seo_description: str = ""
    show_in_nav: bool = True
    is_home: bool = False
    blocks: tuple[Block, ...] = ()
    noindex: bool = False  # asks search engines to skip the page; written to JSON only when true
    show_header: bool = True  # shows the shared `header` section; written to JSON only when false
    show_footer: bool = True  # shows the shared `footer` section; written to JSON only when false
    social_image: str = ""  # asset name of the page's share image; written to JSON only when set
    canonical_url: str = ""  # the address credited for the page; written to JSON only when set


class StoredPage(PageSnapshot):
    """A page read from storage whose blocks are decoded from their JSON only when first read.

    `source_token` names the stored revision (it changes whenever the stored page changes), so the
    incremental renderer can recognise an unchanged page without reading its blocks. Equal to a
    `PageSnapshot` with the same fields.
    """

    source_token: str | None = None  # None after dataclasses.replace(): then only content counts
    updated_at: str = (
        ""  # the stored page's last edit (ISO 8601 UTC): the sitemap's lastmod; not in JSON or ==
    )

    @classmethod
    def from_row(
        cls,
        slug: str,
        title: str,
        is_home: bool,
        raw_blocks: Any,
        token: str,
        updated_at: str,
        settings: Iterable[tuple[str, Any]],
        components: tuple[str, ...] | None = None,
    ) -> StoredPage:
        """A page of stored columns; `settings` are (name, value) pairs of `PAGE_FIELDS`, already
        of their field's type. `raw_blocks` is JSON text, decoded data, or a memoryview
        of the text (a workspace cache's mapped bytes); `components`, when known, the component
        keys of its blocks in order (spares decoding them to answer `uses_component`)."""
        page = cls.__new__(cls)
        # a frozen dataclass without slots keeps its fields in __dict__: one update instead of an
        # object.__setattr__ per field (10,000 pages are read on every build)
        page.__dict__.update(
            settings,
            slug=slug,
            title=title,
            is_home=is_home,
            _raw_blocks=raw_blocks,
            _components=components,
            source_token=token,
            updated_at=updated_at,
        )
        return page

    @cached_property
    def blocks(self) -> tuple[Block, ...]:
        raw: Any = self.__dict__.get("_raw_blocks")
        if isinstance(raw, memoryview):
            raw = raw.tobytes()
        if isinstance(raw, str | bytes):
            raw = json.loads(raw)
        return tuple(Block(b.get("component", ""), b.get("props") or {}) for b in raw or [])

    @property
    def components(self) -> tuple[str, ...]:
        """Each block's component key, in order, without keeping the decoded blocks: known without
        decoding when read from the snapshot cache; the parent of a cold build needs only these (at
        100,000 pages the kept blocks were ~0.6 GB there); the worker that renders the page decodes it."""
        known = self.__dict__.get("_components")
        if known is not None and "blocks" not in self.__dict__:
            return tuple(known)
        if "blocks" in self.__dict__:
            return tuple([b.component for b in self.blocks])
        raw = self.__dict__.get("_raw_blocks")
        if isinstance(raw, memoryview):
            raw = raw.tobytes()
        if isinstance(raw, str | bytes):
            raw = json.loads(raw)
        return tuple([b.get("component", "") for b in raw or []])

    def uses_component(self, key: str) -> bool:
        """True when a block of this page is `key`; a text search first spares decoding most pages."""
        if "blocks" not in self.__dict__:
            known = self.__dict__.get("_components")
            if known is not None:
                return key in known
            raw = self.__dict__.get("_raw_blocks")
            if isinstance(raw, str) and f'"{key}"' not in raw:
                return False
        return any(b.component == key for b in self.blocks)

    def __getstate__(self) -> dict[str, Any]:
        """Pickles a mapped view of the blocks' text as bytes (a mapping cannot cross processes)."""
        state = dict(self.__dict__)
        raw = state.get("_raw_blocks")
        if isinstance(raw, memoryview):
            state["_raw_blocks"] = raw.tobytes()
        return state

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PageSnapshot):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in fields(PageSnapshot))

    __hash__ = PageSnapshot.__hash__


@dataclass(frozen=True)
class SectionSnapshot:
    """A shared section: `header` and `footer` frame every page that does not opt out; other names are
    placed by a page's `section` block (props {"name": ...}), rendered in its place."""

    name: str
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True)
class AssetSnapshot:
    name: str
    hash: str  # sha256 hex of the bytes
    mime: str
    size: int
    type: str = "IMAGE"
    alt: str = ""
    width: int | None = None
    height: int | None = None
    focus_x: float | None = (
        None  # focal point (0..1 from the left, top) crops centre on; JSON only when set
    )
    focus_y: float | None = None


@dataclass(frozen=True)
class CommentSnapshot:
    """A reader's comment on a post; plain text (escaped where shown), never Markdown or HTML."""

    author: str
    body: str
    date: str  # ISO 8601 UTC date-time, e.g. 2026-11-30T09:00:00Z
    status: str = "APPROVED"  # PENDING | APPROVED | SPAM: only APPROVED comments are ever rendered


@dataclass(frozen=True)
class PostSnapshot:
    slug: str
    title: str
    excerpt: str = ""
    body: str = ""  # Markdown
    date: str = ""  # ISO date, yyyy-mm-dd
    author: str = ""
    category: str = ""
    tags: tuple[str, ...] = ()
    cover: str | None = None  # asset name
    # The fields below are left out of the JSON while they hold their default, so snapshots written
    # before they existed keep their exact bytes.
    status: str = "PUBLISHED"  # DRAFT | SCHEDULED | PUBLISHED | ARCHIVED
    published_at: str = (
        ""  # ISO 8601 UTC date-time it went (or, SCHEDULED, goes) live; "" = midnight of `date`
    )
    updated_at: str = (
        ""  # ISO 8601 UTC date-time of the last edit after publishing; "" = never edited since
    )
    aliases: tuple[str, ...] = ()  # earlier slugs of the post: each gets a redirect to its URL
    comments: tuple[CommentSnapshot, ...] = ()


# PostSnapshot fields written only when they differ from these defaults.
_POST_OPTIONAL = {
    "status": "PUBLISHED",
    "published_at": "",
    "updated_at": "",
    "aliases": (),
    "comments": (),
}


@dataclass(frozen=True)
class VariantSnapshot:
    """A product's variant (size, colour...): its own SKU, price (None: the product's), stock, image."""

    name: str
    options: dict[str, str] = field(default_factory=dict)
    sku: str = ""
    price_cents: int | None = None
    stock: int | None = None  # None: not tracked
    image: str | None = None  # asset name
    payment_link: str = ""  # a Stripe Payment Link


@dataclass(frozen=True)
class ProductSnapshot:
    slug: str
    name: str
    price_cents: int
    currency: str = "EUR"
    description: str = ""  # Markdown
    image: str | None = None  # asset name: the first picture
    # The fields below are left out of the JSON while they hold their default, so snapshots written
    # before they existed keep their exact bytes.
    gallery: tuple[str, ...] = ()  # asset names of the pictures after the first
    status: str = "ACTIVE"  # DRAFT | ACTIVE | ARCHIVED: only ACTIVE products are published
    compare_at_cents: int | None = None
    sku: str = ""
    stock: int | None = None  # None: not tracked
    weight_grams: int | None = None
    tags: tuple[str, ...] = ()  # tags and collections
    payment_link: str = ""  # a Stripe Payment Link
    variants: tuple[VariantSnapshot, ...] = ()
    # the stored product's last edit (ISO 8601 UTC), the sitemap's lastmod: never in JSON, ==, repr
    updated_at: str = field(default="", compare=False, repr=False)


# ProductSnapshot (and VariantSnapshot) fields written only when they differ from these defaults.
_PRODUCT_OPTIONAL: dict[str, Any] = {
    "gallery": (),
    "status": "ACTIVE",
    "compare_at_cents": None,
    "sku": "",
    "stock": None,
    "weight_grams": None,
    "tags": (),
    "payment_link": "",
    "variants": (),
}
_VARIANT_OPTIONAL: dict[str, Any] = {
    "options": {},
    "sku": "",
    "price_cents": None,
    "stock": None,
    "image": None,
    "payment_link": "",
}


@dataclass(frozen=True)
class ProjectSnapshot:
    name: str
    title: str = ""
    description: str = ""
    language: str = "en"
    theme: str = "aurora"
    theme_overrides: dict[str, str] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    subdomain: str | None = None
    custom_domain: str | None = None
    pages: tuple[PageSnapshot, ...] = ()
    assets: tuple[AssetSnapshot, ...] = ()
    components: tuple[SavedComponent, ...] = ()
    posts: tuple[PostSnapshot, ...] = ()
    products: tuple[ProductSnapshot, ...] = ()
    categories: tuple[
        str, ...
    ] = ()  # blog category names, so a category without posts survives export
    sections: tuple[
        SectionSnapshot, ...
    ] = ()  # shared sections by name; JSON only when there are some
    format: int = FORMAT

    def to_dict(self) -> dict[str, Any]:
        """Plain data; a page setting newer than the rule (`PageField.in_old_snapshots` false)
        appears only when it differs from its default, so snapshots written before the setting
        existed keep their exact bytes."""
        data = asdict(self)
        for page in data["pages"]:
            for setting, unset in _PAGE_OPTIONAL.items():
                if page[setting] == unset:
                    del page[setting]
        if not data["sections"]:
            del data["sections"]
        for post in data["posts"]:
            for name, default in _POST_OPTIONAL.items():
                if post[name] == default:
                    del post[name]
        if not data["categories"]:
            del data["categories"]
        for asset in data["assets"]:
            for name in ("focus_x", "focus_y"):
                if asset[name] is None:
                    del asset[name]
        for product in data["products"]:
            del product["updated_at"]
            for variant in product["variants"]:
                for name, default in _VARIANT_OPTIONAL.items():
                    if variant[name] == default:
                        del variant[name]
            for name, default in _PRODUCT_OPTIONAL.items():
                if product[name] == default or product[name] == []:
                    del product[name]
        return data

    def to_json(self) -> bytes:
        """Byte-stable: the same snapshot always gives the same bytes."""
        text = json.dumps(self.to_dict(), sort_keys=True, indent=2, ensure_ascii=False)
        return (text + "\n").encode("utf-8")

    @classmethod
    def from_dict(cls, data: Any, where: str = "snapshot") -> ProjectSnapshot:
        return _read_project(data, where)

    @classmethod
    def from_json(cls, raw: bytes | str, where: str = "project.json") -> ProjectSnapshot:
        try:
            data = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"malformed JSON: {exc.msg}", where=f"{where}:{exc.lineno}") from exc
        return _read_project(data, where)

    def page(self, slug: str) -> PageSnapshot | None:
        return next((p for p in self.pages if p.slug == slug), None)

    def section(self, name: str) -> SectionSnapshot | None:
        return next((s for s in self.sections if s.name == name), None)


def _expect(value: Any, kind: type | tuple[type, ...], where: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise InvalidInput(f"expected {names}, got {type(value).__name__}", where=where)
    return value


def _record(
    cls: type[_Record], data: Any, where: str, nested: dict[str, Reader] | None = None
) -> _Record:
    """Builds a dataclass from a dict, refusing unknown keys and wrong shapes with the JSON path."""
    _expect(data, dict, where)
    known = cls.__dataclass_fields__
    unknown = sorted(set(data) - set(known))
    if unknown:
        raise InvalidInput(f"unknown key {unknown[0]!r}", where=where)
    kwargs: dict[str, Any] = {}
    for name, value in data.items():
        if nested and name in nested:
            kwargs[name] = nested[name](value, f"{where}.{name}")
        else:
            kwargs[name] = value
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise InvalidInput(f"missing a required key ({exc})", where=where) from exc


def _many(reader: Callable[[Any, str], _Item]) -> Callable[[Any, str], tuple[_Item, ...]]:
    def read(value: Any, where: str) -> tuple[_Item, ...]:
        _expect(value, list, where)
        return tuple(reader(item, f"{where}[{i}]") for i, item in enumerate(value))

    return read


def _read_block(data: Any, where: str) -> Block:
    block = _record(Block, data, where)
    _expect(block.component, str, f"{where}.component")
    _expect(block.props, dict, f"{where}.props")
    return block


_BLOCK_KEYS = frozenset(("component", "props"))


def _read_blocks(value: Any, where: str) -> tuple[Block, ...]:
    """Like `_many(_read_block)`, with a fast path for well-formed blocks (big projects load quickly)."""
    _expect(value, list, where)
    blocks = []
    for i, item in enumerate(value):
        if (
            type(item) is dict
            and item.keys() == _BLOCK_KEYS
            and type(item["component"]) is str
            and type(item["props"]) is dict
        ):
            blocks.append(Block(item["component"], item["props"]))
        else:  # the slow path names the exact problem
            blocks.append(_read_block(item, f"{where}[{i}]"))
    return tuple(blocks)


def _read_page(data: Any, where: str) -> PageSnapshot:
    page = _record(PageSnapshot, data, where, {"blocks": _read_blocks})
    for name in ("slug", "title"):
        _expect(getattr(page, name), str, f"{where}.{name}")
    for f in PAGE_FIELDS:
        _expect(
            getattr(page, f.name), bool if f.kind is FieldKind.FLAG else str, f"{where}.{f.name}"
        )
    return page


def _read_section(data: Any, where: str) -> SectionSnapshot:
    section = _record(SectionSnapshot, data, where, {"blocks": _read_blocks})
    _expect(section.name, str, f"{where}.name")
    return section


def _read_post(data: Any, where: str) -> PostSnapshot:
    strings = lambda v, w: tuple(_expect(v, list, w))  # noqa: E731
    return _record(
        PostSnapshot,
        data,
        where,
        {
            "tags": strings,
            "aliases": strings,
            "comments": _many(lambda d, w: _record(CommentSnapshot, d, w)),
        },
    )


def _read_product(data: Any, where: str) -> ProductSnapshot:
    strings = lambda v, w: tuple(_expect(v, list, w))  # noqa: E731
    return _record(
        ProductSnapshot,
        data,
        where,
        {
            "gallery": strings,
            "tags": strings,
            "variants": _many(lambda d, w: _record(VariantSnapshot, d, w)),
        },
    )


def _read_project(data: Any, where: str) -> ProjectSnapshot:
    project = _record(
        ProjectSnapshot,
        data,
        where,
        {
            "pages": _many(_read_page),
            "assets": _many(lambda d, w: _record(AssetSnapshot, d, w)),
            "components": _many(lambda d, w: _record(SavedComponent, d, w)),
            "posts": _many(_read_post),
            "products": _many(_read_product),
            "categories": lambda v, w: tuple(_expect(v, list, w)),
            "sections": _many(_read_section),
        },
    )
    if project.format != FORMAT:
        raise InvalidInput(
            f"unsupported snapshot format {project.format!r} (this bgpub reads {FORMAT})",
            where=where,
        )
    _expect(project.name, str, f"{where}.name")
    _expect(project.theme_overrides, dict, f"{where}.theme_overrides")
    _expect(project.settings, dict, f"{where}.settings")
    return project
