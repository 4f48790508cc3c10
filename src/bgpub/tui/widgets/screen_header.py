"""The editor's screen header: Textual's Header, whose title survives a screen switch.

Textual's Header (8.2.8) watches the app's and its screen's titles and, when one changes, looks up
its HeaderTitle child; it forgives a header without a screen (`NoScreen`) but not one whose children
are already gone. When a screen is replaced, its header can be emptied while a title change is still
queued (the editor opening a page sets its title): the lookup raised `NoMatches` and the editor
stopped. A header being removed has nothing to show, so `ScreenHeader` lets that change pass.
"""

from __future__ import annotations

from typing import Any

from textual.css.query import NoMatches
from textual.dom import NoScreen
from textual.events import Mount
from textual.widget import Widget
from textual.widgets import Header
from textual.widgets._header import HeaderTitle


class ScreenHeader(Header):
    """A Header whose title updates are skipped once its title widget is gone; every screen's is
    the same (no clock, the editor's mark), so those are its defaults."""

    def __init__(self, *, show_clock: bool = False, icon: str = "◆", **options: Any) -> None:
        super().__init__(show_clock=show_clock, icon=icon, **options)

    def _on_mount(self, event: Mount) -> None:
        # Textual runs each class's handler up the MRO: Header's (with the watchers this replaces)
        # is skipped, Widget's (scrollbars for overflow: scroll) still runs
        event.prevent_default()
        Widget._on_mount(self, event)

        async def set_title() -> None:
            try:
                self.query_one(HeaderTitle).update(self.format_title())
            except (NoScreen, NoMatches):
                pass  # removed, or being removed with its screen

        self.watch(self.app, "title", set_title)
        self.watch(self.app, "sub_title", set_title)
        self.watch(self.screen, "title", set_title)
        self.watch(self.screen, "sub_title", set_title)
