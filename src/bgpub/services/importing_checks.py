"""The checks an imported snapshot must pass before anything is written (the same rules as editing).

Each failure is one InvalidInput naming the file and the JSON path (`pages[3].slug`) or the block
(`project demo, page about, block 2 (hero), prop image`).
"""

from __future__ import annotations

import dataclasses
import functools
import operator
import re
import types
import typing
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from typing import Any

from bgpub.db.enums import AssetType, CommentStatus, PostStatus
from bgpub.domain.page_fields import PAGE_FIELDS
from bgpub.errors import BgpubError, InvalidInput
from bgpub.render.components import ComponentLibrary, block_where, validate_props
from bgpub.render.sections import SECTION_BLOCK
from bgpub.render.themes import validate_overrides
from bgpub.services import post_fields, validation
from bgpub.services.assets import NAME_RE, TYPE_OF_MIME, detect
from bgpub.services.library import check_defaults
from bgpub.services.page_setting_checks import check_page_setting
from bgpub.services.projects import check_language, check_settings, check_theme
from bgpub.services.section_imports import check_reference, check_sections
from bgpub.snapshot import PostSnapshot, ProjectSnapshot

CURRENCY_RE = re.compile(r"^[A-Z]{3}$")
INT32 = (-(2**31), 2**31 - 1)  # IntegerField
INT64 = (-(2**63), 2**63 - 1)  # BigIntegerField, and any other integer an import may hold
# JSON paths (list indexes as []) of integers stored in 32-bit IntegerField columns.
INT32_PATHS = frozenset(
    {"assets[].width", "assets[].height", "assets[].size", "products[].price_cents"}
)


# The JSON type of each setting (the snapshot holds settings as a plain object).
SETTINGS_TYPES: dict[str, Any] = {"base_url": str, "seo_image": str | None, "footer_note": str}


def check_shape(data: Any, where: str) -> None:
    """Every field of a parsed project.json has the JSON type the snapshot needs, or one InvalidInput
    names its path and both types ("settings.footer_note must be a string, got a list")."""
    try:
        _checker(ProjectSnapshot)(data)
    except _Mismatch as wrong:
        path = "".join(wrong.path).lstrip(".") or "the document"
        raise InvalidInput(f"{path} {wrong.problem}", where=where) from None


class _Mismatch(Exception):
    """A wrong shape; the path is built on the way out, so well-formed input pays nothing for it."""

    def __init__(self, problem: str):
        super().__init__(problem)
        self.problem = problem
        self.path: list[str] = []

    def at(self, part: str) -> _Mismatch:
        self.path.insert(0, part)
        return self


Check = Callable[[Any], None]
_EXACT = {str: str, bool: bool, dict[str, Any]: dict}


@cache
def _checker(kind: Any, setting_types: bool = False) -> Check:
    """A function that raises _Mismatch when a JSON value does not have type `kind` (built once per type)."""
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if kind is Any:
        return lambda value: None
    if origin in (typing.Union, types.UnionType):
        options = [(_test(option), _checker(option)) for option in args]

        def union(value: Any) -> None:
            for fits, check in options:
                if fits(value):
                    return check(value)
            raise _Mismatch(f"must be {_expected(kind)}, got {validation.json_kind(value)}")

        return union
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _record_checker(kind)
    if origin is tuple:
        item = _checker(args[0])

        def sequence(value: Any) -> None:
            if not isinstance(value, list | tuple):
                raise _Mismatch(f"must be a list, got {validation.json_kind(value)}")
            for i, element in enumerate(value):
                try:
                    item(element)
                except _Mismatch as wrong:
                    raise wrong.at(f"[{i}]") from None

        return sequence
    if origin is dict:
        return _mapping_checker(args[1], setting_types)

    fits = _test(kind)

    def plain(value: Any) -> None:
        if not fits(value):
            raise _Mismatch(f"must be {_expected(kind)}, got {validation.json_kind(value)}")

    return plain


