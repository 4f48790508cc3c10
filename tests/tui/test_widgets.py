"""Widgets on plain data (no database): the props form built from a schema, the lazy page list,
and the table that repaints once it has measured its rows."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.css.query import NoMatches
from textual.geometry import Region
from textual.widgets import DataTable, Header, Input, Select, Switch, TextArea
from textual.widgets._header import HeaderTitle
from tui_support import run, until

from bgpub.domain.assets import AssetRow
from bgpub.domain.pages import PageRow, window_of
from bgpub.domain.props import PropSpec
from bgpub.tui.widgets.asset_picker import AssetPicker
from bgpub.tui.widgets.fitted_table import FittedTable
from bgpub.tui.widgets.page_list import WINDOW, PageList
from bgpub.tui.widgets.props_form import ItemListEditor, PropsForm
from bgpub.tui.widgets.screen_header import ScreenHeader

SCHEMA = [
    {"name": "title", "type": "text", "required": True, "max_length": 20, "help": "The title"},
    {"name": "body", "type": "markdown"},
    {"name": "notes", "type": "multiline"},
    {"name": "link", "type": "url"},
    {"name": "count", "type": "number", "min": 0, "max": 10},
    {"name": "wide", "type": "boolean", "default": True},
    {"name": "align", "type": "choice", "choices": ["left", "center"], "default": "left"},
    {"name": "photo", "type": "asset"},
    {"name": "items", "type": "list", "fields": [{"name": "label", "type": "text"}]},
]


class FormApp(App):
    def __init__(self) -> None:
        super().__init__()
        self.changes: list[dict] = []

    def compose(self) -> ComposeResult:
        specs = [PropSpec.from_dict(d) for d in SCHEMA]
        yield PropsForm(
            specs,
            {"title": "Hi", "items": [{"label": "a"}]},
            [AssetRow("logo.png", "IMAGE", "image/png", 2048)],
        )

    def on_props_form_changed(self, message: PropsForm.Changed) -> None:
        self.changes.append(message.props)


def test_props_form_has_an_editor_per_prop_type_and_reports_changes():
    app = FormApp()

    async def scenario() -> None:
        async with app.run_test(size=(100, 60)) as pilot:
            form = app.query_one(PropsForm)
            kinds = {
                name: type(form.query_one(f"#prop-{name}")) for name in (d["name"] for d in SCHEMA)
            }
            assert kinds == {
                "title": Input,
                "body": TextArea,
                "notes": TextArea,
                "link": Input,
                "count": Input,
                "wide": Switch,
                "align": Select,
                "photo": AssetPicker,
                "items": ItemListEditor,
            }
            assert form.query_one("#prop-count", Input).type == "number"
            assert form.query_one("#prop-wide", Switch).value is True
            await pilot.pause()
            assert app.changes == []  # building the form is not an edit

            form.query_one("#prop-count", Input).value = "7"
            await until(
                pilot,
                lambda: app.changes and app.changes[-1].get("count") == 7,
                "the number parsed",
            )
            form.query_one("#prop-wide", Switch).value = False
            await until(pilot, lambda: app.changes[-1].get("wide") is False, "the switch")
            form.query_one("#prop-photo", AssetPicker).value = "logo.png"
            await until(pilot, lambda: app.changes[-1].get("photo") == "logo.png", "the asset")
            form.query_one("#prop-items-0-label", Input).value = "b"
            await until(
                pilot, lambda: app.changes[-1].get("items") == [{"label": "b"}], "the list item"
            )
            assert app.changes[-1]["title"] == "Hi"

            form.show_errors(
                {("link",): "javascript: is not allowed", ("items", 0, "label"): "too long"}
            )
            await pilot.pause()
            assert form.error_text("link") == "javascript: is not allowed"
            assert form.query_one("#prop-link-field").has_class("-invalid")
            item = form.query_one("#prop-items", ItemListEditor)._item_sets()[0]
            assert item.error_text("label") == "too long"
            form.show_errors({})
            await pilot.pause()
            assert form.error_text("link") == "" and not form.query_one(
                "#prop-link-field"
            ).has_class("-invalid")

    run(scenario())


class ListApp(App):
    """A page list served from memory as the screen serves it from the database: each request is
    answered after the event loop turns (as a worker's answer would), and counted."""

    def __init__(self, pages: list[PageRow]) -> None:
        super().__init__()
        self.pages = pages
        self.asked: list[tuple[str, int, bool]] = []

    def compose(self) -> ComposeResult:
        yield PageList()

    def on_mount(self) -> None:
        self.query_one(PageList).reload()

    def on_page_list_rows_wanted(self, wanted: PageList.RowsWanted) -> None:
        self.asked.append((wanted.text, wanted.start, wanted.base))
        window = window_of(
            self.pages, text=wanted.text, start=wanted.start, limit=wanted.limit, keep=wanted.keep
        )
        self.call_later(self.query_one(PageList).show_window, window, wanted)


def topic_pages(count: int) -> list[PageRow]:
    return [
        PageRow(f"page-{i:05d}", f"Page {i} about topic {i % 97}", is_home=i == 0)
        for i in range(count)
    ]


def test_page_list_reads_ten_thousand_pages_a_window_at_a_time():
    app = ListApp(topic_pages(10_000))

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            page_list = app.query_one(PageList)
            page_list.focus()
            await until(pilot, lambda: page_list.rows, "the first window")
            assert page_list.virtual_size.height == 10_000 and page_list.total == 10_000
            assert len(page_list.rows) == WINDOW  # one window read, not every page
            await pilot.press("end")
            await until(pilot, lambda: page_list.current is not None, "the last window")
            assert page_list.current_slug == "page-09999" and page_list.current_number == 10_000
            assert page_list.scroll_offset.y > 9_000  # scrolled to the cursor
            assert len(page_list.rows) == 2 * WINDOW  # the first and the last window only

            page_list.filter("topic 42")  # read from the source: the list does not hold every page
            await until(pilot, lambda: page_list.settled, "the filter's window")
            assert [p.slug for p in page_list.rows][:2] == ["page-00042", "page-00139"]
            assert page_list.shown == 103 and page_list.virtual_size.height == 103
            page_list.cursor = 1
            page_list.filter("")  # the cursor stays on the same page
            await until(pilot, lambda: page_list.settled, "the unfiltered window")
            assert page_list.current_slug == "page-00139" and page_list.current_number == 140
            page_list.filter("no such page")
            await until(pilot, lambda: page_list.settled, "an empty answer")
            assert page_list.current is None and page_list.rows == () and page_list.shown == 0

    run(scenario())


def test_page_list_scrolling_reads_the_windows_it_shows():
    app = ListApp(topic_pages(1_000))

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            page_list = app.query_one(PageList)
            page_list.focus()
            await until(pilot, lambda: page_list.rows, "the first window")
            for _ in range(12):  # about 250 rows down: into the second window
                await pilot.press("pagedown")
            await until(pilot, lambda: page_list.current is not None, "the second window")
            index = page_list.cursor
            assert WINDOW <= index < 2 * WINDOW
            assert page_list.current_slug == f"page-{index:05d}"
            assert page_list.current_number == index + 1
            assert [start for _, start, base in app.asked if not base] == [WINDOW]
            held = page_list.rows
            assert [p.slug for p in held] == [f"page-{i:05d}" for i in range(2 * WINDOW)]

    run(scenario())


def test_a_small_page_list_filters_in_memory_without_asking():
    app = ListApp(topic_pages(150))

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            page_list = app.query_one(PageList)
            await until(pilot, lambda: page_list.rows, "the pages")
            asked = len(app.asked)
            page_list.filter("TOPIC 4")  # at once, as the user types, and ignoring case
            expected = [p for p in app.pages if "topic 4" in p.title.lower()]
            assert page_list.settled and page_list.rows == tuple(expected)
            assert page_list.shown == len(expected) == 22
            assert page_list.current_number == 5  # page-00004, 5th in the navigation
            page_list.filter("")
            assert page_list.shown == 150 and len(app.asked) == asked

    run(scenario())


class TableApp(App):
    """One table with the workspace's first columns, filled by the test."""

    CSS = "DataTable { height: 5; }"

    def __init__(self, table: DataTable[str]) -> None:
        super().__init__()
        self.table = table

    def compose(self) -> ComposeResult:
        yield self.table

    def on_mount(self) -> None:
        for label in ("Org", "Project", "By"):
            self.table.add_column(label)


def painted_early(table: DataTable[str]) -> list[str]:
    """Fills the table, paints it before it has measured its rows (as a busy machine's screen
    refresh can), lets it measure, and returns the lines it paints then."""
    app = TableApp(table)
    lines: list[str] = []

    async def scenario() -> None:
        async with app.run_test(size=(60, 8)) as pilot:
            await pilot.pause()
            width = table.virtual_size.width  # the labels' widths
            table.add_row("editor", "demo · Demo", "someone")
            table.add_row("editor", "notes", "—")
            table.render_lines(Region(0, 0, *table.size))  # the paint that came first
            await until(pilot, lambda: table.virtual_size.width > width, "the rows measured")
            await pilot.pause()
            lines.extend(
                strip.text.rstrip() for strip in table.render_lines(Region(0, 0, *table.size))
            )

    run(scenario())
    return lines


def test_a_fitted_table_painted_before_measuring_shows_whole_columns():
    expected = [
        " Org     Project      By",
        " editor  demo · Demo  someone",
        " editor  notes        —",
    ]
    assert painted_early(FittedTable(cursor_type="row"))[:3] == expected
    # the reason FittedTable exists: when this fails, Textual's own DataTable repaints after
    # measuring and FittedTable can go
    assert painted_early(DataTable(cursor_type="row"))[:3] != expected


def _emptied_header_survives_a_title_change(header: Header) -> bool:
    """A header whose title widget is already gone (its screen being replaced) while the app's
    title changes: whether the app is still running afterwards."""

    class Titled(App[None]):
        def compose(self) -> ComposeResult:
            yield header

    app = Titled()
    survived = False

    async def scenario() -> None:
        nonlocal survived
        async with app.run_test() as pilot:
            await header.query_one(HeaderTitle).remove()
            app.title = "a page opened"
            await pilot.pause()
            await pilot.pause()
            survived = app.is_running and app._exception is None

    try:
        run(scenario())
    except NoMatches:
        return False
    return survived


def test_a_screen_header_emptied_by_a_screen_switch_lets_a_title_change_pass():
    assert _emptied_header_survives_a_title_change(ScreenHeader(show_clock=False))
    # the reason ScreenHeader exists: when this fails, Textual's Header forgives it itself
    assert not _emptied_header_survives_a_title_change(Header(show_clock=False))
