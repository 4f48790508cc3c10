"""Issue 12's page-editor defects, each as a new user met it: block keys inside the form, the
component palette's keys and ranking, keys typed while a modal opens, the invisible Shift+Tab stop."""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Button, Input, OptionList
from tui_support import SIZE, notifications, run, until

from bgpub.services import blocks as block_service
from bgpub.services.pages import add_page
from bgpub.services.projects import create_project
from bgpub.tui.screens.page_editor import PageEditorScreen
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.widgets.component_palette import ComponentPaletteModal


@pytest.fixture
def site(actor) -> str:
    """Page `home`: a navbar of two links (block 1) and a hero (block 2)."""
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_page(actor, ref, "home", "Home")
    block_service.add_block(
        actor,
        ref,
        "home",
        "navbar",
        {"links": [{"label": "About", "url": "/about/"}, {"label": "Blog", "url": "/blog/"}]},
    )
    block_service.add_block(actor, ref, "home", "hero", {"heading": "Hello"})
    return ref


async def open_block(pilot, app, index: int) -> PageEditorScreen:
    await until(
        pilot,
        lambda: isinstance(app.screen, ProjectScreen) and app.screen.pages.current_slug == "home",
        "pages",
    )
    await pilot.press("enter")
    await until(
        pilot,
        lambda: isinstance(app.screen, PageEditorScreen) and app.screen.form is not None,
        "the editor",
    )
    screen = app.screen
    screen.query_one("#blocks").focus()
    screen.block_list.highlighted = index
    await until(
        pilot,
        lambda: (
            screen.form_index == index
            and screen.form is not None
            and getattr(screen.form, "ready", True)
        ),  # (older forms had no `ready`)
        f"block {index + 1}'s form",
    )
    await pilot.pause()
    return screen


def test_block_keys_act_only_on_the_block_list(editor, site):
    """Defect 3: Delete/x on a list item's button, or in a field, never removes the block."""
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_block(pilot, app, 0)
            screen.form.query_one("#prop-links-1-up", Button).focus()
            await pilot.press("delete", "x", "c")
            await pilot.pause()
            assert [b.component for b in screen.blocks] == ["navbar", "hero"]
            label = screen.form.query_one("#prop-links-0-label", Input)
            label.focus()
            await pilot.pause()
            await pilot.press("home", "delete")
            await until(pilot, lambda: label.value == "bout", "Delete to edit the text")
            assert len(screen.blocks) == 2
            screen.block_list.focus()
            await pilot.press("x")
            await until(
                pilot,
                lambda: [b.component for b in screen.blocks] == ["hero"],
                "x on the list removes the block",
            )

    run(scenario())


def test_component_palette_ranks_names_and_arrows_move_from_the_search(editor, site):
    """Defect 6: "image" lists Image first; ↓/↑ in the search box move the selection; Enter takes it."""
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_block(pilot, app, 1)
            await pilot.press("a")
            await until(pilot, lambda: isinstance(app.screen, ComponentPaletteModal), "the palette")
            await pilot.press(*"image")
            options = app.screen.query_one("#palette-list", OptionList)
            await until(
                pilot,
                lambda: options.option_count and options.get_option_at_index(0).id == "image",
                "Image first",
            )
            assert options.option_count >= 2
            assert app.screen.focused is app.screen.query_one("#palette-search", Input)
            await pilot.press("down")
            assert options.highlighted == 1
            await pilot.press("up")
            assert options.highlighted == 0
            await pilot.press("down")
            second = options.get_option_at_index(1).id
            await pilot.press("enter")
            await until(pilot, lambda: len(screen.blocks) == 3, "the block added")
            assert screen.blocks[2].component == second

    run(scenario())


def test_a_modal_owns_the_keys_typed_while_it_opens(editor, actor, site):
    """Defect 7: keys typed straight after Insert go to the palette's search, not to the form below."""
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_block(pilot, app, 1)
            field = screen.form.query_one("#prop-heading", Input)
            field.focus()
            await pilot.pause()
            for key, char in (("insert", None), ("f", "f"), ("a", "a"), ("q", "q")):
                app.post_message(
                    events.Key(key, char)
                )  # all queued at once, as a fast typist sends them
            await until(pilot, lambda: isinstance(app.screen, ComponentPaletteModal), "the palette")
            search = app.screen.query_one("#palette-search", Input)
            await until(pilot, lambda: search.value == "faq", "the typed keys in the search")
            assert field.value == "Hello"

    run(scenario())


