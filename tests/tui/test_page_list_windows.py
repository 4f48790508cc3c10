"""The project screen over a list longer than one window: it reads only the windows it shows, End
reaches the last page, a filter finds pages never read, and F5 shows changes made elsewhere."""

from __future__ import annotations

import threading

import pytest
from tui_support import SIZE, run, type_text, until

from bgpub.db.models import Page
from bgpub.services.pages import add_page, remove_page, rename_page
from bgpub.services.projects import create_project
from bgpub.tui.screens.page_editor import PageEditorScreen
from bgpub.tui.screens.project import ProjectScreen
from bgpub.tui.service_session import ServiceSession
from bgpub.tui.widgets.page_list import WINDOW, PageList

COUNT = 2 * WINDOW + 50


def title_of(i: int) -> str:
    return f"Page {i} about topic {i % 37}"


@pytest.fixture
def long_site(actor) -> str:
    project = create_project(actor, "long", title="Long")
    Page.insert_many(
        [
            {
                "project": project,
                "slug": f"page-{i:04d}",
                "title": title_of(i),
                "position": i,
                "is_home": i == 0,
                "blocks": [],
            }
            for i in range(COUNT)
        ]
    ).execute()
    return f"{project.organization.slug}/long"


async def on_project(pilot, app) -> ProjectScreen:
    """The project screen once its first window is shown and its summary counted it (the summary
    follows the rows by one message)."""
    await until(
        pilot,
        lambda: (
            isinstance(app.screen, ProjectScreen)
            and app.screen.pages.rows
            and f"{app.screen.pages.total} page(s)" in summary(app.screen)
        ),
        "the pages",
    )
    return app.screen


def painted(page_list: PageList) -> list[str]:
    """The list's rows as the terminal shows them."""
    return [page_list.render_line(y).text for y in range(page_list.size.height)]


def summary(screen: ProjectScreen) -> str:
    return str(screen.query_one("#project-summary").content)


def test_end_reaches_the_last_page_and_scrolling_reads_the_rows_shown(editor, long_site):
    app = editor(long_site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await on_project(pilot, app)
            pages = screen.pages
            assert len(pages.rows) == WINDOW and pages.shown == COUNT  # one window read
            assert f"{COUNT} page(s)" in summary(screen)

            await pilot.press("end")
            await until(pilot, lambda: pages.current is not None, "the last window")
            assert pages.current_slug == f"page-{COUNT - 1:04d}"
            assert pages.current_number == COUNT
            assert any(title_of(COUNT - 1) in line for line in painted(pages))
            assert len(pages.rows) == WINDOW + COUNT % WINDOW  # the first and the last window

            await pilot.press("home")
            for _ in range(9):  # about 230 rows down: into the second window
                await pilot.press("pagedown")
            await until(pilot, lambda: pages.current is not None, "the second window")
            index = pages.cursor
            assert WINDOW <= index < 2 * WINDOW
            assert (pages.current_slug, pages.current_number) == (f"page-{index:04d}", index + 1)
            assert any(title_of(index) in line for line in painted(pages))
            assert [p.slug for p in pages.rows] == [f"page-{i:04d}" for i in range(COUNT)]

    run(scenario())


def test_a_filter_finds_pages_not_read_yet_and_enter_opens_the_only_one(editor, long_site):
    app = editor(long_site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await on_project(pilot, app)
            pages = screen.pages
            last = f"page-{COUNT - 1:04d}"
            assert last not in [p.slug for p in pages.rows]
            await pilot.press("slash")
            await type_text(pilot, "TOPIC 36")
            await until(pilot, lambda: pages.settled, "the filter's window")
            expected = [f"page-{i:04d}" for i in range(COUNT) if i % 37 == 36]
            assert [p.slug for p in pages.rows] == expected
            assert f"{len(expected)} of {COUNT} page(s)" in summary(screen)

            await pilot.press("ctrl+a", "ctrl+k")  # clear the field, then the one page far down
            await type_text(pilot, last)
            await pilot.press("enter")  # opens it once its row has arrived
            await until(pilot, lambda: isinstance(app.screen, PageEditorScreen), "the page")
            assert app.screen.slug == last

    run(scenario())


def test_f5_shows_pages_added_renamed_and_deleted_elsewhere(editor, actor, long_site):
    app = editor(long_site)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await on_project(pilot, app)
            pages = screen.pages
            await pilot.press("end")
            await until(pilot, lambda: pages.current is not None, "the last window")

            # another editor changes the project meanwhile
            add_page(actor, long_site, "late", "Late arrival")
            rename_page(actor, long_site, f"page-{COUNT - 2:04d}", "Renamed far down")
            remove_page(actor, long_site, "page-0001")
            await pilot.press("f5")
            await until(
                pilot,
                lambda: (
                    pages.settled
                    and f"{COUNT} page(s)" in summary(screen)
                    and pages.current is not None
                    and pages.current_slug == f"page-{COUNT - 1:04d}"
                ),
                "the list read again",
            )
            assert pages.current_number == COUNT - 1  # one page fewer above it
            await pilot.press("end")
            await until(pilot, lambda: pages.current_slug == "late", "the new last page")
            lines = painted(pages)
            assert any("Late arrival" in line for line in lines)
            assert any("Renamed far down" in line for line in lines)
            await pilot.press("home")
            await until(pilot, lambda: pages.current is not None, "the first window")
            assert "page-0001" not in [p.slug for p in pages.rows]

    run(scenario())


def test_typing_fast_shows_only_the_last_texts_rows_and_skips_the_reads_in_between(
    editor, long_site, monkeypatch
):
    """A read still running when newer keys arrive comes back late: its rows are dropped, the reads
    asked for in between are never made, and the list shows the last text's pages."""
    app = editor(long_site)
    typed = "topic 12"
    release = threading.Event()
    reads: list[str] = []
    shown: list[str] = []
    read_window = ServiceSession.page_window
    show_first = PageList._show_first

    def slow_first_read(self, project, text, *args, **kwargs):
        if text:
            reads.append(text)
            if len(reads) == 1:  # the first filter read waits until every key is typed
                assert release.wait(30)
        return read_window(self, project, text, *args, **kwargs)

    def recording_show_first(self, window):
        shown.append(window.text)
        show_first(self, window)

    monkeypatch.setattr(ServiceSession, "page_window", slow_first_read)
    monkeypatch.setattr(PageList, "_show_first", recording_show_first)

    async def scenario() -> None:
        async with app.run_test(size=SIZE) as pilot:
            screen = await on_project(pilot, app)
            pages = screen.pages
            await pilot.press("slash")
            await type_text(pilot, typed)
            await until(pilot, lambda: len(reads) == 1, "the first filter read")
            release.set()
            await until(pilot, lambda: pages.settled and reads[-1] == typed, "the last read")
            await pilot.pause(0.2)  # time for anything late to land
            expected = [f"page-{i:04d}" for i in range(COUNT) if i % 37 == 12]
            assert [p.slug for p in pages.rows] == expected
            assert f"{len(expected)} of {COUNT} page(s)" in summary(screen)
            assert typed.startswith(reads[0]) and reads[0] != typed
            assert reads == [reads[0], typed]  # the texts typed in between were never read
            assert [text for text in shown if text] == [typed]  # the late answer was dropped

    run(scenario())
