"""Money as integer minor units with an ISO 4217 currency: parsed from text, formatted with Babel (CLDR).

Never a float: amounts are parsed with `Decimal` and kept as ints (`2800` GBP is £28.00, `2800` JPY is
¥2,800: the number of minor units follows the currency). Pure (no database, no clock), so the renderer,
the services and the front ends share one wording. Babel's locale data decides symbol and placement:
`£28.00` in English, `28,00 €` in French or German.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from babel import Locale, UnknownLocaleError
from babel.numbers import format_currency, get_currency_precision, list_currencies

from bgpub.errors import InvalidInput

MAX_MINOR = 2_147_483_647  # the database's int column
_AMOUNT = re.compile(r"^\d{1,15}(\.\d{1,6})?$")
_KNOWN = frozenset(list_currencies())


def currency_code(value: object, where: str | None = None, field: str = "currency") -> str:
    """An ISO 4217 code Babel knows (`gbp` -> `GBP`). Nothing is stripped: a code with a space or a
    line break in it is refused, never stored as given (a column holds exactly three letters)."""
    code = value.upper() if isinstance(value, str) else ""
    if len(code) != 3 or code not in _KNOWN:
        raise InvalidInput(
            f"currency {value!r} is not a 3-letter ISO 4217 code such as EUR, GBP or JPY",
            where=where,
            field=field,
        )
    return code


def digits(currency: str) -> int:
    """Minor-unit digits of a currency: 2 for EUR, 0 for JPY, 3 for KWD."""
    return get_currency_precision(currency)


def minor_units(
    value: object, currency: str, where: str | None = None, field: str = "price"
) -> int:
    """`"28"`, `"28.00"` or `28` in `currency` -> 2800 (GBP) or 28 (JPY); a float is refused, and so are
    negatives, more decimals than the currency has, and amounts beyond the database's int."""
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidInput(
            f"{field} must be text or an integer, not a float", where=where, field=field
        )
    if isinstance(value, int):
        text = str(value)
    elif isinstance(value, Decimal):
        text = format(value, "f")
    elif isinstance(value, str):
        text = (
            value.strip().replace(",", "")
            if re.fullmatch(r"\s*\d{1,3}(,\d{3})+(\.\d+)?\s*", value)
            else value.strip()
        )
    else:
        raise InvalidInput(
            f"{field} {value!r} is not an amount such as 28.00", where=where, field=field
        )
    if not _AMOUNT.fullmatch(text):
        raise InvalidInput(
            f"{field} {value!r} is not an amount such as 28.00", where=where, field=field
        )
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:  # pragma: no cover - the pattern already refuses it
        raise InvalidInput(f"{field} {value!r} is not an amount", where=where, field=field) from exc
    places = digits(currency)
    scaled = amount.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise InvalidInput(
            f"{field} {value!r} has more decimals than {currency} allows ({places})",
            where=where,
            field=field,
        )
    return cents(int(scaled), where, field)


def cents(value: object, where: str | None = None, field: str = "price") -> int:
    """An integer count of minor units, 0 or more and within the database's int."""
    if isinstance(value, str) and re.fullmatch(r"\s*\d{1,12}\s*", value):
        value = int(value)
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(
            f"{field} must be a whole number of minor units, got {value!r}",
            where=where,
            field=field,
        )
    if value < 0 or value > MAX_MINOR:
        raise InvalidInput(
            f"{field} must be a non-negative whole number of at most {MAX_MINOR}, got {value}",
            where=where,
            field=field,
        )
    return value


def decimal_text(minor: int, currency: str) -> str:
    """2800 GBP -> `28.00`, 2800 JPY -> `2800`: the plain amount (CSV exports, JSON-LD `price`)."""
    places = digits(currency)
    amount = Decimal(int(minor)).scaleb(-places)
    return f"{amount:.{places}f}"


def _locale(language: str) -> Locale:
    try:
        return Locale.parse((language or "en").replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en")


def format_money(minor: int, currency: str, language: str = "en") -> str:
    """2800 GBP in `en` -> `£28.00`; 2800 EUR in `fr` -> `28,00 €`; 2800 JPY in `ja` -> `￥2,800`."""
    places = digits(currency)
    amount = Decimal(int(minor)).scaleb(-places)
    return format_currency(amount, currency, locale=_locale(language), currency_digits=True)
