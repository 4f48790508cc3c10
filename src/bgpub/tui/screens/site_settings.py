"""Site-wide settings: title, description, language, base URL and custom domain, the share image and
the icon/logo (pickers over the project's images), the footer note and the analytics integration."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Label, Select, Static

from bgpub.tui.screens.form_saving import SavingModal
from bgpub.tui.screens.modals import MODAL_CSS
from bgpub.tui.site_session import SiteForm

TEXT_FIELDS = (
    ("title", "Title", "Acme Widgets"),
    ("description", "Description (search results, feeds)", "What the site is about"),
    ("language", "Language (a BCP 47 tag: <html lang>)", "en"),
    ("base_url", "Base URL (canonical links, sitemap, og:image)", "https://www.example.com"),
    ("custom_domain", "Custom domain", "www.example.com"),
    ("footer_note", "Footer note", "© 2026 Acme"),
)
IMAGE_FIELDS = (
    (
        "seo_image",
        "Share image (og:image of every page without its own)",
        "(a card drawn from the title)",
    ),
    ("icon", "Icon / logo (favicon and touch icons; an SVG or a square PNG)", "(a monogram)"),
)
ANALYTICS = (
    ("none", "No analytics"),
    ("plausible", "Plausible (its domain)"),
    ("ga4", "Google Analytics 4 (measurement ID)"),
)


class SiteSettingsModal(SavingModal[SiteForm | None]):
    """Edits a SiteForm and stores it through `save` (a refusal keeps the dialog open)."""

    DEFAULT_CSS = (
        MODAL_CSS.format(name="SiteSettingsModal")
        + """
    SiteSettingsModal > Vertical { width: 80; height: 100%; max-height: 44; }
    SiteSettingsModal VerticalScroll { height: 1fr; }
    SiteSettingsModal Label { margin-top: 1; }
    SiteSettingsModal #site-heading { margin-top: 0; }
    SiteSettingsModal #site-other-analytics { color: $text-muted; height: auto; }
    """
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="site.cancel"),
        Binding("ctrl+s", "save", "Save", id="site.save"),
    ]

    def __init__(
        self, form: SiteForm, images: Sequence[tuple[str, str]], save: Callable[[SiteForm], object]
    ) -> None:
        super().__init__()
        self.form = form
        self.images = tuple(images)
        self.save = save

    def _image_options(self, current: str) -> list[tuple[str, str]]:
        options = [(label, name) for name, label in self.images]
        if current and current not in {name for name, _ in self.images}:
            options.append((f"{current}  (missing)", current))
        return options

    def compose(self) -> ComposeResult:
        form = self.form
        with Vertical():
            yield Label("[b]Site settings[/b]", id="site-heading")
            with VerticalScroll(can_focus=False):
                for name, label, example in TEXT_FIELDS:
                    yield Label(label)
                    yield Input(
                        str(getattr(form, name) or ""), placeholder=example, id=f"site-{name}"
                    )
                for name, label, blank in IMAGE_FIELDS:
                    value = str(getattr(form, name) or "")
                    yield Label(label)
                    yield Select[str](
                        self._image_options(value),
                        value=value or Select.NULL,
                        allow_blank=True,
                        prompt=blank,
                        id=f"site-{name}",
                    )
                yield Label("Analytics")
                yield Select[str](
                    [(label, key) for key, label in ANALYTICS],
                    value=form.analytics or "none",
                    allow_blank=False,
                    id="site-analytics",
                )
                yield Input(
                    form.analytics_id,
                    placeholder="www.example.com or G-ABC123XYZ9",
                    id="site-analytics-id",
                )
                if form.other_analytics:
                    yield Static(
                        "also on: "
                        + ", ".join(form.other_analytics)
                        + " (see 'bgpub integration list')",
                        id="site-other-analytics",
                        markup=False,
                    )
            yield Static("", classes="error", id=self.ERROR_ID, markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#site-title", Input).focus(
            scroll_visible=False
        )  # the field is at the top: its label stays in view

    def values(self) -> SiteForm:
        """The form as filled in."""
        # keyword arguments by field name, so typed as **kwargs of any field (all these are `str`)
        text: dict[str, Any] = {
            name: self.query_one(f"#site-{name}", Input).value.strip() for name, _, _ in TEXT_FIELDS
        }
        images: dict[str, Any] = {}
        for name, _, _ in IMAGE_FIELDS:
            value = self.query_one(f"#site-{name}", Select).value
            images[name] = "" if value is Select.NULL else str(value)
        analytics = str(self.query_one("#site-analytics", Select).value)
        return dataclasses.replace(
            self.form,
            **text,
            **images,
            analytics="" if analytics == "none" else analytics,
            analytics_id=self.query_one("#site-analytics-id", Input).value.strip()
            if analytics != "none"
            else "",
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """Enter in any field saves, as the Save button does."""
        self.action_save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.action_save()
        else:
            self.dismiss(None)

    def action_save(self) -> None:
        form = self.values()
        self.store(lambda: self.save(form), form)

    def action_cancel(self) -> None:
        self.dismiss(None)


class SiteFormLoaded(Message):
    """The settings and the image choices, read in a worker before the dialog opens."""

    def __init__(self, form: SiteForm, images: Sequence[tuple[str, str]]) -> None:
        self.form = form
        self.images = tuple(images)
        super().__init__()
