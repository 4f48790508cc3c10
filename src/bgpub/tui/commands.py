"""The command palette: bgpub's own actions first (the current screen's, then the app's), then the few
Textual commands worth having (colour theme, keys, screenshot); never widget internals like "Cursor up".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode
from textual.screen import Screen
from textual.types import IgnoreReturnCallbackType


@dataclass(frozen=True)
class PaletteEntry:
    title: str
    help: str
    action: str
    node: DOMNode


def bgpub_bindings(node: DOMNode) -> set[tuple[str, str]]:
    """(key, action) of the bindings bgpub's own classes declare on `node` (not Textual's Focus Next...)."""
    own: set[tuple[str, str]] = set()
    for cls in type(node).__mro__:
        if cls.__module__.startswith("bgpub."):
            for binding in cls.__dict__.get("BINDINGS", ()):
                if isinstance(binding, Binding):
                    own.update((key.strip(), binding.action) for key in binding.key.split(","))
    return own


def entries(screen: Screen[object]) -> Iterator[PaletteEntry]:
    """Every described binding of the screen and of the app, plus the screen's extra palette entries.

    Bindings of focused widgets (an OptionList's "Down", a scroll view's "Page up") are how a widget
    moves, not what bgpub does: they stay on their keys and out of the palette.
    """
    seen: set[tuple[int, str]] = set()
    pairs: list[tuple[Binding, DOMNode]] = []
    nodes: tuple[DOMNode, ...] = (screen, screen.app)
    for node in nodes:
        own = bgpub_bindings(node)
        pairs.extend(
            (b, node)
            for bindings in node._bindings.key_to_bindings.values()
            for b in bindings
            if (b.key, b.action) in own
        )
    for binding, node in pairs:
        if not binding.description or binding.system or (id(node), binding.action) in seen:
            continue
        seen.add((id(node), binding.action))
        keys = binding.key_display or binding.key.split(",")[0]
        yield PaletteEntry(
            binding.description, binding.tooltip or f"key: {keys}", binding.action, node
        )
    extra = (
        screen.get_palette() if hasattr(screen, "get_palette") else getattr(screen, "PALETTE", ())
    )
    for title, action, help_text in extra:
        if (id(screen), action) not in seen:
            seen.add((id(screen), action))
            yield PaletteEntry(title, help_text, action, screen)


def system_entries(screen: Screen[object]) -> Iterator[tuple[str, str, IgnoreReturnCallbackType]]:
    """The app's system commands (see BgpubApp.get_system_commands) not already offered as a binding."""
    for command in screen.app.get_system_commands(screen):
        yield command.title, command.help, command.callback


class ActionCommands(Provider):
    """Searches the actions the current screen offers; running one is the same as pressing its key."""

    async def _run(self, entry: PaletteEntry) -> None:
        await self.app.run_action(entry.action, entry.node)

    def _all(self) -> Iterator[tuple[str, str, IgnoreReturnCallbackType]]:
        titles = set()
        for entry in entries(self.screen):
            titles.add(entry.title)
            yield entry.title, entry.help, partial(self._run, entry)
        for title, help_text, callback in system_entries(self.screen):
            if title not in titles:
                yield title, help_text, callback

    async def discover(self) -> Hits:
        for title, help_text, callback in self._all():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._all():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
