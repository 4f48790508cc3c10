"""The component palette: a searchable list of the library (name, type, description) to add a block."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.fuzzy import Matcher
from textual.screen import ModalScreen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from bgpub.domain.components import ComponentInfo


def matches(component: ComponentInfo, query: str) -> bool:
    text = f"{component.key} {component.name} {component.type} {component.description}".lower()
    return all(word in text for word in query.lower().split())


def rank(components: Sequence[ComponentInfo], query: str) -> list[ComponentInfo]:
    """Components for a query, best first: a name match (fuzzy, as in Textual's command palette) ranks
    above a match in the type or description only; ties keep the library's order."""
    query = query.strip()
    if not query:
        return list(components)
    matcher = Matcher(query)
    scored = []
    for position, component in enumerate(components):
        name = max(matcher.match(component.name), matcher.match(component.key))
        if name > 0:
            scored.append((2 + name, position, component))
        elif matches(component, query):
            scored.append((1.0, position, component))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [component for _, _, component in scored]


class ComponentPaletteModal(ModalScreen[str | None]):
    """Returns the chosen component's key, or None when dismissed."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="palette.cancel"),
        # the search box keeps the focus; arrows move the highlighted result from there
        Binding("down", "move(1)", "Next", show=False, id="palette.next"),
        Binding("up", "move(-1)", "Previous", show=False, id="palette.previous"),
    ]
    DEFAULT_CSS = """
    ComponentPaletteModal { align: center middle; }
    ComponentPaletteModal > Vertical { width: 76; max-width: 100%; height: 20; max-height: 100%; border: thick $primary; background: $surface; padding: 0 1; }
    ComponentPaletteModal OptionList { height: 1fr; }
    """

    def __init__(self, components: Sequence[ComponentInfo]) -> None:
        super().__init__()
        self.components = tuple(components)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("[b]Add a component[/b]  type to search, Enter to add")
            yield Input(placeholder="search name, type or description", id="palette-search")
            yield OptionList(id="palette-list")

    def on_mount(self) -> None:
        self._show("")
        self.query_one("#palette-search", Input).focus()

    def _show(self, query: str) -> None:
        options = self.query_one("#palette-list", OptionList)
        options.clear_options()
        options.add_options(
            Option(
                Text.assemble(
                    (c.name, "bold"),
                    ("  ", ""),
                    (c.type.lower(), "italic"),
                    ("\n  ", ""),
                    (c.description, "dim"),
                ),
                id=c.key,
            )
            for c in rank(self.components, query)
        )
        if options.option_count:
            options.highlighted = 0

    def on_input_changed(self, event: Input.Changed) -> None:
        self._show(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one("#palette-list", OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_move(self, delta: int) -> None:
        options = self.query_one("#palette-list", OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -delta
            options.highlighted = max(0, min(options.option_count - 1, current + delta))

    def action_cancel(self) -> None:
        self.dismiss(None)
