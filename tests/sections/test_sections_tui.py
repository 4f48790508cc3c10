"""The Sections screen (H on the project screen), driven with Pilot (SQLite, as a front end's test): lift, edit the
shared header in the page editor (saved once, every page shows it), refusals as notifications."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tui"))

import pytest  # noqa: E402
from textual.widgets import Select  # noqa: E402
from tui_support import (  # noqa: E402
    SIZE,
    fill,
    fixed_time,  # noqa: E402
    notifications,
    run,
    until,
)

from bgpub.db.models import Page, SharedSection  # noqa: E402
from bgpub.tui.app import make_app  # noqa: E402
from bgpub.tui.screens.modals import FormModal  # noqa: E402
from bgpub.tui.screens.project import ProjectScreen  # noqa: E402
from bgpub.tui.screens.sections import SectionEditorScreen, SectionsScreen  # noqa: E402

# A front end's test: SQLite only, like tests/tui (tests/conftest.py, `_editor_on_sqlite`).
pytestmark = pytest.mark.editor


def test_sections_screen_lifts_and_edits_the_shared_header(workspace, site):
    app = make_app(workspace, site.name, format_time=fixed_time)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(
                pilot,
                lambda: isinstance(app.screen, ProjectScreen) and app.screen.pages.current_slug,
                "the project screen",
            )
            await pilot.press("H")
            await until(
                pilot, lambda: isinstance(app.screen, SectionsScreen), "the sections screen"
            )
            screen = app.screen
            await until(
                pilot,
                lambda: "no sections yet" in str(screen.query_one("#sections-summary").render()),
                "the empty list",
            )
            await pilot.press("L")
            await until(
                pilot,
                lambda: [r.name for r in screen.rows] == ["footer", "header"],
                "the lifted sections",
            )
            assert any("shared header" in n for n in notifications(app))
            screen.table.move_cursor(row=1)
            await pilot.press("enter")
            await until(
                pilot,
                lambda: isinstance(app.screen, SectionEditorScreen) and app.screen.blocks,
                f"the header's blocks in the editor {notifications(app)}",
            )
            editor = app.screen
            assert [b.component for b in editor.blocks] == ["navbar"]
            editor.query_one("#blocks").focus()
            editor.block_list.highlighted = 0
            await until(
                pilot,
                lambda: editor.form_index == 0 and editor.form is not None and editor.form.ready,
                "the navbar's form",
            )
            await fill(pilot, app, "#prop-brand", "Edited Once")
            await until(
                pilot,
                lambda: editor.blocks[0].props.get("brand") == "Edited Once",
                "the edit in the editor",
            )
            await pilot.press("ctrl+s")
            # The row is committed by the save worker before the editor hears of it (PageSaved): Esc
            # before that finds the editor still dirty and rightly asks about unsaved changes.
            await until(
                pilot,
                lambda: (
                    not editor.dirty
                    and SharedSection.get(SharedSection.name == "header")
                    .blocks[0]["props"]
                    .get("brand")
                    == "Edited Once"
                ),
                "the saved header, the editor told",
            )
            await pilot.press("escape")
            await until(
                pilot, lambda: isinstance(app.screen, SectionsScreen), "back on the sections"
            )
            await pilot.press("n")
            await until(pilot, lambda: isinstance(app.screen, FormModal), "the new-section form")
            await fill(pilot, app, "Input", "Bad\u200bName")
            await pilot.press("enter")
            await until(
                pilot, lambda: any("U+200B" in n for n in notifications(app)), "the refusal"
            )
            assert {s.name for s in SharedSection.select()} == {"header", "footer"}
            await until(pilot, lambda: isinstance(app.screen, SectionsScreen), "the modal closed")
            await pilot.press("o")
            await until(pilot, lambda: len(app.screen.query(Select)) == 2, "the page opt-out form")
            app.screen.query(Select).first().value = "hidden"
            await fill(pilot, app, "Input", "about")
            await pilot.press("enter")
            await until(
                pilot,
                lambda: Page.get(Page.slug == "about").show_header is False,
                "the page opted out",
            )
            assert Page.get(Page.slug == "about").show_footer is True

    run(scenario())
