"""Two people edit the same page in two editor instances: the second save sees the first (no lost update)."""

from __future__ import annotations

import pytest
from tui_support import SIZE, fixed_time, run, type_text, until

from bgpub.services import blocks as block_service
from bgpub.services.members import add_member
from bgpub.services.pages import get_page
from bgpub.services.projects import create_project
from bgpub.services.workspace import open_workspace
from bgpub.tui.app import make_app
from bgpub.tui.screens.modals import ChoiceModal
from bgpub.tui.screens.page_editor import PageEditorScreen


@pytest.fixture
def shared_page(actor) -> str:
    project = create_project(actor, "shared", title="Shared")
    from bgpub.services.pages import add_page

    add_page(actor, project, "home", "Home")
    block_service.add_block(actor, project, "home", "hero", {"heading": "Original"})
    return f"{project.organization.slug}/shared"


@pytest.fixture
def second_editor(actor, db_target, home, monkeypatch, shared_page):
    """Bob, an EDITOR of the same organization, in his own editor instance on the same database."""
    add_member(actor, shared_page.split("/")[0], "bob@example.com", "EDITOR")
    monkeypatch.setenv("BGPUB_ALLOW_IMPERSONATION", "1")
    workspace = open_workspace(db_target.url, "bob@example.com", workspace_path=home)
    assert workspace.actor.email == "bob@example.com"
    return make_app(workspace, shared_page, format_time=fixed_time)


async def open_editor(pilot) -> PageEditorScreen:
    await until(pilot, lambda: pilot.app.screen.pages.current_slug == "home", "the page list")
    await pilot.press(
        "enter"
    )  # keys, not calls: each app's screens must start in that app's context
    await until(
        pilot,
        lambda: (
            isinstance(pilot.app.screen, PageEditorScreen) and pilot.app.screen.form is not None
        ),
        "the editor",
    )
    return pilot.app.screen


async def edit_heading(pilot, text: str) -> None:
    """Mouse and keys only: with two apps in one test, only events reach the right app's context."""
    await pilot.press("f2", "tab")  # into the form: eyebrow, then heading
    await until(pilot, lambda: pilot.app.focused.id == "prop-heading", "the heading field focused")
    await pilot.press("end", "ctrl+u")
    await type_text(pilot, text)
    await until(
        pilot,
        lambda: pilot.app.screen.dirty and pilot.app.screen.blocks[0].props["heading"] == text,
        "the edit to register",
    )


def test_second_save_detects_the_change_and_offers_reload_or_overwrite(
    editor, actor, shared_page, second_editor
):
    alice, bob = editor(shared_page), second_editor

    async def scenario() -> None:
        async with alice.run_test(size=SIZE) as a, bob.run_test(size=SIZE) as b:
            alice_editor = await open_editor(a)
            bob_editor = await open_editor(b)
            loaded = alice_editor.document.revision
            assert bob_editor.document.revision == loaded

            # Alice saves first
            await edit_heading(a, "From Alice")
            await a.press("ctrl+s")
            await until(a, lambda: not alice_editor.dirty, "Alice's save")
            assert (
                get_page(actor, shared_page, "home").blocks[0]["props"]["heading"] == "From Alice"
            )

            # Bob's save is based on the old revision: refused, and he is asked
            await edit_heading(b, "From Bob")
            await b.press("ctrl+s")
            await until(b, lambda: isinstance(bob.screen, ChoiceModal), "the conflict question")
            assert "changed" in bob.screen.question
            assert (
                get_page(actor, shared_page, "home").blocks[0]["props"]["heading"] == "From Alice"
            )

            # reload: Bob now sees Alice's text, nothing unsaved
            await b.click("#choice-reload")
            await until(
                b,
                lambda: (
                    isinstance(bob.screen, PageEditorScreen)
                    and not bob_editor.dirty
                    and bob_editor.blocks[0].props["heading"] == "From Alice"
                ),
                "Bob's reload",
            )
            assert bob_editor.document.revision > loaded

            # Bob saves on top of Alice; now Alice is the stale one and chooses to overwrite
            await until(b, lambda: bob_editor.form is not None, "Bob's form")
            await edit_heading(b, "Bob after reload")
            await b.press("ctrl+s")
            await until(b, lambda: not bob_editor.dirty, "Bob's save")
            await edit_heading(a, "Alice insists")
            await a.press("ctrl+s")
            await until(
                a, lambda: isinstance(alice.screen, ChoiceModal), "Alice's conflict question"
            )
            await a.click("#choice-overwrite")
            await until(
                a,
                lambda: isinstance(alice.screen, PageEditorScreen) and not alice_editor.dirty,
                "the overwrite",
            )
            page = get_page(actor, shared_page, "home")
            assert page.blocks[0]["props"]["heading"] == "Alice insists"
            assert page.revision == alice_editor.document.revision

    run(scenario())
