"""The one prop schema: every layer gets the same class, choice defaults agree, and each prop type
validates and coerces hostile input into one clear InvalidInput naming the place."""

from __future__ import annotations

import math
import re
from pathlib import Path

import pytest

from bgpub.domain import props as domain_props
from bgpub.domain.locations import Location
from bgpub.domain.props import PROP_TYPES, PropSpec, check_fields
from bgpub.errors import InvalidInput, RenderError
from bgpub.render import components
from bgpub.services import library

HERE = Location("demo", "home", 1, "hero")
HUGE = "x" * 1_000_000


def spec(**kwargs: object) -> PropSpec:
    return PropSpec.from_dict({"name": "p", **kwargs})


def test_every_layer_uses_the_one_prop_spec() -> None:
    from bgpub.tui.widgets import props_form

    assert components.PropSpec is PropSpec
    assert props_form.PropSpec is PropSpec
    assert library.LibraryEntry.__annotations__["props"] == "tuple[PropSpec, ...]"
    sources = [
        p
        for p in Path(domain_props.__file__).parents[1].rglob("*.py")
        if "class PropSpec" in p.read_text("utf-8")
    ]
    assert [p.name for p in sources] == ["props.py"]


@pytest.mark.parametrize("required", [False, True])
def test_a_choice_without_default_starts_where_it_publishes(required: bool) -> None:
    """The editor used to start a non-required choice blank while the renderer published its first
    choice; a new block, a block without the prop and the renderer now agree."""
    choice = spec(type="choice", choices=["left", "center"], required=required)
    assert choice.empty_value() == choice.stored_default() == choice.default_value() == "left"
    new_block = {"p": choice.empty_value()}  # what the editor stores for a new block
    assert check_fields((choice,), new_block, HERE)["p"] == "left"
    if not required:  # a stored block without the prop publishes the same
        assert check_fields((choice,), {}, HERE)["p"] == "left"
    with_default = spec(
        type="choice", choices=["left", "center"], default="center", required=required
    )
    assert with_default.empty_value() == with_default.stored_default() == "center"
    assert check_fields((with_default,), {}, HERE)["p"] == "center"


def test_stored_schema_round_trips() -> None:
    nested = spec(
        type="list",
        min_items=1,
        fields=[{"name": "label", "type": "text", "max_length": 5}],
        default=[{"label": "a"}],
    )
    assert PropSpec.from_dict(nested.to_dict()) == nested
    asset = PropSpec.from_manifest(
        {"name": "photo", "type": "asset", "accept": ["image", "icon"]}, "m"
    )
    assert asset.accept == ("IMAGE", "ICON") and PropSpec.from_dict(asset.to_dict()) == asset


def test_presentation_per_type() -> None:
    assert (
        spec(type="text", default="Hello there\nsecond").empty_value() == ""
    )  # sample copy is a hint only
    assert spec(type="text", default="Hello there\nsecond").placeholder() == "e.g. Hello there"
    assert spec(type="url").placeholder() == "https://… or /page/"
    assert spec(type="number").placeholder() == "a number"
    assert spec(type="number").empty_value() is None and spec(type="boolean").empty_value() is False
    assert spec(type="asset").stored_default() is None
    listed = spec(
        type="list",
        min_items=2,
        fields=[
            {"name": "label", "type": "text"},
            {"name": "on", "type": "boolean", "default": True},
        ],
    )
    assert listed.empty_value() == [{"label": "", "on": True}] * 2
    assert listed.stored_default() == []
    default_list = spec(type="list", fields=[{"name": "a", "type": "text"}], default=[{"a": "x"}])
    assert (
        default_list.default_value() is not default_list.default
    )  # a copy: a render never edits the manifest


@pytest.mark.parametrize(
    ("kind", "extra", "good"),
    [
        ("text", {"max_length": 10}, "Hello"),
        ("multiline", {}, "two\nlines"),
        ("markdown", {}, "*hi*"),
        ("url", {}, "https://example.com/"),
        ("choice", {"choices": ["a", "b"]}, "b"),
        ("asset", {}, "logo.png"),
        ("number", {"min": 0, "max": 10}, 3.5),
        ("boolean", {}, True),
        ("list", {"fields": [{"name": "label", "type": "text"}]}, [{"label": "x"}]),
    ],
)
def test_each_type_accepts_its_values_and_refuses_wrong_types(
    kind: str, extra: dict, good: object
) -> None:
    prop = spec(type=kind, **extra)
    assert prop.validate(good, HERE, {"logo.png": "IMAGE"}) == good
    wrong = (
        [None, object(), {"a": 1}, b"bytes", ("t",)]
        + ([] if kind == "number" else [7])
        + ([] if kind in ("number", "boolean", "list") else [[1], True, 1.5])
    )
    for value in wrong:
        with pytest.raises(InvalidInput) as caught:
            prop.validate(value, HERE.prop("p"), None)
        assert caught.value.location == HERE.prop("p")
        assert "prop p" in str(caught.value)


