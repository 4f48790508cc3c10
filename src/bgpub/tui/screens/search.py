"""Search across a project's content (Ctrl+F anywhere in a project): type, see every page, section
and post field holding the text as `page › block › prop` with the match highlighted; Enter jumps to
that block in the editor with the field focused.

User content reaches the screen only as `rich.text.Text` built from plain strings, so square brackets
and markup-looking text in a page are shown as typed, never interpreted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from bgpub.domain.search import PAGE, POST, SECTION, SearchHit, SearchResults
from bgpub.errors import BgpubError, failure_text
from bgpub.tui.screens.base import EditorScreen
from bgpub.tui.service_session import connected

if TYPE_CHECKING:
    from bgpub.tui.app import BgpubApp

REVEAL_TRIES = (
    600  # ~30 s of 50 ms waits for the editor to load (a busy machine) before giving up quietly
)


class SearchAnswered(Message):
    def __init__(self, query: str, results: SearchResults | None, problem: str = "") -> None:
        self.query = query
        self.results = results
        self.problem = problem
        super().__init__()


def hit_label(hit: SearchHit) -> Text:
    """Two lines: where (`page about › block 3 (hero) › heading`) and the excerpt, match in reverse."""
    label = Text(hit.place, style="bold")
    label.append("\n  ")
    excerpt = Text(hit.excerpt)
    excerpt.stylize("reverse bold", hit.start, hit.end)
    label.append_text(excerpt)
    return label


def search_on_connection(actor: Any, project: str, query: str) -> SearchResults:
    """The service call on this worker thread's connection."""
    from bgpub.services.content_search import search_content

    return connected(lambda _session: search_content(actor, project, query))(None)


class ContentSearchModal(ModalScreen[SearchHit | None]):
    """A search box over the project's results; ↓ moves into the results, Enter opens the chosen one."""

    DEFAULT_CSS = """
    ContentSearchModal { align: center middle; }
    ContentSearchModal > Vertical { width: 90%; max-width: 110; height: 90%; border: thick $primary;
                                    background: $surface; padding: 0 1; }
    ContentSearchModal #search-status { height: auto; color: $text-muted; margin: 0 0 1 0; }
    ContentSearchModal #search-results { height: 1fr; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "Close", id="search.close"),
        Binding("down", "results", "Results", id="search.results", show=False),
    ]

    def __init__(self, project: str, actor: Any, query: str = "") -> None:
        super().__init__()
        self.project = project
        self.actor = actor
        self.initial = query
        self.hits: tuple[SearchHit, ...] = ()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(f"Search {self.project}", style="bold"), id="search-title")
            yield Input(
                self.initial,
                placeholder="text in any page, block, section or post",
                id="search-query",
                compact=True,
            )
            yield Static("", id="search-status", markup=False)
            yield OptionList(id="search-results")

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial:
            self.run_search(self.initial)

    @on(Input.Changed, "#search-query")
    def _typed(self, event: Input.Changed) -> None:
        if event.value.strip():
            self.run_search(event.value)
        else:
            self._show((), "")

    @work(thread=True, exclusive=True, group="content-search")
    def run_search(self, query: str) -> None:
        try:
            results = search_on_connection(self.actor, self.project, query)
            self.post_message(SearchAnswered(query, results))
        except BgpubError as exc:
            self.post_message(SearchAnswered(query, None, exc.message))
        except Exception as exc:  # a driver fault: a line, never a traceback
            self.post_message(SearchAnswered(query, None, failure_text(exc)))

    def on_search_answered(self, message: SearchAnswered) -> None:
        if message.query != self.query_one(Input).value:
            return  # an older answer: the user kept typing
        if message.results is None:
            self._show((), message.problem)
            return
        hits = message.results.hits
        more = " (the first ones; refine the search)" if message.results.truncated else ""
        status = (
            f"{len(hits)} match(es){more}" if hits else f"nothing holds {message.query.strip()!r}"
        )
        self._show(hits, status)

    def _show(self, hits: tuple[SearchHit, ...], status: str) -> None:
        self.hits = hits
        results = self.query_one(OptionList)
        results.clear_options()
        results.add_options([Option(hit_label(h), id=str(i)) for i, h in enumerate(hits)])
        if hits:
            results.highlighted = 0
        self.query_one("#search-status", Static).update(status)

    def action_results(self) -> None:
        if self.hits and self.focused is self.query_one(Input):
            self.query_one(OptionList).focus()

    @on(Input.Submitted, "#search-query")
    def _submitted(self) -> None:
        """Enter in the box opens the highlighted (first) result."""
        results = self.query_one(OptionList)
        if self.hits:
            self.dismiss(self.hits[results.highlighted or 0])

    @on(OptionList.OptionSelected, "#search-results")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.hits[event.option_index])

    def action_cancel(self) -> None:
        self.dismiss(None)


def field_id(path: tuple[str | int, ...]) -> str:
    """The props form's widget id of a prop path: ("features", 1, "title") -> "prop-features-1-title"."""
    return "prop-" + "-".join(str(p) for p in path)


