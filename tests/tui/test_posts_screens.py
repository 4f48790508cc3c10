"""The blog in the editor, through the real services on both databases: Posts, the post editor, Comments."""

from __future__ import annotations

import asyncio
import io
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image
from textual.widgets import DataTable, Markdown, Select, TextArea
from textual.widgets._markdown import MarkdownHeader
from tui_support import SIZE, fill, notifications, run, type_text, until

from bgpub.services.assets import add_asset
from bgpub.services.moderation import add_comment, list_comments
from bgpub.services.posts import create_post, get_post, list_posts
from bgpub.services.projects import create_project
from bgpub.tui.commands import entries
from bgpub.tui.screens.comments import CommentsScreen
from bgpub.tui.screens.modals import ChoiceModal, ConfirmModal
from bgpub.tui.screens.post_editor import PostEditorScreen, TagSuggester
from bgpub.tui.screens.posts import PostsScreen
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.publish import PublishModal


@pytest.fixture
def blog(actor) -> str:
    project = create_project(actor, "journal", title="Journal")
    return f"{project.organization.slug}/journal"


async def open_posts(pilot, app) -> PostsScreen:
    await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "the project screen")
    await pilot.press("b")
    await until(pilot, lambda: isinstance(app.screen, PostsScreen), "the posts screen")
    return app.screen


async def open_editor(pilot, app, key: str) -> PostEditorScreen:
    await pilot.press(key)
    await until(
        pilot,
        lambda: isinstance(app.screen, PostEditorScreen) and app.screen.loaded,
        "the post editor",
    )
    return app.screen


async def save(pilot, app, check, what: str) -> None:
    await pilot.press("ctrl+s")
    await until(pilot, check, what)
    await pilot.pause()


def rows(screen) -> list[list[str]]:
    table = screen.query_one(DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


def test_write_edit_schedule_publish_and_delete_a_post(editor, actor, blog):
    app = editor(blog)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            posts = await open_posts(pilot, app)
            assert rows(posts) == []

            # a new post, typed as a user does
            screen = await open_editor(pilot, app, "n")
            await fill(pilot, app, "#post-title", "Hello world", typing=True)
            await fill(pilot, app, "#post-new-category", "Notes")
            await fill(pilot, app, "#post-tags", "news, tui")
            screen.query_one("#post-body", TextArea).focus()
            await type_text(pilot, "First post")
            assert screen.dirty
            await save(
                pilot,
                app,
                lambda: screen.slug == "hello-world" and not screen.dirty,
                "the new post saved",
            )
            post = get_post(actor, blog, "hello-world")
            assert (post.title, post.body, post.status, post.category, post.tags) == (
                "Hello world",
                "First post",
                "DRAFT",
                "Notes",
                ("news", "tui"),
            )

            await pilot.press("escape")  # saved: leaves without asking
            await until(pilot, lambda: app.screen is posts and rows(posts), "the post listed")
            assert rows(posts) == [["Hello world", "DRAFT", "—", "Notes"]]

            # edit it: Enter on the row; the category is now picked from the Select, a tag completed
            screen = await open_editor(pilot, app, "enter")
            assert screen.query_one("#post-category", Select).value == "Notes"
            assert screen.query_one("#post-body", TextArea).text == "First post"
            await fill(pilot, app, "#post-title", "Hello again")
            await fill(pilot, app, "#post-tags", "tu", typing=True)
            await until(
                pilot,
                lambda: screen.query_one("#post-tags")._suggestion == "tui",
                "the tag suggestion",
            )
            await pilot.press("right")
            await save(
                pilot,
                app,
                lambda: get_post(actor, blog, "hello-world").title == "Hello again",
                "the edit saved",
            )
            assert get_post(actor, blog, "hello-world").tags == ("tui",)

            # schedule it: a time in the past is refused inline, nothing changes; a future one is kept
            screen.query_one("#post-state", Select).value = "SCHEDULED"
            await fill(pilot, app, "#post-at", "2001-01-01 09:00")
            await pilot.press("ctrl+s")
            await until(
                pilot,
                lambda: "not in the future" in str(screen.query_one("#post-error").render()),
                "the refusal shown",
            )
            assert any("not saved" in n for n in notifications(app))
            assert get_post(actor, blog, "hello-world").status == "DRAFT"
            await fill(pilot, app, "#post-at", "2099-12-24 09:00")
            await save(
                pilot,
                app,
                lambda: get_post(actor, blog, "hello-world").status == "SCHEDULED",
                "the post scheduled",
            )
            assert get_post(actor, blog, "hello-world").published_at == datetime(2099, 12, 24, 9, 0)
            await pilot.press("escape")
            await until(
                pilot,
                lambda: app.screen is posts and rows(posts)[0][1] == "SCHEDULED",
                "the list reloaded",
            )

            # p publishes now, p again unpublishes
            posts.query_one(DataTable).focus()
            await pilot.press("p")
            await until(
                pilot,
                lambda: get_post(actor, blog, "hello-world").status == "PUBLISHED",
                "published",
            )
            await until(
                pilot, lambda: rows(posts)[0][1] == "PUBLISHED", "the list shows it published"
            )
            await pilot.press("p")
            await until(
                pilot, lambda: get_post(actor, blog, "hello-world").status == "DRAFT", "unpublished"
            )

            # search and status filter narrow the table
            await fill(pilot, app, "#post-search", "nothing like it")
            assert rows(posts) == []
            await fill(pilot, app, "#post-search", "AGAIN")
            assert len(rows(posts)) == 1
            posts.query_one("#post-status", Select).value = "PUBLISHED"
            await until(pilot, lambda: rows(posts) == [], "the status filter")
            posts.query_one("#post-status", Select).value = ""
            await until(pilot, lambda: len(rows(posts)) == 1, "the filter cleared")

            # d asks first; Cancel keeps the post, Delete removes it
            posts.query_one(DataTable).focus()
            await pilot.press("d")
            await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
            await pilot.press("n")
            await pilot.pause()
            assert [p.slug for p in list_posts(actor, blog)] == ["hello-world"]
            await pilot.press("d")
            await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
            await pilot.press("y")
            await until(
                pilot, lambda: not list_posts(actor, blog) and rows(posts) == [], "the post deleted"
            )

    run(scenario())


def test_leaving_the_post_editor_with_unsaved_changes_asks_stay_discard_or_save(
    editor, actor, blog
):
    create_post(actor, blog, "Draft one", body="Body", excerpt="Old")
    app = editor(blog)

    def stored() -> tuple[str, str]:
        post = get_post(actor, blog, "draft-one")
        return post.excerpt, post.body

    async def edit_and_leave(pilot, answer: str) -> PostEditorScreen:
        screen = await open_editor(pilot, app, "enter")
        await fill(pilot, app, "#post-excerpt", "New")
        screen.query_one("#post-body", TextArea).focus()
        await type_text(pilot, "More ")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, ChoiceModal), "the question")
        await pilot.click(f"#choice-{answer}")
        return screen

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            posts = await open_posts(pilot, app)
            await until(pilot, lambda: rows(posts), "the post listed")
            screen = await edit_and_leave(pilot, "cancel")  # Stay: nothing lost, nothing written
            await until(pilot, lambda: app.screen is screen, "back in the editor")
            assert screen.dirty and screen.query_one("#post-excerpt").value == "New"
            assert stored() == ("Old", "Body")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, ChoiceModal), "the question again")
            await pilot.click("#choice-discard")
            await until(pilot, lambda: app.screen is posts, "back on the list")
            assert stored() == ("Old", "Body")
            posts.query_one(DataTable).focus()
            await edit_and_leave(pilot, "save")
            await until(pilot, lambda: app.screen is posts, "saved and back on the list")
            assert stored() == ("New", "More Body")

    run(scenario())