@pytest.mark.parametrize(
    ("kind", "extra", "value", "message"),
    [
        ("text", {"max_length": 100}, HUGE, "longer than 100 characters (1000000)"),
        ("text", {}, "one\ntwo", "single line"),
        ("text", {}, "nul\x00", "control character (U+0000)"),
        ("markdown", {}, "bell\x07" + HUGE, "control character (U+0007)"),
        ("url", {}, "javascript:alert(1)", "scheme 'javascript' is not allowed"),
        ("url", {}, "java&#x09;script:alert(1)", "not allowed"),
        ("url", {}, "//evil.example/", "protocol-relative"),
        ("choice", {"choices": ["a", "b"]}, HUGE, "is not one of a, b"),
        ("asset", {}, HUGE, "does not exist in this project"),
        ("number", {"max": 10}, 10**400, "above the maximum 10"),
        ("number", {}, math.inf, "expects a number, got float"),
        ("number", {}, math.nan, "expects a number, got float"),
        ("number", {}, True, "expects a number, got bool"),
        (
            "list",
            {"fields": [{"name": "a", "type": "text"}], "max_items": 3},
            [{"a": "x"}] * 4,
            "at most 3 items",
        ),
        (
            "list",
            {"fields": [{"name": "a", "type": "text"}]},
            ["not an object"],
            "list item must be an object",
        ),
        (
            "list",
            {"fields": [{"name": "a", "type": "text"}]},
            [{"a": "x", "zz": 1}],
            "unknown prop",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "_",
)
def test_hostile_values_are_refused_with_a_short_message(
    kind: str, extra: dict, value: object, message: str
) -> None:
    with pytest.raises(InvalidInput, match=re.escape(message)) as caught:
        spec(type=kind, **extra).validate(value, HERE.prop("p"), {"logo.png": "IMAGE"})
    assert len(str(caught.value)) < 300  # a huge value is never echoed back whole
    assert caught.value.location is not None and caught.value.location.prop_path[0] == "p"


def test_asset_type_must_be_accepted() -> None:
    photo = PropSpec.from_manifest({"name": "photo", "type": "asset"}, "m")
    with pytest.raises(InvalidInput, match="is a document; this prop accepts image assets only"):
        photo.validate("cv.pdf", HERE, {"cv.pdf": "DOCUMENT"})
    assert photo.validate("", HERE, {}) is None


@pytest.mark.parametrize(
    ("kind", "extra", "text", "value"),
    [
        ("text", {}, "", ""),
        ("text", {}, HUGE, HUGE),
        ("url", {}, " /about/ ", " /about/ "),
        ("number", {}, "42", 42),
        ("number", {}, "-1.5", -1.5),
        ("number", {}, "", None),
        ("boolean", {}, " Yes ", True),
        ("boolean", {}, "off", False),
        ("boolean", {}, "", None),
        ("choice", {"choices": ["a"]}, "a", "a"),
        ("choice", {"choices": ["a"]}, "", None),
        ("asset", {}, "logo.png", "logo.png"),
        ("list", {"fields": [{"name": "a", "type": "text"}]}, '[{"a": "x"}]', [{"a": "x"}]),
        ("list", {"fields": [{"name": "a", "type": "text"}]}, "", None),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "_",
)
def test_command_line_text_is_coerced_by_type(
    kind: str, extra: dict, text: str, value: object
) -> None:
    assert spec(type=kind, **extra).coerce(text, HERE) == value


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        ("number", "twelve", "expected a number"),
        ("number", "9" * 100_000, "expected a finite number"),
        ("number", "inf", "expected a finite number"),
        ("number", "nan", "expected a finite number"),
        ("boolean", "maybe", "expected true or false"),
        ("boolean", HUGE, "expected true or false"),
        ("list", "[{", "given as JSON text"),
        ("list", "[" * 100_000, "JSON text|nested too deeply"),
    ],
    ids=lambda v: v if isinstance(v, str) and len(v) < 30 else "_",
)
def test_bad_command_line_text_is_one_clear_error(kind: str, text: str, message: str) -> None:
    prop = spec(type=kind, fields=[{"name": "a", "type": "text"}])
    with pytest.raises(InvalidInput, match=message) as caught:
        prop.coerce(text, HERE.prop("p"))
    assert len(str(caught.value)) < 300
    assert caught.value.location == HERE.prop("p")


def test_a_number_longer_than_python_converts_is_refused_not_crashed() -> None:
    with pytest.raises(InvalidInput, match="expected a finite number"):
        spec(type="number").coerce("1" + "0" * 5000, HERE)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"name": "p", "type": "colour"}, "unknown prop type 'colour'"),
        ({"name": "p", "type": ["text"]}, "unknown prop type"),
        ({"name": "Bad Name", "type": "text"}, "every prop needs a name"),
        ({"name": "p", "type": "choice"}, "a choice prop needs choices"),
        ({"name": "p", "type": "choice", "choices": [1, 2]}, "a choice prop needs choices"),
        ({"name": "p", "type": "list"}, "a list prop needs"),
        (
            {"name": "p", "type": "list", "fields": [{"name": "q", "type": "list"}]},
            "unknown prop type 'list'",
        ),
        ({"name": "p", "type": "asset", "accept": ["spreadsheet"]}, "accept must list asset types"),
        ("not a table", "a prop must be a table"),
    ],
)
def test_bad_manifest_props_name_the_manifest(data: object, message: str) -> None:
    with pytest.raises(RenderError, match=message) as caught:
        PropSpec.from_manifest(data, "components/x/component.toml, prop p")
    assert "components/x/component.toml" in str(caught.value)


def test_registry_has_every_type_once() -> None:
    assert set(PROP_TYPES) == {
        "text",
        "multiline",
        "markdown",
        "url",
        "asset",
        "number",
        "boolean",
        "choice",
        "list",
    }
    assert all(name == kind.name for name, kind in PROP_TYPES.items())
