"""Boundary checks: each refusal names the field and the value."""

import pytest

from bgpub.db.enums import Role
from bgpub.errors import InvalidInput
from bgpub.services import validation


@pytest.mark.parametrize(
    "raw, expected",
    [(" Ada@Studio.Example ", "ada@studio.example"), ("root@localhost", "root@localhost")],
)
def test_email_normalised(raw, expected):
    assert validation.email(raw) == expected


@pytest.mark.parametrize(
    "raw", ["nope", "a@b", "@localhost", "a b@x.com", "a@localhostx", "x" * 250 + "@a.co", 42]
)
def test_email_refused_naming_the_value(raw):
    with pytest.raises(InvalidInput, match="invalid email"):
        validation.email(raw)


@pytest.mark.parametrize("raw", ["../x", "About Us", "a--b", "-a", "", "UPPER"])
def test_slug_refused(raw):
    with pytest.raises(InvalidInput, match="invalid slug"):
        validation.slug(raw)


def test_reserved_page_slug():
    with pytest.raises(InvalidInput, match="reserved"):
        validation.page_slug("assets")


@pytest.mark.parametrize("raw", ["http://x.com", "localhost", "a..b.com", "x.123", "-a.com"])
def test_domain_refused(raw):
    with pytest.raises(InvalidInput, match="invalid custom_domain"):
        validation.domain(raw)


def test_enum_value_accepts_any_case_and_refuses_outsiders():
    assert validation.enum_value(Role, "editor", "role") is Role.EDITOR
    with pytest.raises(InvalidInput, match="expected one of OWNER, ADMIN, EDITOR, VIEWER"):
        validation.enum_value(Role, "GOD", "role")


def _one_by_one(value: str, allowed: str) -> str | None:
    """The definition: each character's Unicode category (what non-ASCII text still goes through)."""
    import unicodedata

    for char in value:
        if char not in allowed and (
            unicodedata.category(char) in validation.INVISIBLE_CATEGORIES
            or char in validation.IGNORABLE
        ):
            return char
    return None


def test_the_ascii_search_finds_exactly_the_invisible_ascii_characters():
    """ASCII text is searched by a pattern instead of each character's category: over every ASCII
    character, the pattern matches exactly those the categories call invisible."""
    for point in range(128):
        char = chr(point)
        assert bool(validation.ASCII_INVISIBLE.fullmatch(char)) == (
            _one_by_one(char, "") is not None
        ), f"U+{point:04X}"


@pytest.mark.parametrize("allowed", ["", validation.TEXT_WHITESPACE, "\r", "\x7f\x00"])
def test_invisible_character_agrees_with_the_definition(allowed):
    """The first invisible character not allowed, for random ASCII and non-ASCII text alike."""
    import random

    rng = random.Random(18)
    alphabet = [chr(p) for p in range(128)] + ["é", "\u202e", "\u200b", "\u3164", "ß", "\u2028"]
    for _ in range(3000):
        value = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 12)))
        if rng.random() < 0.5:
            value = "".join(c for c in value if c.isascii())
        assert validation.invisible_character(value, allowed) == _one_by_one(value, allowed), value
