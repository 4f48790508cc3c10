"""The help screen: what bgpub is, how to get around, and the keys of the screen you came from."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Markdown

GUIDE = """\
# bgpub editor

Build a site from blocks, preview it, publish it, and roll it back.

1. **Workspace**: `n` creates a project, blank or from a starter site; `Enter` opens it.
2. **Project**: pages in navigation order. `n` adds a page, `Enter` edits it, `/` filters.
3. **Page editor**: `a` adds a block from the component palette; edit its props on the right
   (errors appear under the field as you type); `Ctrl+S` saves; `Ctrl+Z` undoes.
4. **Publish** with `P` (choose the target, or a dry run listing what would be uploaded and deleted);
   **versions** with `v` (roll back with `r`); **preview** with `p`, `o` opens the browser.
5. **Settings**: `g` the site's (title, language, base URL, icon, analytics...), `e` the selected page's
   (SEO title and description, social image, noindex, navigation); `T` the **deploy targets**
   (add, edit, remove, `t` tests one).

`Ctrl+P` opens the command palette (every action is there), `Ctrl+T` switches light/dark,
`F1` shows this help, `Ctrl+Q` quits. The mouse works too.
"""


def keys_of(screen: Screen[object]) -> str:
    """A Markdown table of the bindings of `screen` (and the app's)."""
    rows = []
    seen = set()
    for binding in [*screen.BINDINGS, *screen.app.BINDINGS]:
        if not isinstance(binding, Binding) or not binding.description or binding.action in seen:
            continue
        seen.add(binding.action)
        keys = ", ".join(k.strip() for k in binding.key.split(","))
        rows.append(f"| `{keys}` | {binding.description} |")
    return "| Keys | Action |\n|---|---|\n" + "\n".join(rows)


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,q", "close", "Close", id="help.close")]
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 90; max-width: 100%; height: 90%; border: thick $primary; background: $surface; }
    HelpScreen VerticalScroll { height: 1fr; }
    HelpScreen Markdown { height: auto; }
    """

    def __init__(self, screen: Screen[object]) -> None:
        super().__init__()
        self.origin = screen

    def compose(self) -> ComposeResult:
        name = type(self.origin).__name__.removesuffix("Screen")
        with (
            Vertical(),
            VerticalScroll(id="help-scroll"),
        ):  # focused: arrows, Page Up/Down, Home/End scroll
            yield Markdown(
                f"{GUIDE}\n## Keys on the {name.lower()} screen\n\n{keys_of(self.origin)}"
            )

    def on_mount(self) -> None:
        self.query_one("#help-scroll", VerticalScroll).focus()

    def action_close(self) -> None:
        self.dismiss(None)