def test_comments_screen_approves_spams_and_deletes_with_one_key(editor, actor, blog):
    create_post(actor, blog, "Commented", body="Text", status="PUBLISHED")
    for i, author in enumerate(["Ann", "Bob", "Cyd"]):
        add_comment(actor, blog, "commented", author, f"Comment {i}", at=f"2026-01-0{i + 1} 10:00")
    app = editor(blog)

    def by_status(status: str) -> list[str]:
        return sorted(c.author_name for c in list_comments(actor, blog, status))

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "the project screen")
            palette = {entry.title for entry in entries(app.screen)}
            assert {"Posts", "Comments"} <= palette
            await pilot.press("c")
            await until(
                pilot,
                lambda: isinstance(app.screen, CommentsScreen) and len(rows(app.screen)) == 3,
                "the pending queue",
            )
            screen = app.screen
            first = rows(screen)[0]
            assert first[0] == "commented" and first[2] == "PENDING"
            await pilot.press("a")
            await until(
                pilot,
                lambda: len(by_status("APPROVED")) == 1 and len(rows(screen)) == 2,
                "approved",
            )
            assert by_status("APPROVED") == [first[1]]
            await pilot.press("s")
            await until(
                pilot, lambda: len(by_status("SPAM")) == 1 and len(rows(screen)) == 1, "marked spam"
            )
            await pilot.press("x")
            await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
            await pilot.press("y")
            await until(pilot, lambda: by_status("PENDING") == [] and rows(screen) == [], "deleted")
            assert len(list_comments(actor, blog)) == 2
            screen.query_one("#comment-status", Select).value = ""
            await until(pilot, lambda: len(rows(screen)) == 2, "all comments listed")

    run(scenario())


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("ne", "news"),
        ("tui, No", "tui, notes"),
        ("news", None),
        ("zz", None),
        ("a, ", None),
    ],
)
def test_tag_suggester_completes_the_last_tag(typed, expected):
    suggestion = asyncio.run(TagSuggester(["news", "notes", "tui"]).get_suggestion(typed))
    assert suggestion == expected


