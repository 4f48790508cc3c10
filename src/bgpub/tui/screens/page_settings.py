"""One page's settings: SEO title and description, its share image (a picker over the project's
images), noindex, navigation and the site's shared header and footer."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Checkbox, Input, Label, Select, Static

from bgpub.tui.screens.form_saving import SavingModal
from bgpub.tui.screens.modals import MODAL_CSS
from bgpub.tui.site_session import PageForm

# (field, label): checkboxes, each the page's flag or (for "hide") its opposite
FLAGS = (
    ("hide", "Hide from the navigation"),
    ("noindex", "Ask search engines not to index it (noindex)"),
    ("show_header", "Show the site's shared header"),
    ("show_footer", "Show the site's shared footer"),
)


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
        options = list(self.images)
        if form.social_image and form.social_image not in {name for name, _ in options}:
            options.append(
                (f"{form.social_image}  (missing)", form.social_image)
            )  # seen, so it can be fixed
        with Vertical():
            yield Label(
                f"[b]Page settings[/b]  {form.title} (/{form.slug})", id="page-settings-heading"
            )
            with VerticalScroll(can_focus=False):
                yield Label("SEO title (the browser tab and search results; empty: the page title)")
                yield Input(form.seo_title, placeholder=form.title, id="page-seo-title")
                yield Label("SEO description (search results and link previews)")
                yield Input(
                    form.seo_description,
                    placeholder="one or two sentences",
                    id="page-seo-description",
                )
                yield Label("Social image (og:image, cropped to 1200x630; empty: the site's)")
                yield Select[str](
                    [(label, name) for name, label in options],
                    value=form.social_image or Select.NULL,
                    allow_blank=True,
                    prompt="(the site's image)",
                    id="page-social-image",
                )
                values = {
                    "hide": not form.show_in_nav,
                    "noindex": form.noindex,
                    "show_header": form.show_header,
                    "show_footer": form.show_footer,
                }
                for name, label in FLAGS:
                    yield Checkbox(label, values[name], id=f"page-{name.replace('_', '-')}")
            yield Static("", classes="error", id=self.ERROR_ID, markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#page-seo-title", Input).focus(
            scroll_visible=False
        )  # the field is at the top: its label stays in view

    def values(self) -> PageForm:
        """The form as filled in."""

        def checked(name: str) -> bool:
            return self.query_one(f"#page-{name.replace('_', '-')}", Checkbox).value

        image = self.query_one("#page-social-image", Select).value
        return dataclasses.replace(
            self.form,
            seo_title=self.query_one("#page-seo-title", Input).value.strip(),
            seo_description=self.query_one("#page-seo-description", Input).value.strip(),
            social_image="" if image is Select.NULL else str(image),
            show_in_nav=not checked("hide"),
            noindex=checked("noindex"),
            show_header=checked("show_header"),
            show_footer=checked("show_footer"),
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
