"""One post's front matter as a form and its Markdown body in a tall TextArea; Ctrl+S saves.

Nothing is written until Ctrl+S; Esc with unsaved changes asks Save / Discard / Stay, as the page
editor does. Validation is the services' (the same messages as the CLI), shown inline and notified.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, Vertical
from textual.message import Message
from textual.suggester import Suggester
from textual.widgets import Footer, Input, Label, Markdown, Select, Static, TextArea

from bgpub.domain.posts import PostView
from bgpub.errors import BgpubError, failure_text
from bgpub.tui.blog_session import STATUSES, BlogSession, PostForm, blog_of
from bgpub.tui.screens.base import EditorScreen, log
from bgpub.tui.screens.modals import ChoiceModal
from bgpub.tui.widgets.screen_header import ScreenHeader

NEW_CATEGORY = "\x00new"  # the category Select's "type a new one" entry


class TagSuggester(Suggester):
    """Completes the last comma-separated tag with an existing tag's name."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        head, _, last = value.rpartition(",")
        typed = last.lstrip()
        if not typed:
            return None
        for tag in self.tags:
            if tag.casefold().startswith(typed.casefold()) and tag != typed:
                return value[: len(value) - len(typed)] + tag
        return None


class PostOpened(Message):
    def __init__(
        self, post: PostView | None, categories: list[str], tags: list[str], images: list[str]
    ) -> None:
        self.post = post
        self.categories = categories
        self.tags = tags
        self.images = images
        super().__init__()


class PostSaved(Message):
    def __init__(self, post: PostView) -> None:
        self.post = post
        super().__init__()


class PostRefused(Message):
    def __init__(self, text: str, field: str | None) -> None:
        self.text = text
        self.field = field
        super().__init__()


def body_area() -> TextArea:
    """Markdown highlighting when Textual's tree-sitter grammar is installed, else plain text."""
    area = TextArea(id="post-body", soft_wrap=True, show_line_numbers=False)
    if "markdown" in area.available_languages:
        area.language = "markdown"
    return area


