"""The page editor through the real services: list editor, asset picker, undo, leaving with unsaved changes."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from textual.widgets import Button
from tui_support import SIZE, fill, notifications, run, until

from bgpub.services import blocks as block_service
from bgpub.services.assets import add_asset
from bgpub.services.pages import add_page, get_page
from bgpub.services.projects import create_project
from bgpub.tui.screens.assets import AssetsScreen
from bgpub.tui.screens.modals import ChoiceModal, ConfirmModal
from bgpub.tui.screens.page_editor import PageEditorScreen
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.widgets.props_form import ItemListEditor, PropsForm


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def page(actor) -> str:
    """A project with page `home`: a hero (block 1) and a feature grid of three features (block 2)."""
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_page(actor, ref, "home", "Home")
    block_service.add_block(actor, ref, "home", "hero", {"heading": "Hello"})
    block_service.add_block(actor, ref, "home", "feature-grid", {})
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


async def select_block(pilot, screen: PageEditorScreen, index: int) -> PropsForm:
    screen.query_one("#blocks").focus()
    screen.block_list.highlighted = index
    await until(
        pilot,
        lambda: screen.form_index == index and screen.form is not None and screen.form.ready,
        f"block {index + 1}'s form",
    )
    await pilot.pause()
    return screen.form


def features(screen: PageEditorScreen) -> list[str]:
    return [item["title"] for item in screen.blocks[1].props["features"]]


def test_list_of_items_editor_adds_removes_and_reorders(editor, actor, page):
    app = editor(page)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_home(pilot, app)
            form = await select_block(pilot, screen, 1)
            items = form.query_one("#prop-features", ItemListEditor)
            assert len(items.items) == 3
            items.query_one("#prop-features-add", Button).press()
            await until(
                pilot,
                lambda: (
                    len(screen.blocks[1].props.get("features", [])) == 4
                    and len(items.query(".item-remove")) == 4
                ),
                "a fourth item",
            )
            assert (
                features(screen)[-1] == ""
            )  # a new item starts empty (its sample text is the placeholder)
            await until(pilot, lambda: form.ready, "the new item's fields ready")
            await fill(pilot, app, "#prop-features-3-title", "Fourth")
            await until(pilot, lambda: features(screen)[-1] == "Fourth", "the new item's title")
            before = features(screen)
            form.query_one("#prop-features-1-up", Button).press()
            await until(
                pilot,
                lambda: features(screen) == [before[1], before[0], *before[2:]],
                "item 2 moved up",
            )
            await until(
                pilot,
                lambda: form.ready and len(items.query(".item-remove")) == 4,
                "the list rebuilt",
            )
            form.query_one("#prop-features-0-remove", Button).press()
            await until(
                pilot,
                lambda: (
                    features(screen) == [before[0], *before[2:]]
                    and len(items.query(".item-remove")) == 3
                    and form.ready
                ),
                "item 1 removed",
            )
            await fill(pilot, app, "#prop-features-0-title", "Quick")
            await until(pilot, lambda: features(screen)[0] == "Quick", "the item's title edited")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not screen.dirty, "the save")
            stored = get_page(actor, page, "home").blocks[1]["props"]["features"]
            assert [f["title"] for f in stored] == ["Quick", *before[2:]]

    run(scenario())


def test_item_errors_show_under_the_item_field(editor, page):
    app = editor(page)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_home(pilot, app)
            form = await select_block(pilot, screen, 1)
            await fill(pilot, app, "#prop-features-1-title", "")
            item_form = form.query_one("#prop-features", ItemListEditor).query("FieldSet").nodes[1]
            await until(
                pilot, lambda: item_form.error_text("title"), "the error under item 2's title"
            )
            assert "required" in item_form.error_text("title")
            assert 1 in screen.invalid

    run(scenario())


def test_asset_picker_and_asset_in_use_cannot_be_deleted(editor, actor, page, tmp_path):
    add_asset(actor, page, png(), name="logo.png", alt="Logo")
    (tmp_path / "Photo One.png").write_bytes(png())
    app = editor(page)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_home(pilot, app)
            form = await select_block(pilot, screen, 0)
            picker = form.query_one("#prop-image")
            assert [value for _, value in picker._options if value != picker.NULL] == ["logo.png"]
            picker.value = "logo.png"
            await until(
                pilot, lambda: screen.blocks[0].props.get("image") == "logo.png", "the image chosen"
            )
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not screen.dirty, "the save")
            assert get_page(actor, page, "home").blocks[0]["props"]["image"] == "logo.png"
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, ProjectScreen), "the project screen")
            await pilot.press("a")
            await until(
                pilot,
                lambda: isinstance(app.screen, AssetsScreen) and app.screen.rows,
                "the assets",
            )
            assert [(a.name, a.type, a.size) for a in app.screen.rows] == [
                ("logo.png", "IMAGE", len(png()))
            ]
            await pilot.press("n")  # add a file from disk: its type is detected, its size listed
            await until(pilot, lambda: app.screen.query_one("#file-path"), "the add-file form")
            await fill(pilot, app, "#file-path", str(tmp_path / "missing.png"))
            await pilot.press("enter")
            await until(
                pilot,
                lambda: "no file" in str(app.screen.query_one("#file-error").content),
                "the refusal",
            )
            await fill(pilot, app, "#file-path", str(tmp_path / "Photo One.png"))
            await pilot.press("enter")
            await until(
                pilot,
                lambda: isinstance(app.screen, AssetsScreen) and len(app.screen.rows) == 2,
                "the new asset",
            )
            added = next(a for a in app.screen.rows if a.name != "logo.png")
            assert (added.type, added.mime, added.size) == ("IMAGE", "image/png", len(png()))
            app.screen.query_one("DataTable").move_cursor(
                row=[a.name for a in app.screen.rows].index("logo.png")
            )
            await pilot.press("x")
            await until(pilot, lambda: isinstance(app.screen, ConfirmModal), "the confirmation")
            await pilot.press("y")
            await until(
                pilot, lambda: any("still used by" in n for n in notifications(app)), "the refusal"
            )
            assert any("page home" in n for n in notifications(app))
            assert [a.name for a in app.screen.rows] == ["logo.png", "photo-one.png"]

    run(scenario())


def test_undo_and_leaving_with_unsaved_changes(editor, actor, page):
    app = editor(page)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_home(pilot, app)
            await fill(pilot, app, "#prop-heading", "Changed")
            await until(pilot, lambda: screen.blocks[0].props["heading"] == "Changed", "the edit")
            screen.query_one("#blocks").focus()
            await pilot.press("x")  # remove the hero
            await until(
                pilot,
                lambda: [b.component for b in screen.blocks] == ["feature-grid"],
                "the removal",
            )
            await pilot.press("ctrl+z")
            await until(
                pilot,
                lambda: [b.component for b in screen.blocks] == ["hero", "feature-grid"],
                "the undo",
            )
            assert screen.blocks[0].props["heading"] == "Changed"
            await pilot.press("ctrl+z")
            await until(
                pilot, lambda: screen.blocks[0].props["heading"] == "Hello", "the second undo"
            )
            await pilot.press("c")  # duplicate, then move it down
            await until(pilot, lambda: len(screen.blocks) == 3, "the duplicate")
            await pilot.press("escape")
            await until(
                pilot, lambda: isinstance(app.screen, ChoiceModal), "the unsaved-changes question"
            )
            await pilot.click("#choice-cancel")
            await until(pilot, lambda: app.screen is screen, "staying on the page")
            await pilot.press("escape")
            await until(pilot, lambda: isinstance(app.screen, ChoiceModal), "the question again")
            await pilot.click("#choice-discard")
            await until(
                pilot, lambda: isinstance(app.screen, ProjectScreen), "leaving without saving"
            )
            assert [b["component"] for b in get_page(actor, page, "home").blocks] == [
                "hero",
                "feature-grid",
            ]

    run(scenario())