def test_the_blog_flow_write_two_schedule_one_and_publish(editor, actor):
    """The issue's flow in the editor: from the blog starter, write two posts, schedule a third, publish."""
    project = create_project(actor, "journal", title="Journal", starter="blog")
    ref = f"{project.organization.slug}/journal"
    app = editor(ref)

    async def write(pilot, title: str, body: str, status: str, at: str = "") -> None:
        screen = await open_editor(pilot, app, "n")
        await fill(pilot, app, "#post-title", title)
        screen.query_one("#post-state", Select).value = status
        await fill(pilot, app, "#post-at", at)
        screen.query_one("#post-body", TextArea).focus()
        await type_text(pilot, body)
        await save(
            pilot, app, lambda: screen.slug is not None and not screen.dirty, f"{title} saved"
        )
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, PostsScreen), "the posts list")

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await open_posts(pilot, app)
            await write(pilot, "Terminal one", "Written in the TUI", "PUBLISHED")
            await write(pilot, "Terminal two", "Also written here", "PUBLISHED")
            await write(pilot, "Terminal later", "Not yet", "SCHEDULED", "2099-12-24 09:00")
            mine = {
                p.slug: p.status for p in list_posts(actor, ref) if p.title.startswith("Terminal")
            }
            assert mine == {
                "terminal-one": "PUBLISHED",
                "terminal-two": "PUBLISHED",
                "terminal-later": "SCHEDULED",
            }
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "the project screen")
            await pilot.press("P")
            await until(pilot, lambda: app.screen.query_one("#form-message"), "the publish form")
            await fill(pilot, app, "#form-message", "three posts")
            await until(pilot, lambda: app.screen.findings is not None, "the site checked")
            if app.screen.errors:  # a starter's forms post to example addresses: publish over them
                app.screen.query_one("#ok").press()
            else:
                await pilot.press("enter")
            await until(
                pilot,
                lambda: isinstance(app.screen, PublishModal) and not app.screen.running,
                "the publish to finish",
            )
            outcome = app.screen.outcome
            assert outcome is not None, str(app.screen.query_one("#publish-result").content)
            site = Path(outcome.location.removeprefix("file://"))
            assert "Written in the TUI" in (site / "blog/terminal-one/index.html").read_text()
            assert (site / "blog/terminal-two/index.html").is_file()
            assert not (site / "blog/terminal-later").exists()

    run(scenario())


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(out, format="PNG")
    return out.getvalue()


def test_cover_is_picked_from_the_image_assets_saved_and_cleared(editor, actor, blog):
    for name in ("b-cover.png", "a-cover.png"):
        add_asset(actor, blog, png(), name=name)
    add_asset(actor, blog, b"plain notes\n", name="notes.txt")  # not an image: never offered
    create_post(actor, blog, "Covered", body="Body", cover="b-cover.png")
    app = editor(blog)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            posts = await open_posts(pilot, app)
            await until(pilot, lambda: rows(posts), "the post listed")
            screen = await open_editor(pilot, app, "enter")
            cover = screen.query_one("#post-cover", Select)
            assert cover.value == "b-cover.png" and not screen.dirty  # the current cover loaded
            assert [value for _, value in cover._options if value != Select.NULL] == [
                "a-cover.png",
                "b-cover.png",
            ]
            for chosen, stored in (("a-cover.png", "a-cover.png"), (Select.NULL, None)):
                cover.value = chosen
                await pilot.pause()
                assert screen.dirty
                await save(
                    pilot,
                    app,
                    lambda stored=stored: (
                        get_post(actor, blog, "covered").cover == stored and not screen.dirty
                    ),
                    f"the cover {stored} saved",
                )
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is posts, "back on the list")

            screen = await open_editor(pilot, app, "n")  # a new post gets its cover on creation
            await fill(pilot, app, "#post-title", "Fresh")
            screen.query_one("#post-cover", Select).value = "b-cover.png"
            await save(pilot, app, lambda: screen.slug == "fresh", "the new post saved")
            assert get_post(actor, blog, "fresh").cover == "b-cover.png"

    run(scenario())


@pytest.mark.parametrize(
    ("body", "heading"),
    [
        ("# Release notes\n\nSome *emphasis* and `code`.\n", "Release notes"),
        ("Intro line\n\n## Second level\n\n- one\n- two\n", "Second level"),
    ],
)
def test_preview_toggle_renders_the_body_and_leaves_the_text_alone(
    editor, actor, blog, body, heading
):
    create_post(actor, blog, "Previewed", body=body)
    app = editor(blog)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            posts = await open_posts(pilot, app)
            await until(pilot, lambda: rows(posts), "the post listed")
            screen = await open_editor(pilot, app, "enter")
            area = screen.query_one("#post-body", TextArea)
            preview = screen.query_one("#post-preview", Markdown)
            assert area.display and not preview.display
            await pilot.press("ctrl+r")
            await until(pilot, lambda: preview.display, "the preview shown")
            assert not area.display
            headings = [str(h.render()) for h in preview.query(MarkdownHeader)]
            assert heading in headings
            await pilot.press("ctrl+r")
            await until(pilot, lambda: area.display, "the body back")
            assert not preview.display
            assert area.text == body and not screen.dirty

    run(scenario())
