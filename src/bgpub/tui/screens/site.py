"""Site-wide settings and the theme picker with token overrides (colours, fonts)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from bgpub.tui.records import SiteSettings, ThemeInfo
from bgpub.tui.screens.modals import MODAL_CSS

TokenCheck = Callable[[str], "str | None"]


class SiteSettingsModal(ModalScreen[SiteSettings | None]):
    """Title, description, custom domain and the default SEO image."""

    DEFAULT_CSS = MODAL_CSS.format(name="SiteSettingsModal")
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="site.cancel")]
    FIELDS = (
        ("title", "Title"),
        ("description", "Description"),
        ("custom_domain", "Custom domain (www.example.com)"),
        ("seo_image", "Default SEO image (asset name)"),
    )

    def __init__(self, settings: SiteSettings) -> None:
        super().__init__()
        self.settings = settings

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("[b]Site settings[/b]")
            for name, label in self.FIELDS:
                yield Label(label)
                yield Input(str(getattr(self.settings, name) or ""), id=f"site-{name}")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#site-title", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in any field saves, as the Save button does."""
        self.query_one("#save", Button).press()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            values = {name: self.query_one(f"#site-{name}", Input).value.strip() for name, _ in self.FIELDS}
            self.dismiss(dataclasses.replace(self.settings, **values))
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ThemeModal(ModalScreen[SiteSettings | None]):
    """Pick a theme and override its tokens; empty fields keep the theme's value."""

    DEFAULT_CSS = MODAL_CSS.format(name="ThemeModal") + """
    ThemeModal VerticalScroll { height: auto; max-height: 16; }
    ThemeModal .token { height: 1; }
    ThemeModal .token Label { width: 24; }
    ThemeModal .token Input { width: 1fr; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="theme.cancel")]
    TOKENS = ("color-bg", "color-surface", "color-text", "color-muted", "color-primary",
              "color-primary-contrast", "color-border", "font-body", "font-heading")

    def __init__(self, settings: SiteSettings, themes: Sequence[ThemeInfo], check: TokenCheck) -> None:
        super().__init__()
        self.settings = settings
        self.themes = tuple(themes)
        self.check = check  # the renderer's rule: colours, lengths and font stacks only

    def _theme(self, name: str) -> ThemeInfo | None:
        return next((t for t in self.themes if t.name == name), None)

    def compose(self) -> ComposeResult:
        names = {t.name for t in self.themes}
        current = self.settings.theme if self.settings.theme in names else self.themes[0].name
        theme = self._theme(current)
        with Vertical():
            yield Label("[b]Theme[/b]  overrides are seen in the preview")
            yield Select([(f"{t.label or t.name}: {t.description}", t.name) for t in self.themes], value=current, allow_blank=False, id="theme-name", compact=True)
            with VerticalScroll():
                for token in self.TOKENS:
                    with Horizontal(classes="token"):
                        yield Label(token)
                        default = theme.tokens.get(token, "") if theme else ""
                        yield Input(self.settings.theme_overrides.get(token, ""), placeholder=default, id=f"token-{token}", compact=True)
            yield Static("", classes="error", id="theme-error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Apply", id="save", variant="primary")

    def on_select_changed(self, event: Select.Changed) -> None:
        theme = self._theme(str(event.value))
        for token in self.TOKENS:
            self.query_one(f"#token-{token}", Input).placeholder = theme.tokens.get(token, "") if theme else ""

    def on_input_changed(self, event: Input.Changed) -> None:
        self._errors()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in a token field applies, as the Apply button does."""
        self.query_one("#save", Button).press()

    def _errors(self) -> str:
        problems = []
        for token in self.TOKENS:
            value = self.query_one(f"#token-{token}", Input).value.strip()
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
        overrides = {t: v for t in self.TOKENS if (v := self.query_one(f"#token-{t}", Input).value.strip())}
        # tokens outside this form (space, radius...) are kept as they were
        kept = {k: v for k, v in self.settings.theme_overrides.items() if k not in self.TOKENS}
        theme = str(self.query_one("#theme-name", Select).value)
        self.dismiss(dataclasses.replace(self.settings, theme=theme, theme_overrides={**kept, **overrides}))

    def action_cancel(self) -> None:
        self.dismiss(None)
