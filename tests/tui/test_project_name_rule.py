"""The editor's new-project form checks a name by the rule the service applies (`domain.slugs`), so a
name the command line accepts is never refused in the form, nor the reverse (they once disagreed on
the longest name: 63 against 100)."""

from __future__ import annotations

import pytest

from bgpub.errors import InvalidInput
from bgpub.services.projects import check_name as service_check
from bgpub.tui.screens.workspace import check_name as form_check

NAMES = [
    "demo",
    "my-site-2",
    "a" * 63,
    "a" * 64,
    "a" * 100,
    "a" * 101,
    "-demo",
    "demo-",
    "de--mo",
    "Demo",
    "démo",
    "de mo",
    "de_mo",
    "de/mo",
    "demo\n",
    "de\u200bmo",
    "ｄｅｍｏ",
    "1",
]


@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_the_form_and_the_service_agree(name):
    try:
        service_check(name)
        accepted = True
    except InvalidInput:
        accepted = False
    assert (form_check(name) is None) == accepted


def test_an_empty_name_is_asked_for():
    assert form_check("") == "a name is required"
