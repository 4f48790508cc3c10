"""The theme picker with token overrides: colour tokens with a swatch each, font tokens picked among the
fonts the theme ships; empty fields keep the theme's value."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from bgpub.domain.projects import SiteSettings
from bgpub.domain.themes import ThemeInfo
from bgpub.tui.screens.modals import MODAL_CSS
from bgpub.tui.widgets.theme_tokens import ColourSwatch, FontPicker, TokenCheck, colour_problem

if TYPE_CHECKING:
    from bgpub.domain.themes import FontChoice

FontsOf = Callable[[str], Mapping[str, Sequence["FontChoice"]]]
COLOUR_TOKENS = (
    "color-bg",
    "color-surface",
    "color-text",
    "color-muted",
    "color-primary",
    "color-primary-contrast",
    "color-border",
)
FONT_TOKENS = ("font-body", "font-heading")


class ThemeModal(ModalScreen[SiteSettings | None]):
    """Pick a theme and override its tokens; empty fields keep the theme's value."""

    DEFAULT_CSS = (
        MODAL_CSS.format(name="ThemeModal")
        + """
    ThemeModal VerticalScroll { height: auto; max-height: 16; }
    ThemeModal .token { height: 1; }
    ThemeModal .token Label { width: 24; }
    ThemeModal .token Input { width: 1fr; }
    ThemeModal .token Select { width: 1fr; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="theme.cancel")]
    TOKENS = COLOUR_TOKENS + FONT_TOKENS

    def __init__(
        self,
        settings: SiteSettings,
        themes: Sequence[ThemeInfo],
        check: TokenCheck,
        fonts: FontsOf | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.themes = tuple(themes)
        self.check = check  # the renderer's rule: colours, lengths and font stacks only
        self.fonts_of = fonts  # the families each theme ships, by font token
        self._fonts: dict[str, Mapping[str, Sequence[FontChoice]]] = {}

    def _theme(self, name: str) -> ThemeInfo | None:
        return next((t for t in self.themes if t.name == name), None)

    def _choices(self, theme: str, token: str) -> Sequence[FontChoice]:
        if self.fonts_of is None:
            return ()
        if theme not in self._fonts:
            self._fonts[theme] = self.fonts_of(theme)
        return self._fonts[theme].get(token, ())

    def compose(self) -> ComposeResult:
        names = {t.name for t in self.themes}
        current = self.settings.theme if self.settings.theme in names else self.themes[0].name
        theme = self._theme(current)
        defaults = theme.tokens if theme else {}
        overrides = self.settings.theme_overrides
        with Vertical():
            yield Label("[b]Theme[/b]  overrides are seen in the preview")
            yield Select(
                [(f"{t.label or t.name}: {t.description}", t.name) for t in self.themes],
                value=current,
                allow_blank=False,
                id="theme-name",
                compact=True,
            )
            with VerticalScroll():
                for token in COLOUR_TOKENS:
                    with Horizontal(classes="token"):
                        yield Label(token)
                        yield ColourSwatch(id=f"swatch-{token}")
                        yield Input(
                            overrides.get(token, ""),
                            placeholder=defaults.get(token, ""),
                            id=f"token-{token}",
                            compact=True,
                        )
                for token in FONT_TOKENS:
                    with Horizontal(classes="token"):
                        yield Label(token)
                        yield FontPicker(
                            self._choices(current, token),
                            defaults.get(token, ""),
                            overrides.get(token, ""),
                            id=f"token-{token}",
                        )
            yield Static("", classes="error", id="theme-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Apply", id="save", variant="primary")

    def on_mount(self) -> None:
        self._errors()

    def _selected_theme(self) -> ThemeInfo | None:
        return self._theme(str(self.query_one("#theme-name", Select).value))

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select.id != "theme-name":
            return
        theme = self._theme(str(event.value))
        defaults = theme.tokens if theme else {}
        for token in COLOUR_TOKENS:
            self.query_one(f"#token-{token}", Input).placeholder = defaults.get(token, "")
        for token in FONT_TOKENS:
            self.query_one(f"#token-{token}", FontPicker).offer(
                self._choices(str(event.value), token), defaults.get(token, "")
            )
        self._errors()

    def on_input_changed(self, event: Input.Changed) -> None:
        self._errors()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a token field applies, as the Apply button does."""
        self.query_one("#save", Button).press()

    def _value(self, token: str) -> str:
        if token in FONT_TOKENS:
            return self.query_one(f"#token-{token}", FontPicker).chosen
        return self.query_one(f"#token-{token}", Input).value.strip()

    def _errors(self) -> str:
        """Repaints the swatches and lists what Apply would refuse (empty when all is well)."""
        problems = []
        theme = self._selected_theme()
        for token in COLOUR_TOKENS:
            value = self._value(token)
            problem = colour_problem(value, self.check) if value else None
            self.query_one(f"#swatch-{token}", ColourSwatch).show(
                value or (theme.tokens.get(token, "") if theme else ""), problem
            )
            if problem:
                problems.append(f"{token}: {problem}")
        for token in FONT_TOKENS:
            value = self._value(token)
            if value and (problem := self.check(value)):
                problems.append(f"{token}: {problem}")
        self.query_one("#theme-error", Static).update("\n".join(problems))
        return "\n".join(problems)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id != "save":
            self.dismiss(None)
            return
        if self._errors():
            return
        overrides = {t: v for t in self.TOKENS if (v := self._value(t))}
        # tokens outside this form (space, radius...) are kept as they were
        kept = {k: v for k, v in self.settings.theme_overrides.items() if k not in self.TOKENS}
        theme = str(self.query_one("#theme-name", Select).value)
        self.dismiss(
            dataclasses.replace(self.settings, theme=theme, theme_overrides={**kept, **overrides})
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
