"""Prop validation: every prop type accepted and refused, and errors that name where they happened."""

from __future__ import annotations

import pytest

from bgpub.errors import InvalidInput
from bgpub.render import block_where, validate_props
from bgpub.snapshot import SavedComponent

WHERE = block_where("demo", "about", 3, "hero")


def test_block_where_names_project_page_position_and_component():
    assert str(WHERE) == "project demo, page about, block 3 (hero)"
    assert (WHERE.project, WHERE.page, WHERE.block, WHERE.component) == ("demo", "about", 3, "hero")


def test_defaults_are_applied(library):
    props = validate_props(library, "hero", {"heading": "Hi"}, WHERE)
    assert props == {
        "heading": "Hi",
        "subheading": "",
        "cta_label": "Learn more",
        "cta_url": "",
        "image": None,
        "align": "left",
        "tall": False,
    }


@pytest.mark.parametrize(
    "component,props",
    [
        (
            "hero",
            {
                "heading": "Hi",
                "subheading": "two\nlines",
                "cta_url": "https://example.org/x?y=1&z=2",
                "align": "center",
                "tall": True,
                "image": "logo.png",
            },
        ),
        ("hero", {"heading": "Hi", "cta_url": "http://example.org"}),
        ("hero", {"heading": "Hi", "cta_url": "mailto:me@example.org"}),
        ("hero", {"heading": "Hi", "cta_url": "tel:+3212345"}),
        ("hero", {"heading": "Hi", "cta_url": "#pricing"}),
        ("hero", {"heading": "Hi", "cta_url": "/about/"}),
        ("rich-text", {"body": "# Title\n\n*text*"}),
        (
            "features",
            {
                "columns": 4,
                "items": [{"title": "A", "text": "**b**", "link": "/x/", "icon": "logo.png"}],
            },
        ),
        ("features", {"columns": 1.5, "items": [{"title": "A"}]}),
    ],
)
def test_good_props_pass(library, component, props):
    result = validate_props(library, component, props, WHERE, assets={"logo.png"})
    for name, value in props.items():
        if name != "items":
            assert result[name] == value


