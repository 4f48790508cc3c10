"""The theme screen (issue 12): a swatch beside each colour token, invalid values flagged, and a font picker
limited to the fonts the theme ships; on both databases through the real services."""

from __future__ import annotations

import pytest
from textual.color import Color
from textual.widgets import Button, Select
from tui_support import SIZE, fill, run, until

from bgpub.errors import NotFound
from bgpub.render.themes import token_problem
from bgpub.services.projects import create_project, get_project, update_project
from bgpub.services.theme_fonts import font_choices, font_stack, shipped_families
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.theme import ThemeModal
from bgpub.tui.widgets.theme_tokens import (
    ColourSwatch,
    FontPicker,
    colour_problem,
    parse_colour,
    swatch_of,
)


def check(value: str) -> str | None:
    return token_problem(value) if value else None


def test_shipped_families_come_from_the_theme_and_its_fonts_folder():
    assert shipped_families("aurora") == ("Inter", "Plus Jakarta Sans")
    assert shipped_families("midnight") == ("IBM Plex Sans", "JetBrains Mono")
    choices = font_choices("aurora")
    assert [c.family for c in choices["font-body"]] == ["Inter", "Plus Jakarta Sans"]
    jakarta = choices["font-body"][1].stack
    assert jakarta.startswith('"Plus Jakarta Sans", "Segoe UI"') and jakarta.endswith("sans-serif")
    assert "Inter" not in jakarta  # only the first family of a stack ships: no second web font
    assert all(token_problem(c.stack) is None for cs in choices.values() for c in cs)
    with pytest.raises(NotFound, match="unknown theme 'nope'"):
        font_choices("nope")


def test_font_stack_quotes_families_and_keeps_the_fallbacks():
    assert (
        font_stack("Inter", '"Plex", Arial, sans-serif', ("Inter", "Plex"))
        == "Inter, Arial, sans-serif"
    )
    assert (
        font_stack("IBM Plex Sans", "Inter, serif", ("IBM Plex Sans",))
        == '"IBM Plex Sans", Inter, serif'
    )


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("#4338ca", True),
        ("#fff", True),
        ("rebeccapurple", True),
        ("Red", True),
        ("rgb(1, 2, 3)", True),
        (
            "rgb(1 2 3 / 50%)",
            True,
        ),  # CSS the renderer takes and Textual cannot paint: valid, not painted
        ("hsl(200, 50%, 50%)", True),
        ("banana", False),
        ("12px", False),
        ("Inter, serif", False),
        ("url(javascript:x)", False),
        ("red;}body{x:y", False),
        ("#" + "f" * 300, False),
        ("</style>", False),
    ],
)
def test_colour_values_are_checked_as_colours(value, ok):
    assert (colour_problem(value, check) is None) is ok


def test_swatch_paints_the_colour_and_flags_a_bad_one():
    text, colour, tip = swatch_of("#4338ca", None)
    assert colour == Color.parse("#4338ca") and str(text.style) == "on #4338CA"
    text, colour, tip = swatch_of("banana", "not a colour")
    assert colour is None and "✗" in text.plain and tip == "not a colour"
    text, colour, tip = swatch_of("rgb(1 2 3 / 50%)", None)
    assert colour is None and "?" in text.plain and "preview" in tip
    assert swatch_of("", None)[1] is None
    assert parse_colour("RED") == Color.parse("red")


@pytest.fixture
def site(actor) -> str:
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    update_project(
        actor, ref, theme="aurora", theme_overrides={"color-bg": "#102030", "space": "2rem"}
    )
    return ref


async def open_theme(pilot, app) -> ThemeModal:
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, ProjectScreen)
            and app.screen.theme_list
            and app.screen.site.theme
        ),
        "the project",
    )
    await pilot.press("t")
    await until(pilot, lambda: isinstance(app.screen, ThemeModal), "the theme screen")
    await pilot.pause()
    return app.screen


def swatch(modal: ThemeModal, token: str) -> ColourSwatch:
    return modal.query_one(f"#swatch-{token}", ColourSwatch)


def test_theme_screen_swatches_and_shipped_fonts(editor, actor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            modal = await open_theme(pilot, app)
            # the override's colour, else the theme's own
            assert swatch(modal, "color-bg").colour == Color.parse("#102030")
            assert swatch(modal, "color-primary").colour == Color.parse("#4338ca")
            await fill(pilot, app, "#token-color-primary", "#aa3300")
            assert swatch(modal, "color-primary").colour == Color.parse("#aa3300")
            # a value that is no colour is flagged on its swatch and in the error line; Apply refuses it
            await fill(pilot, app, "#token-color-text", "banana")
            assert swatch(modal, "color-text").invalid
            assert "color-text" in str(modal.query_one("#theme-error").content)
            modal.query_one("#save", Button).press()
            await pilot.pause()
            assert app.screen is modal
            await fill(pilot, app, "#token-color-text", "")
            assert not swatch(modal, "color-text").invalid
            assert swatch(modal, "color-text").colour == Color.parse(
                "#1b2030"
            )  # back to the theme's
            # fonts: the theme's default and the families it ships, nothing else
            body = modal.query_one("#token-font-body", FontPicker)
            labels = [str(prompt) for prompt, _ in body._options]
            assert labels == ["theme default (Inter)", "Inter", "Plus Jakarta Sans"]
            jakarta = font_choices("aurora")["font-body"][1].stack
            body.value = jakarta
            await pilot.pause()
            modal.query_one("#save", Button).press()
            await until(
                pilot,
                lambda: get_project(actor, site).theme_overrides.get("font-body") == jakarta,
                "the font saved",
            )
            assert get_project(actor, site).theme_overrides == {
                "color-bg": "#102030",
                "color-primary": "#aa3300",
                "font-body": jakarta,
                "space": "2rem",
            }

    run(scenario())


def test_switching_theme_offers_its_own_fonts(editor, actor, site):
    update_project(
        actor,
        site,
        theme_overrides={
            "font-heading": font_choices("aurora")["font-heading"][1].stack,
            "font-body": "Georgia, serif",
        },
    )
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            modal = await open_theme(pilot, app)
            body = modal.query_one("#token-font-body", FontPicker)
            heading = modal.query_one("#token-font-heading", FontPicker)
            assert body.chosen == "Georgia, serif"  # set elsewhere (CLI): kept, shown as custom
            assert "custom: Georgia, serif" in [str(p) for p, _ in body._options]
            modal.query_one("#theme-name", Select).value = "midnight"
            await pilot.pause()
            assert [str(p) for p, _ in heading._options][1:] == ["IBM Plex Sans", "JetBrains Mono"]
            assert heading.chosen == ""  # aurora's Plus Jakarta Sans does not ship with midnight
            assert body.chosen == "Georgia, serif"
            assert swatch(modal, "color-primary").colour is not None
            modal.query_one("#save", Button).press()
            await until(
                pilot, lambda: get_project(actor, site).theme == "midnight", "the theme saved"
            )
            assert get_project(actor, site).theme_overrides == {
                "color-bg": "#102030",
                "font-body": "Georgia, serif",
                "space": "2rem",
            }

    run(scenario())
