"""The command palette: one entry for every action of the current screen and of the app."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode


@dataclass(frozen=True)
class PaletteEntry:
    title: str
    help: str
    action: str
    node: DOMNode


def entries(screen) -> Iterator[PaletteEntry]:
    """Every binding with a description on the screen (and its focused widgets) and the app, plus PALETTE."""
    seen: set[tuple[int, str]] = set()
    pairs = [(active.binding, active.node) for active in screen.active_bindings.values()]
    # bindings shadowed by a focused widget's key (e.g. Enter) are still actions of the screen
    for node in (screen, screen.app):
        pairs.extend((b, node) for bindings in node._bindings.key_to_bindings.values() for b in bindings)
    for binding, node in pairs:
        if not binding.description or binding.system or (id(node), binding.action) in seen:
            continue
        seen.add((id(node), binding.action))
        keys = binding.key_display or binding.key.split(",")[0]
        yield PaletteEntry(binding.description, binding.tooltip or f"key: {keys}", binding.action, node)
    for title, action, help_text in getattr(screen, "PALETTE", ()):
        if (id(screen), action) not in seen:
            seen.add((id(screen), action))
            yield PaletteEntry(title, help_text, action, screen)


class ActionCommands(Provider):
    """Searches the actions the current screen offers; running one is the same as pressing its key."""

    async def _run(self, entry: PaletteEntry) -> None:
        await self.app.run_action(entry.action, entry.node)

    async def discover(self) -> Hits:
        for entry in entries(self.screen):
            yield DiscoveryHit(entry.title, partial(self._run, entry), help=entry.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for entry in entries(self.screen):
            score = matcher.match(entry.title)
            if score > 0:
                yield Hit(score, matcher.highlight(entry.title), partial(self._run, entry), help=entry.help)
