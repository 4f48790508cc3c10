"""Widgets on plain data (no database): the props form built from a schema, and the lazy page list."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Input, Select, Switch, TextArea
from tui_support import run, until

from bgpub.domain.assets import AssetRow
from bgpub.domain.pages import PageRow
from bgpub.domain.props import PropSpec
from bgpub.tui.widgets.asset_picker import AssetPicker
from bgpub.tui.widgets.page_list import PageList
from bgpub.tui.widgets.props_form import ItemListEditor, PropsForm

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
    def compose(self) -> ComposeResult:
        yield PageList()


def test_page_list_filters_and_moves_over_ten_thousand_pages():
    app = ListApp()
    pages = [
        PageRow(f"page-{i:05d}", f"Page {i} about topic {i % 97}", is_home=i == 0)
        for i in range(10_000)
    ]

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            page_list = app.query_one(PageList)
            page_list.set_pages(pages)
            page_list.focus()
            await pilot.pause()
            assert page_list.virtual_size.height == 10_000
            await pilot.press("end")
            assert page_list.current_slug == "page-09999"
            assert page_list.scroll_offset.y > 9_000  # scrolled to the cursor
            page_list.filter("topic 42")
            assert [p.slug for p in page_list.visible][:2] == ["page-00042", "page-00139"]
            assert len(page_list.visible) == 103 and page_list.virtual_size.height == 103
            page_list.cursor = 1
            page_list.filter("")  # the cursor stays on the same page
            assert (
                page_list.current_slug == "page-00139"
                and page_list.position_of(page_list.current) == 139
            )
            page_list.filter("no such page")
            assert page_list.current is None and page_list.visible == []

    run(scenario())


def test_an_open_drop_down_hides_the_form_beneath():
    """Issue 12, defect 11: an expanded choice list covers whole lines; no letter of the labels under
    it shows through beside the options."""
    from textual.widgets import Select

    class ChoiceApp(App):
        def compose(self) -> ComposeResult:
            specs = [
                PropSpec.from_dict(d)
                for d in (
                    {
                        "name": "align",
                        "type": "choice",
                        "choices": ["left", "center", "right", "justify"],
                    },
                    {"name": "title", "type": "text"},
                    {"name": "body", "type": "multiline"},
                )
            ]
            yield PropsForm(specs, {"title": "Words", "body": "More words"})

    app = ChoiceApp()

    async def scenario() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            app.query_one(Select).focus()
            await pilot.press("enter")
            await until(pilot, lambda: app.query_one(Select).expanded, "the open list")
            await pilot.pause()
            lines = [
                "".join(s.text for s in strip)
                for strip in app.screen._compositor.render_full_update().strips
            ]
            options = [
                line for line in lines if line.strip() in ("left", "center", "right", "justify")
            ]
            assert len(options) == 4, lines
            assert all(line.startswith(line.strip()[0]) for line in options), options

    run(scenario())
