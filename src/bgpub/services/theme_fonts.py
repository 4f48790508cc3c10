"""The fonts a theme ships, offered as values of its font tokens (the editor's font picker).

A site gets the web font files only for the first family of `font-body`/`font-heading` (see
`render/fonts.py`), so the picker offers exactly the families the theme (or a parent) ships, each put
first in the token's default stack; the rest of that stack stays as the fallback while the font loads.
"""

from __future__ import annotations

from bgpub.domain.themes import FontChoice
from bgpub.errors import NotFound
from bgpub.services.library import current_themes

FONT_TOKENS = ("font-body", "font-heading")


def _unquoted(name: str) -> str:
    return name.strip().strip("\"'").strip()


def _quoted(family: str) -> str:
    """CSS wants a family with spaces or digits quoted; a single plain word stays as it is."""
    return family if family.isalpha() else f'"{family}"'


def shipped_families(theme: str) -> tuple[str, ...]:
    """The web font families the theme and its parents ship, nearest theme first, each once."""
    themes = current_themes()
    if theme not in themes:
        raise NotFound(
            f"unknown theme {theme!r} (known: {', '.join(themes) or 'none'})", where="theme"
        )
    families: list[str] = []
    for each in themes.chain(theme):
        for font in each.fonts:  # a family is listed once per face (upright, italic...)
            if font.family not in families:
                families.append(font.family)
    return tuple(families)


def font_stack(family: str, default_stack: str, shipped: tuple[str, ...]) -> str:
    """`family` first, then the default stack's fallbacks (no other shipped family: only the first loads)."""
    fallbacks = [part.strip() for part in default_stack.split(",") if part.strip()]
    kept = [
        part for part in fallbacks if _unquoted(part) not in shipped and _unquoted(part) != family
    ]
    return ", ".join([_quoted(family), *kept])


def font_choices(theme: str) -> dict[str, tuple[FontChoice, ...]]:
    """For each font token of the theme, the shipped families as values of that token."""
    shipped = shipped_families(theme)
    tokens = current_themes().tokens(theme)
    return {
        token: tuple(
            FontChoice(family, font_stack(family, tokens.get(token, ""), shipped))
            for family in shipped
        )
        for token in FONT_TOKENS
    }
