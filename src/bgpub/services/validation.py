"""Checks at the boundary: every value a user gives is checked here before anything is written.

Each check returns the normalised value or raises one InvalidInput naming the field and the value.
"""

from __future__ import annotations

import re
from enum import Enum
from typing import TypeVar

from bgpub.errors import InvalidInput

E = TypeVar("E", bound=Enum)

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A practical address check (RFC 5322 is too permissive for sign-ups): local@label.label
EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
LABEL_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
RESERVED_PAGE_SLUGS = {"assets", "blog", "404", "sitemap.xml", "robots.txt", "index"}


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def required_text(value: object, field: str, *, max_length: int = 200, where: str | None = None) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{field} is required", where=where, field=field)
    value = value.strip()
    if len(value) > max_length:
        raise InvalidInput(f"{field} is longer than {max_length} characters", where=where, field=field)
    if any(ord(c) < 32 and c not in "\t\n" for c in value):
        raise InvalidInput(f"{field} contains control characters", where=where, field=field)
    return value


def optional_text(value: object, field: str, *, max_length: int = 2000, where: str | None = None) -> str:
    if value is None or value == "":
        return ""
    return required_text(value, field, max_length=max_length, where=where)


def slug(value: object, field: str = "slug", *, max_length: int = 63, where: str | None = None) -> str:
    """Lower-case words joined by single hyphens: safe as a URL segment and a folder name."""
    if not isinstance(value, str) or not SLUG_RE.match(value) or len(value) > max_length:
        raise InvalidInput(
            f"invalid {field} {_show(value)}: use lower-case letters, digits and single hyphens "
            f"(at most {max_length} characters), e.g. 'about-us'",
            where=where,
            field=field,
        )
    return value


def page_slug(value: object, field: str = "slug", *, where: str | None = None) -> str:
    value = slug(value, field, max_length=200, where=where)
    if value in RESERVED_PAGE_SLUGS:
        raise InvalidInput(f"{field} {value!r} is reserved for the site's own files", where=where, field=field)
    return value


def email(value: object, field: str = "email", *, where: str | None = None) -> str:
    """Addresses are stored lower-cased: uniqueness is case-insensitive.

    `name@localhost` is accepted: it is what a fresh workspace calls its first, local user.
    """
    text = value.strip() if isinstance(value, str) else ""
    local_ok = text.lower().endswith("@localhost") and EMAIL_RE.match(text[: -len("localhost")] + "localhost.invalid")
    if not isinstance(value, str) or len(value) > 254 or not (EMAIL_RE.match(text) or local_ok):
        raise InvalidInput(f"invalid {field} {_show(value)}", where=where, field=field)
    return value.strip().lower()


def domain(value: object, field: str = "custom_domain", *, where: str | None = None) -> str:
    """A fully-qualified host name such as www.example.com (no scheme, port or path)."""
    text = value.strip().lower().rstrip(".") if isinstance(value, str) else value
    labels = text.split(".") if isinstance(text, str) else []
    if (
        not isinstance(text, str)
        or len(text) > 253
        or len(labels) < 2
        or not all(LABEL_RE.match(label) for label in labels)
        or labels[-1].isdigit()
    ):
        raise InvalidInput(f"invalid {field} {_show(value)}: expected a host name like www.example.com", where=where, field=field)
    return text


def subdomain(value: object, field: str = "subdomain", *, where: str | None = None) -> str:
    if not isinstance(value, str) or not LABEL_RE.match(value):
        raise InvalidInput(f"invalid {field} {_show(value)}: one DNS label, e.g. 'acme-shop'", where=where, field=field)
    return value


def enum_value(enum_class: type[E], value: object, field: str, *, where: str | None = None) -> E:
    try:
        return enum_class(value.upper() if isinstance(value, str) and value.upper() in enum_class.__members__ else value)
    except ValueError:
        allowed = ", ".join(m.value for m in enum_class)
        raise InvalidInput(f"invalid {field} {_show(value)}: expected one of {allowed}", where=where, field=field) from None
