"""The checks of a product's and a variant's fields: one wording for the CLI, the TUI and CSV imports.

Each check returns the normalised value or raises one InvalidInput naming the field (and `where`).
Money goes through `bgpub.money` (integer minor units, never a float).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from bgpub.db.enums import ProductStatus
from bgpub.errors import InvalidInput
from bgpub.services import validation

TITLE_MAX = 200
DESCRIPTION_MAX = 100_000
SKU_MAX = 64
TAG_MAX = 100
TAGS_MAX = 50
IMAGES_MAX = 50
OPTIONS_MAX = 3  # Shopify's Option1..Option3
OPTION_NAME_MAX = 60
OPTION_VALUE_MAX = 100
LINK_MAX = 500
STOCK_MAX = 1_000_000_000
WEIGHT_MAX = 10_000_000  # grams: 10 t
LOW_STOCK = 5  # at or under this, a tracked stock is "low" (TUI highlighting)
_SKU = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_LINK_PATH = re.compile(r"^/[A-Za-z0-9_-]+$")


def title(value: object, where: str | None = None, field: str = "title") -> str:
    """The product's name; `field` is what the caller calls it (`name` in a snapshot's JSON)."""
    return validation.required_text(value, field, max_length=TITLE_MAX, where=where)


def slug(value: object, where: str | None = None) -> str:
    """A product page's URL segment (`products/<slug>/`): the rules of page slugs."""
    return validation.page_slug(value, where=where)


def description(value: object, where: str | None = None) -> str:
    """Markdown; newlines and tabs allowed, other control characters refused."""
    return validation.optional_text(
        value, "description", max_length=DESCRIPTION_MAX, where=where, multiline=True
    )


def status(value: object, where: str | None = None) -> ProductStatus:
    if isinstance(value, str):
        value = value.strip().upper()
    return validation.enum_value(ProductStatus, value, "status", where=where)


def sku(value: object, where: str | None = None) -> str | None:
    """Letters, digits and `. _ / -`, starting with a letter or digit; '' or None is no SKU."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else value
    if not isinstance(text, str) or len(text) > SKU_MAX or not _SKU.fullmatch(text):
        raise InvalidInput(
            f"SKU {value!r} must be letters, digits, '.', '_', '/' or '-' (at most {SKU_MAX}), "
            "starting with a letter or digit",
            where=where,
            field="sku",
        )
    return text


def stock(value: object, where: str | None = None) -> int | None:
    """A count of 0 or more; None or '' means the stock is not tracked (never sold out)."""
    if value is None or (isinstance(value, str) and value.strip() in ("", "untracked")):
        return None
    return _count(value, "stock", STOCK_MAX, where)


def weight(value: object, where: str | None = None) -> int | None:
    """Grams, 0 or more; None or '' for none."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return _count(value, "weight", WEIGHT_MAX, where)


def _count(value: object, field: str, limit: int, where: str | None) -> int:
    if isinstance(value, str) and re.fullmatch(r"\s*-?\d{1,12}\s*", value):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(f"{field} {value!r} is not a whole number", where=where, field=field)
    if not 0 <= value <= limit:
        raise InvalidInput(
            f"{field} {value} is out of range (0 to {limit})", where=where, field=field
        )
    return value


def tag(value: object, where: str | None = None) -> str:
    return validation.required_text(value, "tag", max_length=TAG_MAX, where=where)


def tags(values: object, where: str | None = None) -> list[str]:
    """Unique, in the order given (a comma-separated string is split, as Shopify's Tags column is)."""
    if isinstance(values, str):
        values = [v for v in values.split(",") if v.strip()]
    if not isinstance(values, list | tuple):
        raise InvalidInput("tags must be a list of names", where=where, field="tags")
    clean: list[str] = []
    for value in values:
        name = tag(value, where)
        if name.lower() not in (c.lower() for c in clean):
            clean.append(name)
    if len(clean) > TAGS_MAX:
        raise InvalidInput(f"more than {TAGS_MAX} tags", where=where, field="tags")
    return clean


def payment_link(value: object, where: str | None = None) -> str | None:
    """A Stripe Payment Link: `https://buy.stripe.com/<id>` exactly (no query, fragment, port or user)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(text) if text and len(text) <= LINK_MAX else None
    if (
        parts is None
        or parts.scheme != "https"
        or parts.netloc != "buy.stripe.com"
        or not _LINK_PATH.fullmatch(parts.path)
        or parts.query
        or parts.fragment
    ):
        raise InvalidInput(
            f"payment link {value!r} is not a Stripe Payment Link such as https://buy.stripe.com/abc123",
            where=where,
            field="payment_link",
        )
    return text


def option_name(value: object, where: str | None = None) -> str:
    return validation.required_text(value, "option name", max_length=OPTION_NAME_MAX, where=where)


def option_value(value: object, where: str | None = None) -> str:
    return validation.required_text(value, "option value", max_length=OPTION_VALUE_MAX, where=where)


def options(values: object, where: str | None = None) -> dict[str, str]:
    """`{"Size": "M", "Colour": "Blue"}` (or `["Size=M", ...]`): 1 to 3 named values, names unique."""
    if isinstance(values, list | tuple):
        pairs = []
        for item in values:
            name, sep, val = str(item).partition("=")
            if not sep:
                raise InvalidInput(
                    f"option {item!r} is not NAME=VALUE such as Size=M",
                    where=where,
                    field="options",
                )
            pairs.append((name, val))
    elif isinstance(values, dict):
        pairs = list(values.items())
    else:
        raise InvalidInput("options must be NAME=VALUE pairs", where=where, field="options")
    clean: dict[str, str] = {}
    for name, val in pairs:
        key = option_name(name, where)
        if key.lower() in (k.lower() for k in clean):
            raise InvalidInput(f"option {key!r} is given twice", where=where, field="options")
        clean[key] = option_value(val, where)
    if not clean or len(clean) > OPTIONS_MAX:
        raise InvalidInput(
            f"a variant has 1 to {OPTIONS_MAX} options (Size=M Colour=Blue)",
            where=where,
            field="options",
        )
    return clean


def variant_name(option_values: dict[str, str]) -> str:
    """`{"Size": "M", "Colour": "Blue"}` -> `M / Blue` (Shopify's wording)."""
    return " / ".join(option_values.values())[:TITLE_MAX]