class PostEditorScreen(EditorScreen):
    """Edits the post `slug`, or writes a new one when `slug` is None."""

    BINDINGS = [
        Binding("escape", "leave", "Back", id="post.back"),
        Binding("ctrl+s", "save", "Save", id="post.save", priority=True),
        Binding("ctrl+r", "preview", "Preview", id="post.preview", priority=True),
    ]
    DEFAULT_CSS = """
    PostEditorScreen #post-form { grid-size: 4; grid-columns: 13 1fr 13 1fr; grid-rows: 1; grid-gutter: 1 1; height: auto; padding: 1 1 0 1; }
    PostEditorScreen #post-form Label { color: $text-muted; }
    PostEditorScreen #post-error { color: $error; height: auto; padding: 0 1; }
    PostEditorScreen #post-body { height: 1fr; min-height: 8; }
    PostEditorScreen #post-preview { height: 1fr; min-height: 8; overflow-y: auto; display: none; }
    """

    def __init__(self, project: str, slug: str | None) -> None:
        super().__init__()
        self.project = project
        self.slug = slug
        self.saved = PostForm()
        self.categories: list[str] = []
        self.tags: list[str] = []
        self.images: list[str] = []
        self._listed_images: list[str] = []
        self.loaded = False
        self._after_save: Callable[[bool], None] | None = None

    @property
    def blog(self) -> BlogSession:
        return blog_of(self.app)

    def compose(self) -> ComposeResult:
        yield ScreenHeader()
        yield Static("loading…", id="post-status-line", classes="summary")
        with Vertical():
            with Grid(id="post-form"):
                yield Label("Title")
                yield Input(id="post-title", compact=True)
                yield Label("Slug")
                yield Input(placeholder="from the title", id="post-slug", compact=True)
                yield Label("Category")
                yield Select(
                    [("New category…", NEW_CATEGORY)],
                    prompt="(none)",
                    id="post-category",
                    compact=True,
                )
                yield Label("New category")
                yield Input(
                    placeholder="a new category's name", id="post-new-category", compact=True
                )
                yield Label("Tags")
                yield Input(placeholder="comma, separated", id="post-tags", compact=True)
                yield Label("Excerpt")
                yield Input(id="post-excerpt", compact=True)
                yield Label("Status")
                yield Select(
                    [(s.title(), s) for s in STATUSES],
                    value="DRAFT",
                    allow_blank=False,
                    id="post-state",
                    compact=True,
                )
                yield Label("Publish at")
                yield Input(placeholder="2026-12-24 09:00 (UTC)", id="post-at", compact=True)
                yield Label("Cover")
                yield Select([], prompt="No cover", id="post-cover", compact=True)
            yield Static("", id="post-error", markup=False)
            yield body_area()
            yield Markdown(id="post-preview")
        yield Footer()

    def on_mount(self) -> None:
        self.title = f"{self.project} / {self.slug or 'new post'}"
        self.sub_title = "post"
        self.load()

    @work(thread=True, exclusive=True, group="post-load")
    def load(self) -> None:
        with self.reporting("opening the post"):
            post = self.blog.post(self.project, self.slug) if self.slug else None
            categories, tags = self.blog.terms(self.project)
            images = self.blog.images(self.project)
            self.post_message(PostOpened(post, categories, tags, images))

    def on_post_opened(self, message: PostOpened) -> None:
        self.categories, self.tags = message.categories, message.tags
        self.images = list(message.images)
        self.query_one("#post-tags", Input).suggester = TagSuggester(message.tags)
        self.query_one("#post-category", Select).set_options(
            [(c, c) for c in message.categories] + [("New category…", NEW_CATEGORY)]
        )
        self._fill(PostForm.of(message.post) if message.post else PostForm())
        self.loaded = True
        self.query_one("#post-title", Input).focus()

    def _fill(self, form: PostForm) -> None:
        for name in ("title", "slug", "tags", "excerpt"):
            self.query_one(f"#post-{name}", Input).value = getattr(form, name)
        self.query_one("#post-at", Input).value = form.publish_at
        category = self.query_one("#post-category", Select)
        category.value = form.category if form.category in self.categories else Select.NULL
        self.query_one("#post-new-category", Input).value = (
            "" if form.category in self.categories else form.category
        )
        state = self.query_one("#post-state", Select)
        if form.status not in STATUSES:  # e.g. ARCHIVED: shown as it is, kept unless changed
            state.set_options([(s.title(), s) for s in (*STATUSES, form.status)])
        state.value = form.status
        self._cover_options(form.cover)
        self.query_one("#post-cover", Select).value = form.cover or Select.NULL
        self.query_one("#post-body", TextArea).load_text(form.body)
        self.saved = self.form()
        self._status_line()

    def _cover_options(self, current: str | None) -> None:
        """The image assets; a current cover no longer listed (not an image now) stays choosable."""
        if current and current not in self.images:
            self.images.append(current)
        if self.images != self._listed_images:
            self._listed_images = list(self.images)
            self.query_one("#post-cover", Select).set_options([(n, n) for n in self.images])

    def form(self) -> PostForm:
        cover = self.query_one("#post-cover", Select).value
        value = self.query_one("#post-category", Select).value
        new = self.query_one("#post-new-category", Input).value.strip()
        category = new or ("" if value in (Select.NULL, NEW_CATEGORY) else str(value))
        text = {
            name: self.query_one(f"#post-{name}", Input).value
            for name in ("title", "slug", "tags", "excerpt")
        }
        return PostForm(
            category=category,
            status=str(self.query_one("#post-state", Select).value),
            publish_at=self.query_one("#post-at", Input).value,
            body=self.query_one("#post-body", TextArea).text,
            cover="" if cover == Select.NULL else str(cover),
            **text,
        )

    @property
    def dirty(self) -> bool:
        return self.loaded and self.form() != self.saved

    def _status_line(self) -> None:
        state = "[b $warning]● unsaved[/]" if self.dirty else "saved" if self.slug else "new"
        self.query_one("#post-status-line", Static).update(
            f"{self.slug or 'new post'} · {self.saved.status} · {state}"
        )

    def on_input_changed(self) -> None:
        if self.loaded:
            self._status_line()

    def on_text_area_changed(self) -> None:
        if self.loaded:
            self._status_line()

    def on_select_changed(self) -> None:
        if self.loaded:
            self._status_line()

    # preview
    async def action_preview(self) -> None:
        """Swaps the body for its rendering and back; the text itself is never touched."""
        body = self.query_one("#post-body", TextArea)
        preview = self.query_one("#post-preview", Markdown)
        if body.display:
            await preview.update(body.text)
            body.display, preview.display = False, True
            preview.focus()
        else:
            body.display, preview.display = True, False
            body.focus()

    @property
    def previewing(self) -> bool:
        return bool(self.query_one("#post-preview", Markdown).display)

    # saving
    def action_save(self) -> None:
        if self.loaded:
            self.save(self.form())

    @work(thread=True, exclusive=True, group="post-save")
    def save(self, form: PostForm) -> None:
        try:
            post = self.blog.save_post(self.project, self.slug, form)
        except BgpubError as exc:
            self.post_message(PostRefused(str(exc), exc.field))
        except Exception as exc:  # no traceback on screen, ever
            log.exception("saving the post failed")
            self.post_message(PostRefused(f"not saved: {failure_text(exc)}", None))
        else:
            self.post_message(PostSaved(post))

    def on_post_saved(self, message: PostSaved) -> None:
        self.slug = message.post.slug
        self.title = f"{self.project} / {self.slug}"
        self.query_one("#post-error", Static).update("")
        if message.post.category and message.post.category not in self.categories:
            self.categories.append(message.post.category)
            self.query_one("#post-category", Select).set_options(
                [(c, c) for c in self.categories] + [("New category…", NEW_CATEGORY)]
            )
        self._fill(PostForm.of(message.post))
        self.notify(f"saved {self.slug} ({message.post.status})")
        self._after_save_done(True)

    def on_post_refused(self, message: PostRefused) -> None:
        self._after_save_done(False)
        self.query_one("#post-error", Static).update(f"not saved: {message.text}")
        self.notify(f"not saved: {message.text}", title="Error", severity="error", timeout=8)

    # unsaved work (asked about by Esc here and by Ctrl+Q anywhere)
    @property
    def has_unsaved_changes(self) -> bool:
        return self.dirty

    @property
    def unsaved_label(self) -> str:
        return f"post {self.slug or '(new)'} of {self.project.split('/')[-1]}"

    def save_unsaved(self, done: Callable[[bool], None]) -> None:
        self._after_save = done
        self.save(self.form())

    def _after_save_done(self, ok: bool) -> None:
        done, self._after_save = self._after_save, None
        if done is not None:
            done(ok)

    # leaving
    def action_leave(self) -> None:
        if not self.dirty:
            self.app.pop_screen()
            return
        self.app.push_screen(
            ChoiceModal(
                "This post has unsaved changes.",
                [("save", "Save"), ("discard", "Discard"), ("cancel", "Stay")],
            ),
            self._leave_answer,
        )

    def _leave_answer(self, answer: str | None) -> None:
        if answer == "discard":
            self.loaded = False
            self.app.pop_screen()
        elif answer == "save":
            self.save_unsaved(self._leave_if_saved)

    def _leave_if_saved(self, ok: bool) -> None:
        if ok:
            self.app.pop_screen()
