"""Errors carry their place as fields: front ends read them, the CLI prints today's wording."""

from __future__ import annotations

import random
from typing import Any

import pytest

from bgpub.domain.locations import Location, item_at, prop_at
from bgpub.domain.props import PropSpec, check_fields
from bgpub.errors import InvalidInput, NotFound
from bgpub.render.components import ComponentLibrary, block_where, load_library, validate_props


@pytest.fixture(scope="module")
def library() -> ComponentLibrary:
    return load_library()


def test_the_printed_place_is_the_cli_wording() -> None:
    place = Location("demo", "about", 3, "features").prop("items").item(2).prop("title")
    assert str(place) == "project demo, page about, block 3 (features), prop items[2], prop title"
    assert place.prop_path == ("items", 2, "title")
    assert place.field_path == ("items", 1, "title")  # editors index list items from 0
    assert str(Location("demo")) == "project demo"
    assert str(Location("demo", "about")) == "project demo, page about"


@pytest.mark.parametrize(
    "base",
    [
        Location(),
        Location("demo"),
        Location("demo", "about", 3, "features", ("items", 2)),
        Location("demo", section="header", block=1, component="navbar"),
    ],
)
def test_a_deeper_place_is_the_place_its_fields_make(base: Location) -> None:
    """`prop` and `item` copy without the frozen `__init__` (issue 18): what they make is equal,
    hashed, printed, pickled and still frozen like the same place built from its fields."""
    import dataclasses
    import pickle

    for deeper, path in (
        (base.prop("title"), (*base.prop_path, "title")),
        (base.item(4), (*base.prop_path, 4)),
        (base.prop("links").item(1).prop("url"), (*base.prop_path, "links", 1, "url")),
    ):
        made = dataclasses.replace(base, prop_path=path)
        assert deeper == made and hash(deeper) == hash(made)
        assert str(deeper) == str(made) and repr(deeper) == repr(made)
        assert dataclasses.asdict(deeper) == dataclasses.asdict(made)
        assert pickle.loads(pickle.dumps(deeper)) == made
        with pytest.raises(dataclasses.FrozenInstanceError):
            deeper.page = "elsewhere"  # type: ignore[misc]
    assert base.prop("a").__dict__ is not base.__dict__  # a copy, never the place it came from


def test_free_text_places_keep_working() -> None:
    assert prop_at("themes/aurora/theme.toml", "tokens") == "themes/aurora/theme.toml, prop tokens"
    assert item_at("component hero, prop items", 3) == "component hero, prop items[3]"
    error = NotFound("no such file", where="themes/aurora/templates/base.html:12")
    assert error.location is None
    assert str(error) == "themes/aurora/templates/base.html:12: no such file"


@pytest.mark.parametrize(
    ("component", "props", "path"),
    [
        ("hero", {"heading": "x", "primary_url": "javascript:alert(1)"}, ("primary_url",)),
        ("hero", {"heading": "x", "layout": "diagonal"}, ("layout",)),
        ("hero", {"heading": "x", "surprise": 1}, ("surprise",)),
        ("hero", {"heading": ""}, ("heading",)),
        (
            "navbar",
            {"links": [{"label": "ok", "url": "/"}, {"label": "x", "url": "javascript:x"}]},
            ("links", 2, "url"),
        ),
        (
            "navbar",
            {"links": [{"label": "ok", "url": "/"}, {"label": 5, "url": "/"}]},
            ("links", 2, "label"),
        ),
        ("navbar", {"links": ["not an object"]}, ("links", 1)),
        ("navbar", {"links": [{"label": "a", "url": "/", "extra": 1}]}, ("links", 1, "extra")),
    ],
)
def test_validation_errors_name_their_prop_as_fields(
    library: ComponentLibrary, component: str, props: dict[str, object], path: tuple[object, ...]
) -> None:
    where = block_where("demo", "about", 4, component)
    with pytest.raises(InvalidInput) as info:
        validate_props(library, component, props, where)
    location = info.value.location
    assert location is not None
    assert (location.project, location.page, location.block, location.component) == (
        "demo",
        "about",
        4,
        component,
    )
    assert location.prop_path == path
    assert info.value.where == str(location)
    assert str(info.value).startswith(
        f"project demo, page about, block 4 ({component}), prop {path[0]}"
    )


def _eager_fields(specs: tuple[PropSpec, ...], values: dict[str, Any], where: Location) -> object:
    """check_fields as it was: every prop's place built before its value is checked."""
    unknown = sorted(set(values) - {s.name for s in specs})
    if unknown:
        raise InvalidInput("unknown prop", where=where.prop(unknown[0]))
    result: dict[str, object] = {}
    for spec in specs:
        here = where.prop(spec.name)
        value = values.get(spec.name)
        if value is None:
            if spec.default is None:
                if spec.required:
                    raise InvalidInput("required prop is missing", where=here)
                result[spec.name] = spec.default_value()
                continue
            value = spec.default_value()
        if spec.type != "list" or not isinstance(value, list):
            result[spec.name] = spec.validate(value, here, ASSETS)
            continue
        if spec.min_items is not None and len(value) < spec.min_items:
            raise InvalidInput("needs more items", where=here)
        if spec.max_items is not None and len(value) > spec.max_items:
            raise InvalidInput("needs fewer items", where=here)
        items = []
        for index, item in enumerate(value, start=1):
            if not isinstance(item, dict):
                raise InvalidInput("list item must be an object", where=here.item(index))
            items.append(_eager_fields(spec.fields, item, here.item(index)))
        result[spec.name] = items
    return result


ASSETS = {"logo.png": "IMAGE", "notes.pdf": "DOCUMENT"}
WRONG = [None, 7, -1e9, True, "", "x", "two\nlines", "nul\x00", "javascript:alert(1)", "logo.png",
         "notes.pdf", "missing.png", [], ["x"], {"a": 1}, "https://example.com/"]  # fmt: skip


def _value(spec: PropSpec, rng: random.Random) -> object:
    """A value for `spec`: often valid (its default or empty value), often not."""
    if spec.type == "list" and rng.random() < 0.7:
        return [
            {f.name: _value(f, rng) for f in spec.fields if rng.random() < 0.9}
            | ({"surprise": 1} if rng.random() < 0.03 else {})
            for _ in range(rng.randrange(0, 4))
        ]
    choices = [spec.default_value(), spec.empty_value(), *spec.choices]
    return rng.choice(choices if rng.random() < 0.92 else WRONG)


def test_a_refused_prop_is_named_as_if_every_place_were_built_first(
    library: ComponentLibrary,
) -> None:
    """check_fields builds a prop's place only when its value fails (domain/props.py); over random,
    mostly valid props of every component, it returns and refuses exactly what building every place
    first did, and a refusal carries no first, placeless failure as its context."""
    rng = random.Random(18)
    refused = 0
    for _ in range(150):
        for key in library:
            specs = library[key].props
            where = Location("demo", "about", 2, key)
            props = {s.name: _value(s, rng) for s in specs if rng.random() < 0.9}
            try:
                expected: object = _eager_fields(specs, props, where)
            except InvalidInput as error:
                expected = error.location
            try:
                got: object = check_fields(specs, props, where, ASSETS)
            except InvalidInput as error:
                assert error.__context__ is None and error.__cause__ is None
                got = error.location
                refused += 1
            assert got == expected, (key, props)
    assert 500 < refused < 150 * len(library) - 500  # both refusals and valid props compared