def _record_checker(kind: type) -> Check:
    hints = typing.get_type_hints(kind)
    fields = {
        f.name: (
            _checker(hints[f.name], f.name == "settings"),
            hints[f.name],
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(kind)
        if not f.name.startswith("_")
    }
    required = {name for name, (_, _, needed) in fields.items() if needed}
    # Fields whose exact Python type settles them (a string, true/false, an object of anything): the
    # common case, checked without a call (a big import has hundreds of thousands of blocks).
    exact = {
        name: _EXACT[hints[name]] for name in fields if hints[name] in _EXACT and name != "settings"
    }

    def record(value: Any) -> None:
        if not isinstance(value, dict):
            raise _Mismatch(f"must be an object, got {validation.json_kind(value)}")
        if not value.keys() <= fields.keys():
            key = next(k for k in value if k not in fields)
            raise _Mismatch(f"is not a known key (known: {', '.join(fields)})").at(f".{key}")
        if not required <= value.keys():
            name = next(n for n in fields if n in required and n not in value)
            raise _Mismatch(f"is missing: {_expected(fields[name][1])} is required").at(f".{name}")
        for name, element in value.items():
            if type(element) is exact.get(name):
                continue
            try:
                fields[name][0](element)
            except _Mismatch as wrong:
                raise wrong.at(f".{name}") from None

    return record


def _mapping_checker(item_kind: Any, setting_types: bool) -> Check:
    item = _checker(item_kind)

    def mapping(value: Any) -> None:
        if not isinstance(value, dict):
            raise _Mismatch(f"must be an object, got {validation.json_kind(value)}")
        for key, element in value.items():
            try:
                (_checker(SETTINGS_TYPES.get(key, Any)) if setting_types else item)(element)
            except _Mismatch as wrong:
                raise wrong.at(f".{key}") from None

    return mapping


def _test(kind: Any) -> Callable[[Any], bool]:
    """Whether a JSON value is of type `kind` at its top level (a bool is not an integer)."""
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        tests = [_test(k) for k in typing.get_args(kind)]
        return lambda value: any(test(value) for test in tests)
    if kind is int:
        return lambda value: isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return lambda value: isinstance(value, int | float) and not isinstance(value, bool)
    if kind is type(None):
        return lambda value: value is None
    python = (
        dict
        if dataclasses.is_dataclass(kind) or origin is dict
        else list | tuple
        if origin is tuple
        else kind
    )
    return lambda value: isinstance(value, python)


def _expected(kind: Any) -> str:
    """What a field must be, in the words of JSON."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        return " or ".join(_expected(k) for k in typing.get_args(kind))
    if dataclasses.is_dataclass(kind) or kind is dict or typing.get_origin(kind) is dict:
        return "an object"
    if typing.get_origin(kind) is tuple:
        return "a list"
    return {
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "true or false",
        type(None): "null",
    }.get(kind, f"a {getattr(kind, '__name__', kind)}")


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:100] or "item"


# Imported fields that are prose, not names: they may hold line breaks (see validation.required_text).
MULTILINE_FIELDS = frozenset(
    {"description", "seo_description", "excerpt", "alt", "footer_note", "body"}
)


def _text(
    value: Any, field: str, where: str, *, required: bool = False, max_length: int = 200
) -> str:
    if not isinstance(value, str):
        raise InvalidInput(
            f"{field} must be a string, got {validation.json_kind(value)}", where=where
        )
    multiline = field in MULTILINE_FIELDS
    if required:
        return validation.required_text(
            value, field, max_length=max_length, where=where, multiline=multiline
        )
    return validation.optional_text(
        value, field, max_length=max_length, where=where, multiline=multiline
    )


def _flag(value: Any, field: str, where: str) -> None:
    if not isinstance(value, bool):
        raise InvalidInput(
            f"{field} must be true or false, got {validation.json_kind(value)}", where=where
        )


_STORED_VALUES: dict[type, Callable[[Any], tuple[Any, ...]]] = {}  # by dataclass


def _stored_values(value: Any) -> tuple[Any, ...]:
    """The values of a dataclass's checked fields (not `_private` ones nor `source_token`), read by
    one `attrgetter` made once per class: 800,000 blocks in a 100,000-page import."""
    kind = type(value)
    read = _STORED_VALUES.get(kind)
    if read is None:
        names = [
            f.name
            for f in dataclasses.fields(value)
            if not f.name.startswith("_") and f.name != "source_token"
        ]
        if len(names) > 1:
            read = operator.attrgetter(*names)  # a tuple of their values
        else:  # attrgetter of one name gives the value itself, of none fails
            read = functools.partial(_values_of, names)
        _STORED_VALUES[kind] = read
    return read(value)


def _values_of(names: list[str], item: Any) -> tuple[Any, ...]:
    return tuple(getattr(item, name) for name in names)


def _plainly_storable(value: Any) -> bool:
    """True when nothing in `value` needs a closer look: no NUL, no lone surrogate, every integer
    inside 32 bits. A walk without paths: building one for each of a large import's million values
    cost more than checking them (bench/publish_bench.py); a False sends `check_storable` through
    again with paths, to name the place. Exact built-in types are recognised by `type(...) is`
    first (an ABC's isinstance was 4% of an import); anything else takes the general checks."""
    pending = [value]
    pop, extend = pending.pop, pending.extend
    low, high = INT32
    while pending:
        item = pop()
        kind = type(item)
        if kind is str:
            if "\x00" in item or not (item.isascii() or _encodes(item)):
                return False
        elif kind is dict:
            extend(item)  # its keys
            extend(item.values())
        elif kind is list or kind is tuple:
            extend(item)
        elif item is None or kind is bool or kind is float:
            continue
        elif kind is int:
            if not low <= item <= high:
                return False
        elif isinstance(item, str):
            if "\x00" in item or not (item.isascii() or _encodes(item)):
                return False
        elif isinstance(item, bool | float):
            continue
        elif isinstance(item, int):
            if not low <= item <= high:
                return False
        elif isinstance(item, Mapping):
            extend(item.keys())
            extend(item.values())
        elif isinstance(item, list | tuple):
            extend(item)
        elif dataclasses.is_dataclass(item):
            extend(_stored_values(item))
    return True


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def check_storable(value: Any, where: str, path: str = "") -> None:
    """Every string must encode as UTF-8 without NUL, every integer must fit its column: otherwise the
    database driver fails mid-write (UnicodeEncodeError, OverflowError, PostgreSQL's DataError)."""
    if not path and _plainly_storable(value):
        return
    _check_storable(value, where, path)


def _check_storable(value: Any, where: str, path: str = "") -> None:
    """`check_storable` with the path of every value, to name where a problem is."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise InvalidInput(
                "is not valid Unicode text (a lone surrogate such as \\ud800)",
                where=f"{where}: {path or 'value'}",
            ) from None
        if "\x00" in value:
            raise InvalidInput(
                "contains a NUL character (U+0000)", where=f"{where}: {path or 'value'}"
            )
    elif isinstance(value, bool) or value is None or isinstance(value, float):
        return
    elif isinstance(value, int):
        shape = re.sub(r"\[\d+\]", "[]", path)
        low, high = INT32 if shape in INT32_PATHS else INT64
        if not low <= value <= high:
            shown = str(value) if abs(value) < 10**40 else "a number"
            raise InvalidInput(
                f"{shown} is out of range ({low} to {high})", where=f"{where}: {path}"
            )
    elif dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            if f.name.startswith("_") or f.name == "source_token":
                continue
            _check_storable(getattr(value, f.name), where, f"{path}.{f.name}" if path else f.name)
    elif isinstance(value, Mapping):
        for key, item in value.items():
            _check_storable(key, where, f"{path} (key)")
            _check_storable(item, where, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            _check_storable(item, where, f"{path}[{i}]")


def check_snapshot(
    snapshot: ProjectSnapshot, data: dict[str, bytes], library: ComponentLibrary, where: str
) -> None:
    """Raises on the first problem; returns when every part of the snapshot is acceptable."""
    check_storable(snapshot, where)
    _text(snapshot.title, "title", f"{where}: title")
    _text(snapshot.description, "description", f"{where}: description", max_length=2000)
    check_language(snapshot.language, f"{where}: language")
    check_theme(snapshot.theme, f"{where}: theme")
    validate_overrides(snapshot.theme_overrides, f"{where}: theme_overrides")
    if snapshot.subdomain is not None:
        validation.subdomain(snapshot.subdomain, where=f"{where}: subdomain")
    if snapshot.custom_domain is not None:
        validation.domain(snapshot.custom_domain, where=f"{where}: custom_domain")
    assets = _check_assets(snapshot, data, where)
    check_settings(snapshot.settings, f"{where}: settings", set(assets))
    _check_components(snapshot, library, where)
    _check_pages(snapshot, library, assets, where)
    check_sections(snapshot, library, assets, where)
    _check_posts(snapshot, assets, where)
    _check_products(snapshot, assets, where)


def _check_assets(snapshot: ProjectSnapshot, data: dict[str, bytes], where: str) -> dict[str, str]:
    """The assets' types by name (what image props check against)."""
    names: dict[str, str] = {}
    for i, asset in enumerate(snapshot.assets):
        here = f"{where}: assets[{i}]"
        if not isinstance(asset.name, str):
            raise InvalidInput(
                f"name must be a string, got {validation.json_kind(asset.name)}", where=here
            )
        validation.visible(asset.name, "name", where=here)
        if not NAME_RE.fullmatch(asset.name):
            raise InvalidInput(
                f"invalid asset name {asset.name!r}: lower-case letters, digits, '.-_' and an "
                "extension",
                where=here,
            )
        if asset.name in names:
            raise InvalidInput(f"duplicate asset name {asset.name!r}", where=here)
        names[asset.name] = asset.type
        content = data.get(asset.hash)
        if content is None:
            raise InvalidInput(f"missing blob {asset.hash!r}", where=here)
        if asset.size != len(content):
            raise InvalidInput(
                f"size {asset.size!r} differs from the blob's {len(content)} bytes", where=here
            )
        if asset.type not in AssetType.__members__ or asset.mime not in TYPE_OF_MIME:
            raise InvalidInput(f"unsupported type {asset.type!r} / {asset.mime!r}", where=here)
        found = detect(content, asset.name, f"{here} ({asset.name})")
        if found.mime != asset.mime:
            raise InvalidInput(f"mime {asset.mime!r} but the content is {found.mime}", where=here)
        _text(asset.alt, "alt", here, max_length=500)
        for field in ("width", "height"):
            value = getattr(asset, field)
            if value is not None and (
                not isinstance(value, int) or isinstance(value, bool) or value < 0
            ):
                shown = (
                    repr(value)
                    if isinstance(value, int) and not isinstance(value, bool)
                    else validation.json_kind(value)
                )
                raise InvalidInput(
                    f"{field} must be a non-negative integer or null, got {shown}", where=here
                )
    return names


def _check_components(snapshot: ProjectSnapshot, library: ComponentLibrary, where: str) -> None:
    keys: set[str] = set()
    for i, component in enumerate(snapshot.components):
        here = f"{where}: components[{i}]"
        validation.slug(component.key, "component key", where=here)
        if component.key in library:
            raise InvalidInput(
                f"saved component {component.key!r} has the key of a library component", where=here
            )
        if component.key in keys:
            raise InvalidInput(f"duplicate saved component {component.key!r}", where=here)
        keys.add(component.key)
        _text(component.name, "name", here, required=True, max_length=100)
        _text(component.description, "description", here, max_length=2000)
        if not isinstance(component.base, str):
            raise InvalidInput(
                f"base must be a library component key (a string), got "
                f"{validation.json_kind(component.base)}",
                where=here,
            )
        check_defaults(library, component.base, component.defaults, here)


def _check_pages(
    snapshot: ProjectSnapshot, library: ComponentLibrary, assets: dict[str, str], where: str
) -> None:
    slugs: set[str] = set()
    homes = 0
    for i, page in enumerate(snapshot.pages):
        here = f"{where}: pages[{i}]"
        validation.page_slug(page.slug, where=here)
        if page.slug in slugs:
            raise InvalidInput(f"duplicate page slug {page.slug!r}", where=here)
        slugs.add(page.slug)
        _text(page.title, "title", here, required=True)
        _flag(page.is_home, "is_home", here)
        for f in PAGE_FIELDS:
            check_page_setting(
                f, getattr(page, f.name), here, assets.get, "it must be in the snapshot's assets"
            )
        homes += page.is_home
        for n, block in enumerate(page.blocks, start=1):
            block_here = block_where(snapshot.name, page.slug, n, block.component)
            if block.component == SECTION_BLOCK:  # a reference to a shared section
                check_reference(snapshot, block, block_here, f"{here}.blocks[{n - 1}]")
                continue
            try:
                validate_props(
                    library,
                    block.component,
                    block.props,
                    block_here,
                    snapshot.components,
                    assets=assets,
                )
            except BgpubError as exc:
                raise InvalidInput(
                    exc.message, where=f"{here}.blocks[{n - 1}]: {exc.where}"
                ) from None
    if homes > 1:
        raise InvalidInput(
            f"{homes} pages are marked is_home; at most one may be", where=f"{where}: pages"
        )


def _unique_slug(slug: object, seen: set[str], kind: str, where: str) -> None:
    """A valid URL segment, not used by an earlier item of the same kind."""
    validation.page_slug(slug, where=where)
    if slug in seen:
        raise InvalidInput(f"duplicate {kind} slug {slug!r}", where=where)
    seen.add(str(slug))  # page_slug accepted it: a string


def _check_posts(snapshot: ProjectSnapshot, assets: dict[str, str], where: str) -> None:
    slugs: set[str] = set()
    for i, post in enumerate(snapshot.posts):
        here = f"{where}: posts[{i}]"
        _unique_slug(post.slug, slugs, "post", here)
        _text(post.title, "title", here, required=True)
        _text(post.excerpt, "excerpt", here, max_length=2000)
        if not isinstance(post.body, str):
            raise InvalidInput(
                f"body must be a string, got {validation.json_kind(post.body)}", where=here
            )
        _text(post.author, "author", here)
        _text(post.category, "category", here, max_length=100)
        if post.date:
            try:
                date.fromisoformat(post.date)
            except (TypeError, ValueError):
                raise InvalidInput(f"date {post.date!r} is not yyyy-mm-dd", where=here) from None
        for tag in post.tags:
            _text(tag, "tag", here, required=True, max_length=100)
        if post.cover is not None and post.cover not in assets:
            raise InvalidInput(f"cover {post.cover!r} is not an asset of the project", where=here)
        _check_post_extras(post, here)
    _check_aliases(snapshot, slugs, where)
    names: set[str] = set()
    for i, name in enumerate(snapshot.categories):
        here = f"{where}: categories[{i}]"
        post_fields.category_name(_text(name, "category", here, max_length=100), here)
        if name in names:
            raise InvalidInput(f"duplicate category {name!r}", where=here)
        names.add(name)


def _check_post_extras(post: PostSnapshot, here: str) -> None:
    """Status, times, aliases and comments: the same checks (and messages) as writing a post."""
    if post.status not in PostStatus.__members__:
        raise InvalidInput(
            f"invalid status {post.status!r}: expected one of {', '.join(PostStatus)}", where=here
        )
    post_fields.read_snapshot_time(post.published_at, "published_at", here)
    post_fields.read_snapshot_time(post.updated_at, "updated_at", here)
    if post.status == PostStatus.SCHEDULED and not (post.published_at or post.date):
        raise InvalidInput(
            "a scheduled post needs a publish time", where=here, field="published_at"
        )
    for n, alias in enumerate(post.aliases):
        post_fields.slug(alias, f"{here}.aliases[{n}]")
    for n, comment in enumerate(post.comments):
        at = f"{here}.comments[{n}]"
        post_fields.comment_author(comment.author, at)
        post_fields.comment_body(comment.body, at)
        if post_fields.read_snapshot_time(comment.date, "date", at) is None:
            raise InvalidInput("date is required", where=at)
        if comment.status not in CommentStatus.__members__:
            raise InvalidInput(
                f"invalid comment status {comment.status!r}: expected one of "
                f"{', '.join(CommentStatus)}",
                where=at,
            )


def _check_aliases(snapshot: ProjectSnapshot, slugs: set[str], where: str) -> None:
    """An earlier slug redirects to one post: it is no live post's slug and belongs to one post only."""
    owners: dict[str, str] = {}
    for i, post in enumerate(snapshot.posts):
        for alias in post.aliases:
            if alias in slugs:
                raise InvalidInput(
                    f"alias {alias!r} is the slug of a post", where=f"{where}: posts[{i}]"
                )
            if owners.setdefault(alias, post.slug) != post.slug:
                raise InvalidInput(
                    f"alias {alias!r} is also an alias of post {owners[alias]!r}",
                    where=f"{where}: posts[{i}]",
                )


def _check_products(snapshot: ProjectSnapshot, assets: dict[str, str], where: str) -> None:
    from bgpub.services.product_snapshots import check_products

    check_products(snapshot, assets, where)