async def _settle(check: Callable[[], object]) -> bool:
    for _ in range(REVEAL_TRIES):
        if check():
            return True
        await asyncio.sleep(0.05)
    return False


async def reveal(screen: EditorScreen, hit: SearchHit) -> None:
    """Once `screen` (a page, section or post editor) has loaded: highlight the hit's block and focus
    the field holding the match (bounded wait; nothing happens if the editor went away)."""
    if hit.kind == POST:
        widget_id = {"title": "#post-title", "excerpt": "#post-excerpt"}.get(
            str(hit.path[0]), "#post-body"
        )
        if await _settle(lambda: screen.is_attached and screen.query(widget_id)):
            await _keep_focus(screen, lambda: screen.query_one(widget_id))
        return
    if not await _settle(
        lambda: getattr(screen, "document", None) is not None and screen.is_attached
    ):
        return
    if hit.block is None:  # a page's own title or SEO field: the page settings hold it
        screen.notify(f"{hit.field} is a page setting (g on the project screen)")
        return
    from bgpub.tui.screens.page_editor import PageEditorScreen

    if not isinstance(screen, PageEditorScreen):  # pages and sections only: posts returned above
        return
    editor = screen
    blocks = editor.block_list
    if hit.block >= len(editor.blocks):
        return
    blocks.highlighted = hit.block
    wanted = f"#{field_id(hit.path)}"
    if not await _settle(
        lambda: (
            editor.form_index == hit.block
            and editor.form is not None
            and bool(editor.form.query(wanted))
        )
    ):
        return

    def field() -> Widget:
        form = editor.form
        assert form is not None  # _settle saw it; only a reload replaces it (then the query fails)
        return form.query_one(wanted)

    await _keep_focus(editor, field)


async def _keep_focus(screen: EditorScreen, widget: Callable[[], Widget]) -> None:
    """Focuses `widget()` until it keeps the focus for a few checks: the editor's own loading ends by
    focusing its block list, which may come after the field was first focused."""
    steady = 0
    for _ in range(REVEAL_TRIES):
        if not screen.is_attached:
            return
        target = widget()
        if screen.focused is target:
            steady += 1
            if steady >= 4:
                return
        else:
            steady = 0
            target.focus()
        await asyncio.sleep(0.05)


def open_hit(app: BgpubApp, project: str, hit: SearchHit) -> None:
    """Opens the editor of the hit's page, section or post and reveals the field."""
    if hit.kind == PAGE:
        from bgpub.tui.screens.page_editor import PageEditorScreen

        screen: EditorScreen = PageEditorScreen(project, hit.owner)
    elif hit.kind == SECTION:
        from bgpub.tui.screens.sections import SectionEditorScreen

        screen = SectionEditorScreen(project, hit.owner)
    else:
        from bgpub.tui.screens.post_editor import PostEditorScreen

        screen = PostEditorScreen(project, hit.owner)
    app.push_screen(screen)
    app.run_worker(reveal(screen, hit), group="search-reveal", exclusive=True)
