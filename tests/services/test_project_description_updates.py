"""A project's description changed through update_project (the editor's site settings form), on both
databases: trimmed, multiline and unicode text stored and read back, an empty one clears it, and
non-text, hidden characters or an over-long one are refused with nothing stored."""

from __future__ import annotations

import pytest

from bgpub.errors import InvalidInput
from bgpub.services.projects import create_project, get_project, show_project, update_project


@pytest.fixture
def site(actor) -> str:
    project = create_project(actor, "site", title="Site", description="First words")
    return f"{project.organization.slug}/site"


def description(actor, site) -> str:
    stored = get_project(actor, site).description
    assert show_project(actor, site).description == stored
    return stored


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("Widgets for everyone", "Widgets for everyone"),
        ("  trimmed \n", "trimmed"),
        ("Line one\n\tLine two — café ☕ 日本語", "Line one\n\tLine two — café ☕ 日本語"),
        ("👩‍👩‍👧 family", "👩‍👩‍👧 family"),  # zero-width joiners inside an emoji are allowed
        ("x" * 2000, "x" * 2000),
        ("", ""),
    ],
)
def test_a_description_is_stored_and_read_back(actor, site, given, stored):
    details = update_project(actor, site, description=given)
    assert details.description == stored
    assert description(actor, site) == stored
    assert get_project(actor, site).title == "Site"  # nothing else changed


def test_no_description_given_leaves_it_as_it_is(actor, site):
    update_project(actor, site, title="Renamed")
    assert description(actor, site) == "First words"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("x" * 2001, "description is longer than 2000 characters"),
        (7, "description must be a string, got an integer"),
        (
            "evil\u202etxt.exe",
            "description contains the invisible character U+202E (RIGHT-TO-LEFT OVERRIDE); remove it",
        ),
        ("nul\x00byte", "description contains the control character U+0000; remove it"),
        ("   \n\t ", "description is required"),
    ],
)
def test_a_bad_description_is_refused_and_nothing_stored(actor, site, given, message):
    with pytest.raises(InvalidInput) as refused:
        update_project(actor, site, description=given)
    assert (refused.value.message, refused.value.where) == (message, "project site")
    assert description(actor, site) == "First words"
