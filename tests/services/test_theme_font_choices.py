"""The fonts a theme offers for its font tokens (services.theme_fonts, the editor's font picker), on
both databases: the families the theme and its parents ship, each stack put first with the default
stack's fallbacks, the chosen stack stored as a project's theme override and read back."""

from __future__ import annotations

import pytest

from bgpub.errors import InvalidInput, NotFound
from bgpub.services.library import current_themes, token_problem
from bgpub.services.projects import create_project, get_project, show_project, update_project
from bgpub.services.theme_fonts import font_choices, font_stack, shipped_families

AURORA_BODY = (
    'Inter, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif'
)
TERRACOTTA_HEADING = (
    '"Fraunces", "Iowan Old Style", "Palatino Linotype", Palatino, "Book Antiqua", Georgia, serif'
)


@pytest.fixture
def site(actor) -> str:
    project = create_project(actor, "site", title="Site", theme="terracotta")
    return f"{project.organization.slug}/site"


def test_the_families_come_from_the_theme_then_its_parents_each_once(actor, site):
    assert get_project(actor, site).theme == "terracotta"  # the editor asks for the project's theme
    assert shipped_families("aurora") == ("Inter", "Plus Jakarta Sans")
    assert shipped_families("midnight") == ("IBM Plex Sans", "JetBrains Mono")
    # terracotta ships Fraunces (in three faces: listed once) and inherits aurora's two families
    assert [f.family for f in current_themes().get("terracotta").fonts].count("Fraunces") > 1
    assert shipped_families("terracotta") == ("Fraunces", "Inter", "Plus Jakarta Sans")


def test_each_choice_puts_a_shipped_family_first_before_the_default_fallbacks(actor, site):
    theme = show_project(actor, site).theme
    tokens = current_themes().tokens(theme)
    assert (tokens["font-body"], tokens["font-heading"]) == (AURORA_BODY, TERRACOTTA_HEADING)
    choices = font_choices(theme)
    assert set(choices) == {"font-body", "font-heading"}
    assert {token: [(c.family, c.stack) for c in found] for token, found in choices.items()} == {
        "font-body": [
            (
                "Fraunces",
                'Fraunces, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", '
                '"Liberation Sans", sans-serif',
            ),
            ("Inter", AURORA_BODY),
            (
                "Plus Jakarta Sans",
                '"Plus Jakarta Sans", "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", '
                '"Liberation Sans", sans-serif',
            ),
        ],
        "font-heading": [
            ("Fraunces", TERRACOTTA_HEADING.replace('"Fraunces"', "Fraunces")),
            (
                "Inter",
                'Inter, "Iowan Old Style", "Palatino Linotype", Palatino, "Book Antiqua", '
                "Georgia, serif",
            ),
            (
                "Plus Jakarta Sans",
                '"Plus Jakarta Sans", "Iowan Old Style", "Palatino Linotype", Palatino, '
                '"Book Antiqua", Georgia, serif',
            ),
        ],
    }
    # every offered stack passes the renderer's own token rule
    assert all(token_problem(c.stack) is None for found in choices.values() for c in found)


def test_font_stack_quotes_what_css_needs_quoted_and_drops_other_shipped_families():
    assert font_stack("Inter", '"Plex", Arial, sans-serif', ("Inter", "Plex")) == (
        "Inter, Arial, sans-serif"
    )
    assert font_stack("IBM Plex Sans", "Inter, serif", ("IBM Plex Sans",)) == (
        '"IBM Plex Sans", Inter, serif'
    )
    assert font_stack("Font2", " 'Font2' ,, serif ,", ("Font2",)) == '"Font2", serif'
    assert font_stack("Inter", "", ("Inter",)) == "Inter"


@pytest.mark.parametrize("theme", ["nope", "", "Aurora", "../aurora", "aurora/", "aurora\x00"])
def test_an_unknown_theme_has_no_fonts_and_no_project_can_take_it(actor, site, theme):
    known = ", ".join(current_themes())
    with pytest.raises(NotFound) as refused:
        font_choices(theme)
    assert refused.value.message == f"unknown theme {theme!r} (known: {known})"
    assert refused.value.where == "theme"
    with pytest.raises(NotFound):
        shipped_families(theme)
    with pytest.raises(InvalidInput) as not_stored:  # the same themes, by the same name
        update_project(actor, site, theme=theme)
    assert not_stored.value.message == f"unknown theme {theme!r} (known: {known})"
    assert get_project(actor, site).theme == "terracotta"


def test_a_chosen_font_is_stored_as_the_projects_override(actor, site):
    heading = font_choices("terracotta")["font-heading"][1]  # Inter
    body = font_choices("terracotta")["font-body"][2]  # Plus Jakarta Sans
    update_project(actor, site, theme_overrides={"font-heading": heading.stack})
    update_project(actor, site, theme_overrides={"font-body": body.stack})
    assert get_project(actor, site).theme_overrides == {
        "font-heading": heading.stack,
        "font-body": body.stack,
    }
    assert show_project(actor, site).theme_overrides["font-body"].startswith('"Plus Jakarta Sans",')
    update_project(actor, site, theme_overrides={"font-heading": None})  # back to the default
    assert get_project(actor, site).theme_overrides == {"font-body": body.stack}


def test_choices_follow_a_theme_change_of_the_project(actor, site):
    update_project(actor, site, theme="midnight")
    theme = get_project(actor, site).theme
    assert theme == "midnight"
    stack = font_choices(theme)["font-heading"][0].stack
    assert stack == (
        '"IBM Plex Sans", "SF Mono", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", '
        "monospace"
    )
    update_project(actor, site, theme_overrides={"font-heading": stack})
    assert get_project(actor, site).theme_overrides == {"font-heading": stack}