def test_shift_tab_has_no_invisible_stop(editor, site):
    """Defect 9: the props panel's scroll container is never a focus stop."""
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_block(pilot, app, 1)
            props = screen.query_one("#props")
            assert props not in screen.focus_chain
            screen.action_focus_form()
            await pilot.pause()
            first = screen.focused
            assert first is not None and first is not screen.block_list
            await pilot.press("shift+tab")
            assert screen.focused is screen.block_list

    run(scenario())


def test_undo_redo_per_field_never_crossing_a_save_silently(editor, actor, site):
    """Defect 4: typing in one field is one step, another field another; redo; a save is a mark."""
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_block(pilot, app, 1)
            heading = screen.form.query_one("#prop-heading", Input)
            heading.focus()
            await pilot.press("end", *" there")
            await until(pilot, lambda: screen.blocks[1].props["heading"] == "Hello there", "typing")
            screen.form.query_one("#prop-eyebrow", Input).focus()
            await pilot.press(*"New")
            await until(
                pilot, lambda: screen.blocks[1].props["eyebrow"] == "New", "the second field"
            )
            await pilot.press("ctrl+z")
            await until(
                pilot,
                lambda: screen.blocks[1].props.get("eyebrow", "") == "",
                "the eyebrow undone, in one step",
            )
            assert screen.blocks[1].props["heading"] == "Hello there"
            await pilot.press("ctrl+y")
            await until(pilot, lambda: screen.blocks[1].props["eyebrow"] == "New", "redone")
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not screen.dirty, "saved")
            await pilot.pause()
            screen.form.query_one("#prop-heading", Input).focus()
            await pilot.press("end", "!")
            await until(
                pilot,
                lambda: screen.blocks[1].props["heading"] == "Hello there!",
                "an edit after the save",
            )
            await pilot.press("ctrl+z")
            await until(
                pilot,
                lambda: screen.blocks[1].props["heading"] == "Hello there",
                "only that edit undone",
            )
            assert (
                screen.blocks[1].props["eyebrow"] == "New" and not screen.dirty
            )  # back at the saved state
            await pilot.press("ctrl+z")
            await until(
                pilot,
                lambda: screen.blocks[1].props.get("eyebrow", "") == "",
                "undoing past the save",
            )
            assert screen.dirty
            assert any("past the last save" in n for n in notifications(app))
            from bgpub.tui.screens.history import HistoryModal  # (imported here: the module is new)

            await pilot.press("f3")
            await until(pilot, lambda: isinstance(app.screen, HistoryModal), "the visible history")
            lines = [text for _, text in app.screen.lines]
            assert any("saved" in line for line in lines[1:]) and any(
                line.startswith("→") for line in lines
            )
            assert any("heading" in line for line in lines) and any(
                "eyebrow" in line for line in lines
            )

    run(scenario())


def test_new_list_items_and_blocks_start_empty_and_keep_the_focus(editor, site):
    """Defect 8: adding an item focuses its first field (no jump to the top); it starts empty with
    placeholders, and so does a new block, whose required empty fields are flagged at once."""
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            screen = await open_block(pilot, app, 0)
            add = screen.form.query_one("#prop-links-add", Button)
            add.focus()
            await pilot.press("enter")
            await until(pilot, lambda: len(screen.blocks[0].props["links"]) == 3, "a third link")
            await pilot.pause()
            assert screen.focused is screen.form.query_one("#prop-links-2-label", Input)
            assert screen.blocks[0].props["links"][2] == {"label": "", "url": ""}
            await until(  # in view: the form scrolls to it on the next refresh
                pilot,
                lambda: screen.query_one("#props").region.contains_region(screen.focused.region),
                "the new field scrolled into view",
            )
            screen.block_list.focus()
            await pilot.press("a")
            await until(pilot, lambda: isinstance(app.screen, ComponentPaletteModal), "the palette")
            await pilot.press(*"pricing", "enter")
            await until(
                pilot,
                lambda: any(b.component == "pricing-table" for b in screen.blocks),
                "a pricing table",
            )
            block = next(b for b in screen.blocks if b.component == "pricing-table")
            texts = [
                v for tier in block.props["tiers"] for v in tier.values() if isinstance(v, str)
            ]
            assert all(v == "" for v in texts) and "Unlimited" not in str(block.props)
            tier_name = screen.form.query_one("#prop-tiers-0-name", Input)
            assert tier_name.placeholder  # shows what goes there
            at = screen.blocks.index(block)
            await until(pilot, lambda: at in screen.invalid, "required empty fields flagged")

    run(scenario())
