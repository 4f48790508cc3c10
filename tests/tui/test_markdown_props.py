"""Markdown props edit in a tall highlighted TextArea with a rendered preview (issue 12), on both databases:
the text saves, undo and redo reach it, and leaving with it unsaved asks first."""

from __future__ import annotations

import pytest
from textual.widgets import TextArea
from tui_support import SIZE, run, until

from bgpub.services import blocks as block_service
from bgpub.services.pages import add_page, get_page
from bgpub.services.projects import create_project
from bgpub.tui.screens.modals import ChoiceModal
from bgpub.tui.screens.page_editor import PageEditorScreen
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.widgets.markdown_field import MarkdownField, MarkdownPreview

BODY = "## Our story\n\nWe make **bowls** by hand."


@pytest.fixture
def page(actor) -> str:
    """Page `home` with one rich-text block whose body is Markdown."""
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_page(actor, ref, "home", "Home")
    block_service.add_block(actor, ref, "home", "rich-text", {"body": BODY})
    return ref


async def open_home(pilot, app) -> PageEditorScreen:
    await until(
        pilot,
        lambda: isinstance(app.screen, ProjectScreen) and app.screen.pages.current_slug == "home",
        "pages",
    )
    await pilot.press("enter")
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, PageEditorScreen)
            and app.screen.form is not None
            and app.screen.form.ready
        ),
        "the editor",
    )
    return app.screen


def stored_body(actor, ref: str) -> str:
    return get_page(actor, ref, "home").blocks[0]["props"]["body"]


def test_markdown_prop_is_a_tall_highlighted_editor(editor, page):
    app = editor(page)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_home(pilot, app)
            field = screen.form.query_one(MarkdownField)
            area = field.source
            assert area.id == "prop-body" and area.name == "body"
            assert area.language == "markdown"
            assert area.text == BODY
            assert area.size.height >= 10  # a plain multiline field is 5 lines
            assert not field.previewing and not field.preview.display

    run(scenario())


def test_preview_renders_the_text_and_goes_back_without_touching_it(editor, page, actor):
    app = editor(page)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_home(pilot, app)
            field = screen.form.query_one(MarkdownField)
            field.source.focus()
            await pilot.press("ctrl+r")
            await until(pilot, lambda: field.previewing and field.preview.has_focus, "the preview")
            preview = field.preview
            assert not field.source.display
            assert preview.query("MarkdownH2")  # rendered, not shown as '## ...'
            assert "Our story" in preview.source
            assert not screen.dirty  # looking is not editing
            await pilot.press("ctrl+r")
            await until(
                pilot, lambda: not field.previewing and field.source.has_focus, "back to the text"
            )
            assert field.source.text == BODY
            # the button does the same
            field.query_one("#prop-body-toggle").press()
            # focus() takes effect a message after the class is set: wait for both
            await until(
                pilot,
                lambda: field.previewing and isinstance(app.focused, MarkdownPreview),
                "the preview, focused, from the button",
            )
            field.query_one("#prop-body-toggle").press()
            await until(
                pilot,
                lambda: not field.previewing and field.source.has_focus,
                "the text, focused, from the button",
            )
            assert not screen.dirty

    run(scenario())
    assert stored_body(actor, page) == BODY


def test_markdown_edits_save_undo_and_redo(editor, page, actor):
    app = editor(page)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_home(pilot, app)
            area = screen.form.query_one("#prop-body", TextArea)
            area.focus()
            area.move_cursor(area.document.end)
            await pilot.press("enter", "-", "space", "m", "u", "g", "s")
            await until(
                pilot, lambda: screen.blocks[0].props["body"].endswith("\n- mugs"), "the edit"
            )
            assert screen.dirty
            # the preview shows the edited text, not the stored one
            await pilot.press("ctrl+r")
            field = screen.form.query_one(MarkdownField)
            await until(pilot, lambda: "mugs" in field.preview.source, "the edited text rendered")
            assert field.preview.query("MarkdownBulletList")
            await pilot.press("ctrl+r")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not screen.dirty, "the save")
            assert stored_body(actor, page) == BODY + "\n- mugs"
            # the page's undo (from the block list) takes the typing back as one step, redo brings it again
            screen.query_one("#blocks").focus()
            await pilot.press("ctrl+z")
            await until(pilot, lambda: screen.blocks[0].props["body"] == BODY, "undo")
            await until(
                pilot, lambda: screen.form is not None and screen.form.ready, "the form again"
            )
            assert screen.form.query_one("#prop-body", TextArea).text == BODY
            assert screen.dirty
            await pilot.press("ctrl+y")
            await until(pilot, lambda: screen.blocks[0].props["body"] == BODY + "\n- mugs", "redo")
            await until(pilot, lambda: not screen.dirty, "redo back at the saved state")

    run(scenario())
    assert stored_body(actor, page) == BODY + "\n- mugs"


def test_leaving_with_an_unsaved_markdown_edit_asks(editor, page, actor):
    app = editor(page)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_home(pilot, app)
            area = screen.form.query_one("#prop-body", TextArea)
            area.focus()
            area.move_cursor(area.document.end)
            await pilot.press("!")
            await until(pilot, lambda: screen.dirty, "the edit")
            await pilot.press("ctrl+r")  # previewing does not hide the unsaved edit
            await pilot.press("escape")
            await until(
                pilot, lambda: isinstance(app.screen, ChoiceModal), "the unsaved-changes question"
            )
            await until(pilot, lambda: app.screen.query_one("#choice-save"), "its buttons")
            app.screen.query_one("#choice-save").press()
            await until(
                pilot,
                lambda: isinstance(app.screen, ProjectScreen),
                "back on the project after saving",
            )

    run(scenario())
    assert stored_body(actor, page) == BODY + "!"
