"""The blog's posts as a table: search by title, filter by status, new / edit / delete / publish."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import DataTable, Footer, Input, Select, Static

from bgpub.domain.posts import PostView
from bgpub.tui.blog_session import BlogSession, blog_of
from bgpub.tui.screens.modals import ConfirmModal
from bgpub.tui.screens.table_screen import EditorTableScreen, RowsChanged, RowsLoaded
from bgpub.tui.widgets.fitted_table import FittedTable
from bgpub.tui.widgets.screen_header import ScreenHeader

STATUS_FILTER = (
    ("All statuses", ""),
    ("Draft", "DRAFT"),
    ("Published", "PUBLISHED"),
    ("Scheduled", "SCHEDULED"),
    ("Archived", "ARCHIVED"),
)


class PostsScreen(EditorTableScreen):
    """Every post of the project; the list reloads whenever the screen comes back (after the editor)."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="posts.back"),
        Binding("n", "new_row", "New post", id="posts.new"),
        Binding("enter", "edit_row", "Edit", id="posts.edit"),
        Binding("d,delete", "delete_post", "Delete", id="posts.delete"),
        Binding("p", "toggle_publish", "Publish/unpublish", id="posts.publish"),
        Binding("slash", "focus_search", "Search", id="posts.search"),
    ]
    AUTO_FOCUS = "#posts"
    TABLE = "posts"
    SUBTITLE = "posts"
    SEARCH = "post-search"
    NOUN = "post"
    DEFAULT_CSS = """
    PostsScreen #posts-filters { height: auto; }
    PostsScreen #post-search { width: 1fr; }
    PostsScreen #post-status { width: 24; }
    PostsScreen #posts { height: 1fr; }
    """

    def __init__(self, project: str) -> None:
        super().__init__(project)
        self.posts: list[PostView] = []

    @property
    def blog(self) -> BlogSession:
        return blog_of(self.app)

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("loading…", id="posts-summary", classes="summary")
        with Horizontal(id="posts-filters"):
            yield Input(placeholder="/ search titles", id="post-search", compact=True)
            yield Select(STATUS_FILTER, value="", allow_blank=False, id="post-status", compact=True)
        table: DataTable[str] = FittedTable(id="posts", cursor_type="row", zebra_stripes=True)
        table.add_columns("Title", "Status", "Date", "Category")
        yield table
        yield Footer()

    def on_screen_resume(self) -> None:
        self.load(self.current_key)

    @work(thread=True, exclusive=True, group="posts-load")
    def load(self, keep: str | None = None) -> None:
        with self.reporting("loading posts"):
            self.post_message(RowsLoaded(self.blog.posts(self.project), keep))

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        self.posts = message.rows
        self._show(message.keep)

    def _shown(self) -> list[PostView]:
        needle = self.query_one("#post-search", Input).value.strip().casefold()
        status = self.query_one("#post-status", Select).value
        return [
            p
            for p in self.posts
            if (not needle or needle in p.title.casefold()) and (not status or p.status == status)
        ]

    def _show(self, keep: str | None = None) -> None:
        table = self.table
        keep = keep or self.current_key
        table.clear()
        shown = self._shown()
        for post in shown:
            table.add_row(
                post.title,
                post.status,
                self.when(post.published_at),
                post.category or "—",
                key=post.slug,
            )
        self.keep_cursor([p.slug for p in shown], keep)
        total = len(self.posts)
        count = f"{total} post(s)" if len(shown) == total else f"{len(shown)} of {total} post(s)"
        self.query_one("#posts-summary", Static).update(
            f"{self.project}  ·  {count}  ·  n new, Enter edit, p publish"
        )

    @on(Input.Changed, "#post-search")
    @on(Select.Changed, "#post-status")
    def _filter(self) -> None:
        if self.is_mounted:
            self._show()

    def open_row(self, key: str | None) -> None:
        from bgpub.tui.screens.post_editor import PostEditorScreen

        self.app.push_screen(PostEditorScreen(self.project, key))

    def action_delete_post(self) -> None:
        slug = self.current_or_warn("post")
        if slug is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.change(f"deleted {slug}", "remove_post", slug)

        self.app.push_screen(
            ConfirmModal(
                f"Delete the post {slug!r} and its comments?", confirm="Delete", danger=True
            ),
            answered,
        )

    def action_toggle_publish(self) -> None:
        slug = self.current_or_warn("post")
        if slug is not None:
            self.change("", "toggle_published", slug, keep=slug)

    @work(thread=True, exclusive=True, group="posts-change")
    def change(self, text: str, operation: str, slug: str, keep: str | None = None) -> None:
        with self.reporting(operation.replace("_", " ")):
            result = getattr(self.blog, operation)(self.project, slug)
            self.post_message(RowsChanged(text or f"{slug} is now {result.status}", keep))
