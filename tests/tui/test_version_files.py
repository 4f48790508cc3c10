"""Versions (issue 12): the diff lists the changed files and shows the text diff of a chosen one; any
two versions can be compared (m marks the one to compare with)."""

from __future__ import annotations

import pytest
from tui_support import run, until

from bgpub.services import blocks as block_service
from bgpub.services.pages import add_page
from bgpub.services.projects import create_project
from bgpub.services.publishing import publish_project
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.screens.version_files import VersionFilesModal
from bgpub.tui.screens.versions import VersionsScreen


@pytest.fixture
def site(actor, home) -> str:
    """Three versions: v1 a hero "Hello", v2 the heading changed, v3 a page added."""
    project = create_project(actor, "site", title="Site")
    ref = f"{project.organization.slug}/site"
    add_page(actor, ref, "home", "Home")
    block_service.add_block(actor, ref, "home", "hero", {"heading": "Hello <world>"})
    publish_project(actor, ref, message="one", workspace=home)
    block_service.set_props(actor, ref, "home", 0, {"heading": "Hello there"})
    publish_project(actor, ref, message="two", workspace=home)
    add_page(actor, ref, "about", "About")
    publish_project(actor, ref, message="three", workspace=home)
    return ref


def test_a_chosen_file_shows_its_diff_and_any_two_versions_compare(editor, site):
    app = editor(site)

    async def scenario() -> None:
        async with app.run_test(size=(120, 36)) as pilot:
            await until(
                pilot,
                lambda: isinstance(app.screen, ProjectScreen) and app.screen.site.title,
                "the project",
            )
            await pilot.press("v")
            await until(
                pilot,
                lambda: isinstance(app.screen, VersionsScreen) and len(app.screen.rows) == 3,
                "versions",
            )
            screen = app.screen
            await until(
                pilot, lambda: screen.diff is not None and screen.diff[:2] == (2, 3), "v2 → v3"
            )
            table = screen.query_one("#versions")
            table.move_cursor(row=[v.number for v in screen.rows].index(2))
            await until(
                pilot, lambda: screen.diff is not None and screen.diff[:2] == (1, 2), "v1 → v2"
            )
            files = dict((path, mark) for mark, path in screen.diff[2].files)
            assert files.get("index.html") == "~"
            await pilot.press("f")
            await until(pilot, lambda: isinstance(app.screen, VersionFilesModal), "the files")
            modal = app.screen
            listing = modal.query_one("#files")
            listing.highlighted = [p for _, p in modal.files].index("index.html")
            await until(pilot, lambda: modal.shown == "index.html", "the diff of index.html")
            diff = modal.diff_text
            assert "--- v1/index.html" in diff and "+++ v2/index.html" in diff
            assert any(
                line.startswith("-") and "Hello &lt;world&gt;" in line for line in diff.splitlines()
            )
            assert any(line.startswith("+") and "Hello there" in line for line in diff.splitlines())
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is screen, "back on the versions")
            table.move_cursor(row=[v.number for v in screen.rows].index(3))
            await pilot.press("m")  # compare everything with v3
            table.move_cursor(row=[v.number for v in screen.rows].index(1))
            await until(
                pilot, lambda: screen.diff is not None and screen.diff[:2] == (1, 3), "v1 → v3"
            )
            marks = dict((path, mark) for mark, path in screen.diff[2].files)
            assert marks.get("about/index.html") == "+" and marks.get("index.html") == "~"

    run(scenario())
