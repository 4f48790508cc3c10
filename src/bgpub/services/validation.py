"""Checks at the boundary: every value a user gives is checked here before anything is written.

Each check returns the normalised value or raises one InvalidInput naming the field and the value.
"""

from __future__ import annotations

import re
import unicodedata
from enum import Enum
from typing import TypeVar

from bgpub.domain.slugs import MAX_LENGTH, is_page_slug, is_reserved_page_slug, is_slug
from bgpub.errors import InvalidInput

E = TypeVar("E", bound=Enum)

# A practical address check (RFC 5322 is too permissive for sign-ups): local@label.label
EMAIL_RE = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")


# Unicode categories of characters that show nothing themselves yet change what is shown: controls (Cc),
# format characters (Cf: bidirectional overrides and isolates, zero-width spaces and joiners, the byte
# order mark, the Arabic letter mark, soft hyphens, tags), line and paragraph separators (Zl, Zp) and
# lone surrogates (Cs). A right-to-left override in a page title reverses what `page list` prints.
INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
TEXT_WHITESPACE = "\t\n"  # the only such characters a title or text may hold
# Zero-width non-joiner and joiner are part of how some scripts and emoji are written (Persian
# "می‌خواهم", the family emoji 👨‍👩‍👧): they never reorder what is shown, so text keeps them.
# Slugs, names of things and addresses still refuse them, where they could make two names look alike.
TEXT_JOINERS = "\u200c\u200d"
# Unicode's Default_Ignorable_Code_Point characters outside those categories: fillers and marks that render as
# nothing, so "Admin\u3164" looks like "Admin" (Hangul fillers, the combining grapheme joiner, Khmer and Mongolian
# invisible marks, variation selectors, unassigned ignorables). DerivedCoreProperties.txt lists them.
IGNORABLE = frozenset(
    chr(point)
    for low, high in (
        (0x034F, 0x034F),
        (0x115F, 0x1160),
        (0x17B4, 0x17B5),
        (0x180B, 0x180F),
        (0x2065, 0x2065),
        (0x3164, 0x3164),
        (0xFE00, 0xFE0F),
        (0xFFA0, 0xFFA0),
        (0xFFF0, 0xFFF8),
        (0xE0000, 0xE0FFF),
    )
    for point in range(low, high + 1)
)
# Variation selectors pick a glyph (emoji presentation "\u2764\ufe0f", ideograph variants): text keeps them.
TEXT_SELECTORS = "".join(map(chr, (*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0))))


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def json_kind(value: object) -> str:
    """What a value is, in the words of JSON (an import's messages say "got a list", not "got list")."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return f"a {type(value).__name__}"


# In ASCII the only characters of those categories are the controls (all Cc); none is IGNORABLE.
ASCII_INVISIBLE = re.compile(r"[\x00-\x1f\x7f]")


def invisible_character(value: str, allowed: str = "") -> str | None:
    """The first invisible or control character of `value` not in `allowed`, or None.

    ASCII text (most of it) is searched by a regular expression instead of asking each character's
    category: a Markdown body is thousands of characters, checked on every import (issue 18)."""
    if value.isascii():
        for found in ASCII_INVISIBLE.finditer(value):
            if found.group() not in allowed:
                return found.group()
        return None
    for char in value:
        if char not in allowed and (
            unicodedata.category(char) in INVISIBLE_CATEGORIES or char in IGNORABLE
        ):
            return char
    return None


def describe_character(char: str) -> str:
    """`the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE)`: what it is, its code point and name."""
    category = unicodedata.category(char)
    point = f"U+{ord(char):04X}"
    if category == "Cs":
        return f"{point}, half of a surrogate pair"
    name = unicodedata.name(char, "")
    kind = "control" if category == "Cc" else "invisible"
    return f"the {kind} character {point}" + (f" ({name})" if name else "")


def visible(value: str, field: str, *, allowed: str = "", where: str | None = None) -> str:
    """Refuses control and invisible format characters (they can reverse or hide what a name shows)."""
    char = invisible_character(value, allowed)
    if char is None:
        return value
    advice = (
        "not valid text: is the input in another encoding than UTF-8?"
        if unicodedata.category(char) == "Cs"
        else "remove it"
    )
    raise InvalidInput(
        f"{field} contains {describe_character(char)}; {advice}", where=where, field=field
    )


def required_text(
    value: object,
    field: str,
    *,
    max_length: int = 200,
    where: str | None = None,
    multiline: bool = False,
) -> str:
    """Trimmed text of at most `max_length` characters. Names and titles are one line: a line break in a
    title would forge rows in `page list` and other listings. Only `multiline` text (descriptions,
    excerpts, comments) may hold tabs and newlines, the only controls ever allowed."""
    if value is not None and not isinstance(value, str):
        raise InvalidInput(
            f"{field} must be a string, got {json_kind(value)}", where=where, field=field
        )
    if value is None or not value.strip():
        raise InvalidInput(f"{field} is required", where=where, field=field)
    allowed = (TEXT_WHITESPACE if multiline else "") + TEXT_JOINERS + TEXT_SELECTORS
    value = visible(value, field, allowed=allowed, where=where).strip()
    if len(value) > max_length:
        raise InvalidInput(
            f"{field} is longer than {max_length} characters", where=where, field=field
        )
    return value


def optional_text(
    value: object,
    field: str,
    *,
    max_length: int = 2000,
    where: str | None = None,
    multiline: bool = False,
) -> str:
    if value is None or value == "":
        return ""
    return required_text(value, field, max_length=max_length, where=where, multiline=multiline)


def slug(
    value: object, field: str = "slug", *, max_length: int = 63, where: str | None = None
) -> str:
    """Lower-case words joined by single hyphens: safe as a URL segment and a folder name."""
    if isinstance(value, str):
        visible(value, field, where=where)
    if not is_slug(value, max_length=max_length):
        raise InvalidInput(
            f"invalid {field} {_show(value)}: use lower-case letters, digits and single hyphens "
            f"(at most {max_length} characters), e.g. 'about-us'",
            where=where,
            field=field,
        )
    return str(value)  # is_slug accepted it: a string


def page_slug(value: object, field: str = "slug", *, where: str | None = None) -> str:
    """A page's slug by the renderer's own rule (`bgpub.domain.slugs`): slugs, nested with `/`."""
    if isinstance(value, str):
        visible(value, field, where=where)
    if not is_page_slug(value):
        raise InvalidInput(
            f"invalid {field} {_show(value)}: use lower-case letters, digits and single hyphens "
            f"(at most {MAX_LENGTH} characters), e.g. 'about-us', nested with / as in 'legal/terms'",
            where=where,
            field=field,
        )
    assert isinstance(value, str)
    if is_reserved_page_slug(value):
        raise InvalidInput(
            f"{field} {value!r} is reserved for the site's own files", where=where, field=field
        )
    return value


def email(value: object, field: str = "email", *, where: str | None = None) -> str:
    """Addresses are stored lower-cased: uniqueness is case-insensitive.

    `name@localhost` is accepted: it is what a fresh workspace calls its first, local user.
    """
    if isinstance(value, str):
        visible(value.strip(), field, where=where)
    text = value.strip() if isinstance(value, str) else ""
    local_ok = text.lower().endswith("@localhost") and EMAIL_RE.fullmatch(
        text[: -len("localhost")] + "localhost.invalid"
    )
    if not isinstance(value, str) or len(value) > 254 or not (EMAIL_RE.fullmatch(text) or local_ok):
        raise InvalidInput(f"invalid {field} {_show(value)}", where=where, field=field)
    return value.strip().lower()


def domain(value: object, field: str = "custom_domain", *, where: str | None = None) -> str:
    """A fully-qualified host name such as www.example.com (no scheme, port or path)."""
    if isinstance(value, str):
        visible(value.strip(), field, where=where)
    text = value.strip().lower().rstrip(".") if isinstance(value, str) else value
    labels = text.split(".") if isinstance(text, str) else []
    if (
        not isinstance(text, str)
        or len(text) > 253
        or len(labels) < 2
        or not all(LABEL_RE.fullmatch(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise InvalidInput(
            f"invalid {field} {_show(value)}: expected a host name like www.example.com",
            where=where,
            field=field,
        )
    return text


def subdomain(value: object, field: str = "subdomain", *, where: str | None = None) -> str:
    if isinstance(value, str):
        visible(value, field, where=where)
    if not isinstance(value, str) or not LABEL_RE.fullmatch(value):
        raise InvalidInput(
            f"invalid {field} {_show(value)}: one DNS label, e.g. 'acme-shop'",
            where=where,
            field=field,
        )
    return value


def enum_value(enum_class: type[E], value: object, field: str, *, where: str | None = None) -> E:
    try:
        return enum_class(
            value.upper()
            if isinstance(value, str) and value.upper() in enum_class.__members__
            else value
        )
    except ValueError:
        allowed = ", ".join(m.value for m in enum_class)
        raise InvalidInput(
            f"invalid {field} {_show(value)}: expected one of {allowed}", where=where, field=field
        ) from None
