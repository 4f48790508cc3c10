"""A Markdown prop's editor: a tall TextArea highlighted as Markdown, and its rendering one key away.

The TextArea keeps the id and name the props form gives a field, so its `TextArea.Changed` reaches the
form (and the page's undo history) as any text field's does; the preview only shows the text, never
edits it. Ctrl+R (or the button) swaps the two.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Label, Markdown, TextArea


def markdown_area(text: str, **kwargs: Any) -> TextArea:
    """A soft-wrapped TextArea highlighted as Markdown when Textual's tree-sitter grammar is installed."""
    area = TextArea(text, soft_wrap=True, tab_behavior="focus", **kwargs)
    if "markdown" in area.available_languages:
        area.language = "markdown"
    return area


class MarkdownPreview(Markdown, can_focus=True):
    """The rendered text; focusable, so it scrolls with the keyboard and Ctrl+R swaps back from it."""


class MarkdownField(Vertical):
    """Edits one Markdown prop; `source` is the TextArea (id `ident`), `preview` its rendering."""

    DEFAULT_CSS = """
    MarkdownField { height: auto; }
    MarkdownField > TextArea.markdown-source { height: 12; }
    MarkdownField > MarkdownPreview { height: 12; display: none; overflow-y: auto; border: round $primary 40%;
                                      padding: 0 1; margin: 0 0 0 1; }
    MarkdownField > MarkdownPreview:focus { border: round $primary; }
    MarkdownField.-previewing > TextArea.markdown-source { display: none; }
    MarkdownField.-previewing > MarkdownPreview { display: block; }
    MarkdownField > .markdown-bar { height: 1; margin: 0 0 0 1; }
    MarkdownField > .markdown-bar Label { width: 1fr; color: $text-muted; }
    MarkdownField > .markdown-bar Button { min-width: 10; height: 1; }
    """
    BINDINGS = [Binding("ctrl+r", "toggle_preview", "Preview", id="markdown.preview")]

    def __init__(
        self, text: str, *, ident: str, name: str, placeholder: str = "", **kwargs: Any
    ) -> None:
        super().__init__(id=f"{ident}-markdown", **kwargs)
        self.ident = ident
        self.prop = name
        self._text = text
        self._placeholder = placeholder

    def compose(self) -> ComposeResult:
        yield markdown_area(
            self._text,
            id=self.ident,
            name=self.prop,
            placeholder=self._placeholder,
            classes="markdown-source",
        )
        yield MarkdownPreview("", id=f"{self.ident}-preview")
        with Horizontal(classes="markdown-bar"):
            yield Label("Markdown · Ctrl+R preview", id=f"{self.ident}-mode")
            yield Button(
                "Preview",
                id=f"{self.ident}-toggle",
                compact=True,
                tooltip="Show the rendered text (Ctrl+R)",
            )

    @property
    def source(self) -> TextArea:
        return self.query_one(f"#{self.ident}", TextArea)

    @property
    def preview(self) -> MarkdownPreview:
        return self.query_one(f"#{self.ident}-preview", MarkdownPreview)

    @property
    def previewing(self) -> bool:
        return self.has_class("-previewing")

    async def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == f"{self.ident}-toggle":
            event.stop()
            await self.action_toggle_preview()

    async def action_toggle_preview(self) -> None:
        """Shows the rendering of the current text, or goes back to editing it (the text is untouched)."""
        showing = not self.previewing
        if showing:
            await self.preview.update(self.source.text or "*(empty)*")
        self.set_class(showing, "-previewing")
        self.query_one(f"#{self.ident}-mode", Label).update(
            "Rendered · Ctrl+R edit" if showing else "Markdown · Ctrl+R preview"
        )
        self.query_one(f"#{self.ident}-toggle", Button).label = "Edit" if showing else "Preview"
        (self.preview if showing else self.source).focus()
