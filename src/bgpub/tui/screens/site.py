"""Site-wide settings (the theme picker is in screens/theme.py)."""

from __future__ import annotations

import dataclasses

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from bgpub.domain.projects import SiteSettings
from bgpub.tui.screens.modals import MODAL_CSS
from bgpub.tui.screens.theme import ThemeModal

# ThemeModal moved to screens/theme.py; imports of it from here keep working
__all__ = ["SiteSettingsModal", "ThemeModal"]


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