@pytest.mark.parametrize(
    "component,props,prop,message",
    [
        ("hero", {}, "heading", "required prop is missing"),
        ("hero", {"heading": "  "}, "heading", "required prop is empty"),
        ("hero", {"heading": 5}, "heading", "text prop expects a string, got int"),
        ("hero", {"heading": "a\nb"}, "heading", "single line"),
        ("hero", {"heading": "x" * 121}, "heading", "longer than 120"),
        (
            "hero",
            {"heading": "Hi", "subheading": ["x"]},
            "subheading",
            "multiline prop expects a string",
        ),
        ("rich-text", {"body": {"md": 1}}, "body", "markdown prop expects a string"),
        ("hero", {"heading": "Hi", "cta_url": 3}, "cta_url", "url prop expects a string"),
        (
            "hero",
            {"heading": "Hi", "cta_url": "javascript:alert(1)"},
            "cta_url",
            "'javascript' is not allowed",
        ),
        ("hero", {"heading": "Hi", "cta_url": "JaVaScRiPt:alert(1)"}, "cta_url", "not allowed"),
        ("hero", {"heading": "Hi", "cta_url": " javascript:alert(1)"}, "cta_url", "not allowed"),
        (
            "hero",
            {"heading": "Hi", "cta_url": "java\tscript:alert(1)"},
            "cta_url",
            "control characters",
        ),
        (
            "hero",
            {"heading": "Hi", "cta_url": "&#106;avascript:alert(1)"},
            "cta_url",
            "not allowed",
        ),
        (
            "hero",
            {"heading": "Hi", "cta_url": "javascript&colon;alert(1)"},
            "cta_url",
            "not allowed",
        ),
        (
            "hero",
            {"heading": "Hi", "cta_url": "data:text/html,<script>"},
            "cta_url",
            "'data' is not allowed",
        ),
        (
            "hero",
            {"heading": "Hi", "cta_url": "vbscript:msgbox"},
            "cta_url",
            "'vbscript' is not allowed",
        ),
        ("hero", {"heading": "Hi", "cta_url": "//evil.example"}, "cta_url", "protocol-relative"),
        ("hero", {"heading": "Hi", "cta_url": "about"}, "cta_url", "expected http(s)"),
        ("hero", {"heading": "Hi", "image": 7}, "image", "asset prop expects a string"),
        (
            "hero",
            {"heading": "Hi", "image": "missing.png"},
            "image",
            "asset 'missing.png' does not exist",
        ),
        (
            "hero",
            {"heading": "Hi", "align": "right"},
            "align",
            "'right' is not one of left, center",
        ),
        ("hero", {"heading": "Hi", "align": 1}, "align", "choice prop expects a string"),
        (
            "hero",
            {"heading": "Hi", "tall": "yes"},
            "tall",
            "boolean prop expects true or false, got str",
        ),
        (
            "hero",
            {"heading": "Hi", "tall": 1},
            "tall",
            "boolean prop expects true or false, got int",
        ),
        (
            "features",
            {"columns": "3", "items": [{"title": "A"}]},
            "columns",
            "number prop expects a number, got str",
        ),
        ("features", {"columns": True, "items": [{"title": "A"}]}, "columns", "got bool"),
        ("features", {"columns": float("nan"), "items": [{"title": "A"}]}, "columns", "got float"),
        ("features", {"columns": 0, "items": [{"title": "A"}]}, "columns", "below the minimum 1"),
        ("features", {"columns": 9, "items": [{"title": "A"}]}, "columns", "above the maximum 4"),
        ("features", {"items": {"title": "A"}}, "items", "list prop expects a list, got dict"),
        ("features", {"items": []}, "items", "at least 1 items"),
        ("features", {"items": [{"title": "A"}] * 13}, "items", "at most 12 items"),
        ("features", {"items": ["A"]}, "items[1]", "list item must be an object"),
        (
            "features",
            {"items": [{"title": "A"}, {"text": "x"}]},
            "items[2], prop title",
            "required prop is missing",
        ),
        (
            "features",
            {"items": [{"title": "A", "link": "javascript:x"}]},
            "items[1], prop link",
            "not allowed",
        ),
        (
            "features",
            {"items": [{"title": "A", "bogus": 1}]},
            "items[1], prop bogus",
            "unknown prop",
        ),
        (
            "features",
            {"items": [{"title": "A", "icon": "nope.png"}]},
            "items[1], prop icon",
            "does not exist",
        ),
        ("hero", {"heading": "Hi", "colour": "red"}, "colour", "unknown prop"),
    ],
)
def test_bad_props_name_the_prop(library, component, props, prop, message):
    with pytest.raises(InvalidInput) as info:
        validate_props(library, component, props, WHERE, assets={"logo.png"})
    assert info.value.where == f"{WHERE}, prop {prop}"
    assert message in info.value.message
    assert str(info.value).startswith("project demo, page about, block 3 (hero), prop ")


def test_unknown_component(library):
    with pytest.raises(InvalidInput, match="unknown component 'carousel'") as info:
        validate_props(library, "carousel", {}, WHERE)
    assert info.value.where == str(WHERE)
    assert info.value.location == WHERE


def test_props_must_be_an_object(library):
    with pytest.raises(InvalidInput, match="props must be an object"):
        validate_props(library, "hero", ["heading"], WHERE)


def test_assets_are_only_checked_when_known(library):
    assert (
        validate_props(library, "hero", {"heading": "Hi", "image": "later.png"}, WHERE)["image"]
        == "later.png"
    )


def test_saved_component_defaults_fill_missing_props(library):
    saved = (
        SavedComponent(
            key="big-hero", base="hero", name="Big hero", defaults={"heading": "Sale", "tall": True}
        ),
    )
    props = validate_props(library, "big-hero", {"align": "center"}, WHERE, saved)
    assert (props["heading"], props["tall"], props["align"]) == ("Sale", True, "center")
    with pytest.raises(InvalidInput, match="unknown component 'other'"):
        validate_props(library, "other", {}, WHERE, saved)


def test_saved_component_on_unknown_base(library):
    saved = (SavedComponent(key="x", base="gone", name="X"),)
    with pytest.raises(InvalidInput, match="based on unknown component 'gone'"):
        validate_props(library, "x", {}, WHERE, saved)
