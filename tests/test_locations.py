"""Errors carry their place as fields: front ends read them, the CLI prints today's wording."""

from __future__ import annotations

import pytest

from bgpub.domain.locations import Location, item_at, prop_at
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
