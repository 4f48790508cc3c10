"""One check per kind of page setting (`domain.page_fields`), shared by every way a setting arrives:
the editor's form, `bgpub page set`, a duplicated page and an imported snapshot.

A setting is checked by its kind, never by its name, so a new setting needs no check of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from bgpub.domain.page_fields import FIELD_NAMES, FieldKind, PageField, page_field
from bgpub.errors import InvalidInput
from bgpub.services import validation

AssetTypes = Callable[
    [str], str | None
]  # an asset name -> its type ("IMAGE", "FONT"...), None if absent
URL_MAX_LENGTH = 2000
_NOUNS = {FieldKind.IMAGE_ASSET: "an asset name", FieldKind.URL: "an address (a string)"}


def check_page_settings(
    given: Mapping[str, object], where: str, asset_type: AssetTypes, *, assets_hint: str = ""
) -> dict[str, str | bool]:
    """The given settings, each checked and normalised; an unknown name is refused, naming the known."""
    unknown = sorted(set(given) - FIELD_NAMES)
    if unknown:
        known = ", ".join(sorted(FIELD_NAMES))
        raise InvalidInput(f"unknown page setting {unknown[0]!r} (known: {known})", where=where)
    return {
        name: check_page_setting(page_field(name), value, where, asset_type, assets_hint)
        for name, value in given.items()
    }


def check_page_setting(
    field: PageField, value: object, where: str, asset_type: AssetTypes, assets_hint: str = ""
) -> str | bool:
    """One setting's value as stored: trimmed text, a bool, an image asset's name or an address."""
    name = field.name
    if field.kind is FieldKind.FLAG:
        if not isinstance(value, bool):
            raise InvalidInput(
                f"{name} must be true or false, got {validation.json_kind(value)}",
                where=where,
                field=name,
            )
        return value
    if not isinstance(value, str):
        raise InvalidInput(
            f"{name} must be {_NOUNS.get(field.kind, 'a string')}, got {validation.json_kind(value)}",
            where=where,
            field=name,
        )
    if field.kind is FieldKind.IMAGE_ASSET:
        return _image_asset(name, value.strip(), where, asset_type, assets_hint)
    if field.kind is FieldKind.URL:
        return _address(name, value.strip(), where)
    return validation.optional_text(
        value,
        name,
        max_length=field.max_length or 2000,
        where=where,
        multiline=field.kind is FieldKind.LONG_TEXT,
    )


def _image_asset(name: str, value: str, where: str, asset_type: AssetTypes, hint: str) -> str:
    """'' for none, else the name of an image asset of the project (a crop of it is shown, so a
    document or a font is refused)."""
    if not value:
        return ""
    found = asset_type(value)
    if found is None:
        raise InvalidInput(
            f"{name} {value!r} is not an asset of this project" + (f" ({hint})" if hint else ""),
            where=where,
            field=name,
        )
    if found != "IMAGE":
        raise InvalidInput(
            f"{name} {value!r} is a {found.lower()}, not an image", where=where, field=name
        )
    return value


def _address(name: str, value: str, where: str) -> str:
    """'' for none, else an absolute http(s) address without spaces or control characters (it is
    written into an attribute of every page that names it, so nothing else may pass)."""
    if not value:
        return ""
    validation.visible(value, name, where=where)
    if not _absolute(value):
        raise InvalidInput(
            f"{name} {value!r} is not an absolute http(s) address such as https://example.com/page"
            if len(value) <= 200
            else f"{name} is not an absolute http(s) address of at most {URL_MAX_LENGTH} characters",
            where=where,
            field=name,
        )
    return value


def _absolute(value: str) -> bool:
    if len(value) > URL_MAX_LENGTH or not value.isprintable() or any(c.isspace() for c in value):
        return False
    try:
        parts = urlsplit(value)
        host = parts.hostname
        parts.port  # noqa: B018  (raises on a port that is not a number in range)
    except ValueError:  # a broken IPv6 literal or port
        return False
    return parts.scheme in ("http", "https") and bool(host)
