"""The comment moderation queue: filter by status, one key to approve (a), mark spam (s) or delete (x)."""

from __future__ import annotations

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Footer, Select, Static

from bgpub.domain.comments import CommentView
from bgpub.tui.blog_session import BlogSession, blog_of
from bgpub.tui.screens.modals import ConfirmModal
from bgpub.tui.screens.table_screen import RowsChanged, RowsLoaded, TableScreen
from bgpub.tui.widgets.fitted_table import FittedTable
from bgpub.tui.widgets.screen_header import ScreenHeader

FILTER = (("Pending", "PENDING"), ("Approved", "APPROVED"), ("Spam", "SPAM"), ("All", ""))


def excerpt(body: str, width: int = 60) -> str:
    line = " ".join(body.split())
    return line if len(line) <= width else line[: width - 1] + "…"


class CommentsScreen(TableScreen):
    """Pending comments first (the queue); a decision reloads the list and keeps the cursor's place."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="comments.back"),
        Binding("a", "moderate('approve')", "Approve", id="comments.approve"),
        Binding("s", "moderate('spam')", "Spam", id="comments.spam"),
        Binding("x,delete", "delete_comment", "Delete", id="comments.delete"),
        Binding("f", "focus_filter", "Filter", id="comments.filter", show=False),
    ]
    AUTO_FOCUS = "#comments"
    TABLE = "comments"
    SUBTITLE = "comments"
    FILTER = "comment-status"
    DEFAULT_CSS = """
    CommentsScreen #comment-status { width: 30; }
    CommentsScreen #comments { height: 1fr; }
    """

    def __init__(self, project: str) -> None:
        super().__init__(project)
        self.comments: list[CommentView] = []

    @property
    def blog(self) -> BlogSession:
        return blog_of(self.app)

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("loading…", id="comments-summary", classes="summary")
        yield Select(FILTER, value="PENDING", allow_blank=False, id="comment-status", compact=True)
        table: DataTable[str] = FittedTable(id="comments", cursor_type="row", zebra_stripes=True)
        table.add_columns("Post", "Author", "Status", "Comment")
        yield table
        yield Footer()

    def on_mount(self) -> None:
        self.load()

    @property
    def status(self) -> str:
        return str(self.query_one("#comment-status", Select).value)

    @work(thread=True, exclusive=True, group="comments-load")
    def load(self, keep: int = 0) -> None:
        with self.reporting("loading comments"):
            self.post_message(RowsLoaded(self.blog.comments(self.project, self.status), keep))

    def on_rows_loaded(self, message: RowsLoaded) -> None:
        self.comments = message.rows
        table = self.table
        table.clear()
        for c in self.comments:
            table.add_row(c.post, c.author_name, c.status, excerpt(c.body), key=c.id)
        self.keep_place(len(self.comments), message.keep)
        shown = self.status.lower() or "all"
        self.query_one("#comments-summary", Static).update(
            f"{self.project}  ·  {len(self.comments)} {shown} comment(s)  ·  a approve, s spam, x delete"
        )

    @on(Select.Changed, "#comment-status")
    def _filter(self) -> None:
        self.load()

    def _selected(self) -> CommentView | None:
        if not self.comments or not self.table.row_count:
            self.notify("no comment selected", severity="warning")
            return None
        return self.comments[self.table.cursor_row]

    def action_moderate(self, decision: str) -> None:
        comment = self._selected()
        if comment is not None:
            self.moderate(comment, decision)

    def action_delete_comment(self) -> None:
        comment = self._selected()
        if comment is None:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.moderate(comment, "remove")

        self.app.push_screen(
            ConfirmModal(
                f"Delete {comment.author_name}'s comment on {comment.post}?",
                confirm="Delete",
                danger=True,
            ),
            answered,
        )

    @work(thread=True, exclusive=True, group="comments-change")
    def moderate(self, comment: CommentView, decision: str) -> None:
        with self.reporting(f"{decision} comment"):
            self.blog.moderate(self.project, comment.id, decision)
            done = {"approve": "approved", "spam": "marked as spam", "remove": "deleted"}[decision]
            self.post_message(
                RowsChanged(f"{comment.author_name}'s comment {done}", self.table.cursor_row)
            )
