"""The editor's records are domain types now: `bgpub.tui.records` is gone, and the editor places an
error by its `Location` fields, never by parsing the error's text."""

from __future__ import annotations

import importlib.util

from bgpub.domain.components import ComponentInfo
from bgpub.domain.locations import Location
from bgpub.domain.props import PropSpec
from bgpub.errors import InvalidInput


def test_the_tui_records_module_is_gone() -> None:
    assert importlib.util.find_spec("bgpub.tui.records") is None


def test_errors_are_placed_by_their_location_fields() -> None:
    from bgpub.tui.screens.page_editor import errors_of

    deep = InvalidInput(
        "too long",
        where=Location("demo", "home", 2, "features").prop("items").item(3).prop("title"),
    )
    assert errors_of(deep) == {("items", 2, "title"): "too long"}
    # a field name or text that merely looks like a path is not parsed back into one
    text_only = InvalidInput(
        "bad",
        where="project demo, page home, block 2 (features), prop items[3]",
        field="items[3].title",
    )
    assert errors_of(text_only) == {(): "bad"}


def test_a_new_block_starts_with_each_props_empty_value() -> None:
    info = ComponentInfo(
        "cta",
        "Call to action",
        "CONTENT",
        props=(
            PropSpec("heading", "text", default="Sample heading"),
            PropSpec("style", "choice", choices=("bold", "subtle")),
            PropSpec("url", "url"),
        ),
        summary="",
    )
    assert info.new_props() == {"heading": "", "style": "bold", "url": ""}
    assert info.summary_props() == ("heading",)  # a url never names a block
