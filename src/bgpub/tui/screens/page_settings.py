"""One page's settings, one widget per `domain.page_fields` field: text inputs (SEO title and
description...), a picker over the project's images (the share image), then the checkboxes
(navigation, noindex, the site's shared header and footer...)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from bgpub.domain.page_fields import PAGE_FIELDS, FieldKind, PageField
from bgpub.tui.screens.form_saving import SavingModal
from bgpub.tui.screens.modals import MODAL_CSS
from bgpub.tui.site_session import PageForm

FIELDS = tuple(f for f in PAGE_FIELDS if f.kind is not FieldKind.FLAG)
FLAGS = tuple(f for f in PAGE_FIELDS if f.kind is FieldKind.FLAG)  # checkboxes, after the fields


class PageSettingsModal(SavingModal[PageForm | None]):
    """Edits a PageForm and stores it through `save` (a refusal keeps the dialog open)."""

    DEFAULT_CSS = (
        MODAL_CSS.format(name="PageSettingsModal")
        + """
    PageSettingsModal > Vertical { width: 100%; max-width: 90; height: 100%; max-height: 34; }
    PageSettingsModal VerticalScroll { height: 1fr; }
    PageSettingsModal Label { margin-top: 1; }
    PageSettingsModal Checkbox { margin-top: 0; }
    PageSettingsModal #page-settings-heading { margin-top: 0; }
    """
    )
    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="page-settings.cancel"),
        Binding("ctrl+s", "save", "Save", id="page-settings.save"),
    ]

    def __init__(
        self,
        project: str,
        form: PageForm,
        images: Sequence[tuple[str, str]],
        save: Callable[[PageForm], object],
    ) -> None:
        super().__init__()
        self.project = project
        self.form = form
        self.images = tuple(images)
        self.save = save

    def compose(self) -> ComposeResult:
        form = self.form
        with Vertical():
            yield Label(
                f"[b]Page settings[/b]  {form.title} (/{form.slug})", id="page-settings-heading"
            )
            with VerticalScroll(can_focus=False):
                for f in FIELDS:
                    yield Label(f.label)
                    yield self._widget(f, getattr(form.settings, f.name))
                for f in FLAGS:
                    value = bool(getattr(form.settings, f.name))
                    yield Checkbox(f.label, not value if f.inverted else value, id=f.widget_id)
            yield Static("", classes="error", id=self.ERROR_ID, markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def _widget(self, f: PageField, value: str) -> Input | Select[str]:
        """A text input, or for an image a picker over the project's images (a missing one is
        listed too, so it can be seen and fixed)."""
        if f.kind is not FieldKind.IMAGE_ASSET:
            placeholder = f.placeholder.format(title=self.form.title)
            return Input(value, placeholder=placeholder, id=f.widget_id)
        options = list(self.images)
        if value and value not in {name for name, _ in options}:
            options.append((f"{value}  (missing)", value))
        return Select[str](
            [(label, name) for name, label in options],
            value=value or Select.NULL,
            allow_blank=True,
            prompt="(the site's image)",
            id=f.widget_id,
        )

    def on_mount(self) -> None:
        self.query_one(f"#{FIELDS[0].widget_id}", Input).focus(
            scroll_visible=False
        )  # the field is at the top: its label stays in view

    def values(self) -> PageForm:
        """The form as filled in."""
        given: dict[str, Any] = {}  # keyword arguments by field name: str or bool (see FieldKind)
        for f in FIELDS:
            if f.kind is FieldKind.IMAGE_ASSET:
                image = self.query_one(f"#{f.widget_id}", Select).value
                given[f.name] = "" if image is Select.NULL else str(image)
            else:
                given[f.name] = self.query_one(f"#{f.widget_id}", Input).value.strip()
        for f in FLAGS:
            checked = self.query_one(f"#{f.widget_id}", Checkbox).value
            given[f.name] = not checked if f.inverted else checked
        return dataclasses.replace(
            self.form, settings=dataclasses.replace(self.form.settings, **given)
        )

    def on_input_submitted(self, event: Input.Submitted) -> None:
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


class PageFormLoaded(Message):
    """A page's settings and the image choices, read in a worker before the dialog opens."""

    def __init__(self, form: PageForm, images: Sequence[tuple[str, str]]) -> None:
        self.form = form
        self.images = tuple(images)
        super().__init__()
