"""The build's "form goes nowhere" warning reads only pages whose stored blocks mention a form
component (a text filter in SQL, so a one-page rebuild of a big site does not decode every page).
On both databases, the warnings must be exactly those of decoding every page: a form is never
missed, and a page that merely talks about forms is never warned about."""

from __future__ import annotations

import pytest

from bgpub.services.blocks import add_block
from bgpub.services.form_checks import FORM_COMPONENTS, forms_going_nowhere, is_placeholder
from bgpub.services.pages import add_page, list_pages
from bgpub.services.projects import create_project, update_project

FIELDS = [{"label": "Your name", "name": "name", "type": "text", "required": True}]


# The real components: contact-form and newsletter-signup.
pytestmark = pytest.mark.real_components


def every_page_decoded(actor, project: str) -> list[tuple[str, int, str]]:
    """(page, block number, component) of each placeholder form, reading every page in full."""
    return [
        (page.slug, index, block["component"])
        for page in list_pages(actor, project)
        for index, block in enumerate(page.blocks or [], start=1)
        if block.get("component") in FORM_COMPONENTS
        and is_placeholder((block.get("props") or {}).get("action"))
    ]


def warned(actor, project: str) -> list[tuple[str, int, str]]:
    found = []
    for line in forms_going_nowhere(actor, project):
        page = line.split(", page ", 1)[1].split(", block ", 1)[0]
        number, component = line.split(", block ", 1)[1].split(" (", 1)
        found.append((page, int(number), component.split(")", 1)[0]))
    return found


def test_the_filtered_read_warns_exactly_as_decoding_every_page(actor):
    project = create_project(actor, "forms", starter="landing")
    ref = f"{project.organization.slug}/forms"
    # talks about forms in text, has none: must not be read as a form
    add_page(actor, ref, "notes", "Notes")
    add_block(
        actor, ref, "notes", "rich-text", {"body": 'A "contact-form" and a newsletter-signup.'}
    )
    # a placeholder newsletter form behind non-ASCII text and a second block
    add_page(actor, ref, "inscription", "Inscription")
    add_block(actor, ref, "inscription", "rich-text", {"body": "Écrivez-nous — 日本語 ✉"})
    add_block(
        actor, ref, "inscription", "newsletter-signup", {"action": "https://liste.example/inscr"}
    )
    # a real address: no warning
    add_page(actor, ref, "write", "Write")
    add_block(
        actor,
        ref,
        "write",
        "contact-form",
        {"action": "https://formspree.io/f/abc", "fields": FIELDS},
    )
    # a placeholder on a page with many other blocks, the form last
    add_page(actor, ref, "long", "Long")
    for n in range(12):
        add_block(actor, ref, "long", "rich-text", {"body": f"Paragraph {n}."})
    add_block(actor, ref, "long", "contact-form", {"action": "#", "fields": FIELDS})

    expected = every_page_decoded(actor, ref)
    assert ("inscription", 2, "newsletter-signup") in expected
    assert ("long", 13, "contact-form") in expected
    assert not any(page in ("notes", "write") for page, _, _ in expected)
    assert len(expected) == 4  # the starter's two, and the two added above
    assert sorted(warned(actor, ref)) == sorted(expected)

    update_project(actor, ref, settings={"collector_url": "https://collect.example.org"})
    assert forms_going_nowhere(actor, ref) == []
