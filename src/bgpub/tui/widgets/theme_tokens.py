"""The theme form's token editors: a colour swatch beside each colour token, a picker of shipped fonts.

A swatch shows the colour the site will get (the override, else the theme's value) as a block; a value
the renderer refuses, or one that is no colour at all (`banana`, `12px`), is flagged instead. The font
picker offers only the families the theme ships (anything else would load no font file).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rich.text import Text
from textual.color import Color, ColorParseError
from textual.widgets import Select, Static

if TYPE_CHECKING:
    from bgpub.domain.themes import FontChoice

TokenCheck = Callable[[str], "str | None"]
# colour syntax the renderer accepts that Textual cannot paint (e.g. `rgb(1 2 3 / 50%)`): valid, not shown
COLOUR_SYNTAX = re.compile(r"^(?:#[0-9a-fA-F]{3,8}|(?:rgb|rgba|hsl|hsla)\(.*\))$")
THEME_DEFAULT = ""  # the font picker's "keep the theme's value" entry (no override)


def parse_colour(value: str) -> Color | None:
    """The colour a CSS value names, as Textual paints it; None when Textual cannot read it."""
    for text in (value.strip(), value.strip().lower()):
        try:
            return Color.parse(text)
        except ColorParseError:
            continue
    return None


def colour_problem(value: str, check: TokenCheck) -> str | None:
    """Why `value` cannot be a colour token: the renderer's refusal, or not a colour at all."""
    text = value.strip()
    if not text:
        return None
    if problem := check(text):
        return problem
    if parse_colour(text) is None and not COLOUR_SYNTAX.match(text):
        return f"{text!r} is not a colour (use #rrggbb, rgb(), hsl() or a colour name)"
    return None


class ColourSwatch(Static):
    """A coloured block showing one colour token's value; `✗` on the error colour when it is invalid."""

    DEFAULT_CSS = """
    ColourSwatch { width: 6; height: 1; margin: 0 1 0 0; }
    ColourSwatch.-invalid { color: $error; text-style: bold; }
    """

    def __init__(self, *, id: str) -> None:
        super().__init__("", id=id, markup=False)
        self.colour: Color | None = None
        self.invalid = False

    def show(self, value: str, problem: str | None) -> None:
        """Paints `value` (an empty value paints nothing); `problem` flags it instead."""
        self.invalid = bool(problem)
        self.set_class(self.invalid, "-invalid")
        text, self.colour, self.tooltip = swatch_of(value, problem)
        self.update(text)


def swatch_of(value: str, problem: str | None) -> tuple[Text, Color | None, str | None]:
    """What a swatch shows for `value`: its text, the colour painted (None: none) and its tooltip."""
    if problem:
        return Text(" ✗ ", style="bold"), None, problem
    colour = parse_colour(value) if value.strip() else None
    if colour is not None:
        return Text("      ", style=f"on {colour.hex}"), colour, value
    if value.strip():
        return (
            Text(" ? "),
            None,
            f"{value}: the editor cannot paint this colour; the preview shows it",
        )
    return Text(""), None, None


def font_options(
    choices: Sequence[FontChoice], default: str, current: str
) -> list[tuple[str, str]]:
    """The theme's default first, then each shipped family; a current value outside them is kept."""
    first = default.split(",")[0].strip().strip("\"'") if default else ""
    options = [(f"theme default ({first})" if first else "theme default", THEME_DEFAULT)]
    options += [(choice.family, choice.stack) for choice in choices]
    if current and current not in {value for _, value in options}:
        options.append((f"custom: {current}", current))
    return options


class FontPicker(Select[str]):
    """Picks a font token's value among the shipped families (blank: keep the theme's)."""

    def __init__(
        self, choices: Sequence[FontChoice], default: str, current: str, *, id: str
    ) -> None:
        super().__init__(
            font_options(choices, default, current),
            value=current or THEME_DEFAULT,
            allow_blank=False,
            id=id,
            compact=True,
        )
        self._stacks = {choice.stack for choice in choices}

    @property
    def chosen(self) -> str:
        """The override to store ('' keeps the theme's value)."""
        return "" if self.value is Select.NULL else str(self.value)

    def offer(self, choices: Sequence[FontChoice], default: str) -> None:
        """Another theme's families. A shipped family of the old theme that the new one lacks goes back to
        the default (it would load no file); a custom value stays."""
        current = self.chosen
        stacks = {choice.stack for choice in choices}
        keep = (
            current
            if current in stacks or (current and current not in self._stacks)
            else THEME_DEFAULT
        )
        self._stacks = stacks
        self.set_options(font_options(choices, default, keep))
        self.value = keep
