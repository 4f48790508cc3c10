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
