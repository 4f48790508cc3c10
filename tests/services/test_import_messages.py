"""Import refusals name the real problem: the JSON path, the type it needs and the type it got
("settings.footer_note must be a string, got a list"), for every field of the export format; and one
import cannot create more pages than the configured limit."""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import json
import typing
from pathlib import Path
from typing import Any

import pytest
from services_support import counts, png

from bgpub.errors import InvalidInput, LimitExceeded
from bgpub.services import importing, limits, projects, validation
from bgpub.snapshot import (
    AssetSnapshot,
    Block,
    PageSnapshot,
    PostSnapshot,
    ProductSnapshot,
    ProjectSnapshot,
    SavedComponent,
)

IMAGE = png()
DIGEST = hashlib.sha256(IMAGE).hexdigest()
BASE: dict[str, Any] = {
    "format": 1,
    "name": "imported",
    "title": "Imported",
    "description": "",
    "language": "en",
    "theme": "aurora",
    "theme_overrides": {"color-primary": "#123456"},
    "settings": {"base_url": "https://example.com", "seo_image": "logo.png", "footer_note": "Hi"},
    "subdomain": "imported",
    "custom_domain": "www.imported.example",
    "pages": [
        {
            "slug": "home",
            "title": "Home",
            "seo_title": "",
            "seo_description": "",
            "show_in_nav": True,
            "is_home": True,
            "noindex": False,
            "blocks": [{"component": "hero", "props": {"heading": "Hi"}}],
        }
    ],
    "assets": [
        {
            "name": "logo.png",
            "hash": DIGEST,
            "mime": "image/png",
            "size": len(IMAGE),
            "type": "IMAGE",
            "alt": "",
            "width": 4,
            "height": 3,
        }
    ],
    "components": [
        {"key": "big-hero", "base": "hero", "name": "Big hero", "description": "", "defaults": {}}
    ],
    "posts": [
        {
            "slug": "hello",
            "title": "Hello",
            "excerpt": "",
            "body": "Hi",
            "date": "2026-01-02",
            "author": "",
            "category": "News",
            "tags": ["launch"],
            "cover": "logo.png",
        }
    ],
    "products": [
        {
            "slug": "mug",
            "name": "Mug",
            "price_cents": 1200,
            "currency": "EUR",
            "description": "",
            "image": "logo.png",
        }
    ],
}

# One sample of each JSON type, by the words messages use for it.
SAMPLES: dict[str, Any] = {
    "a string": "x",
    "an integer": 7,
    "a number": 1.5,
    "true or false": True,
    "null": None,
    "a list": ["x"],
    "an object": {"x": 1},
}
# The JSON types each Python annotation of the snapshot accepts (this test's own reading of the format).
ACCEPTS = {
    str: {"a string"},
    int: {"an integer"},
    bool: {"true or false"},
    type(None): {"null"},
    float: {"a number", "an integer"},
}  # JSON has one number type: 1 is a fine focal point
SETTINGS = {"base_url": str, "seo_image": str | None, "footer_note": str}


def accepted(kind: Any) -> set[str]:
    if typing.get_origin(kind) in (typing.Union, typing.get_origin(int | None)):
        return set().union(*(accepted(k) for k in typing.get_args(kind)))
    if typing.get_origin(kind) is tuple:
        return {"a list"}
    if typing.get_origin(kind) is dict or dataclasses.is_dataclass(kind):
        return {"an object"}
    return ACCEPTS[kind]


def described(kind: Any) -> str:
    order = ["a string", "an integer", "true or false", "a list", "an object", "null"]
    if kind is float:
        return "a number"
    words = accepted(kind)
    if typing.get_origin(kind) in (typing.Union, typing.get_origin(int | None)):
        return " or ".join(
            described(k) if k is float else w
            for k in typing.get_args(kind)
            for w in (["a number"] if k is float else sorted(accepted(k), key=order.index))
        )
    return next(iter(words))


def fields() -> list[tuple[str, Any]]:
    """Every field of the format as (JSON path into BASE, its type): records, settings, theme tokens."""
    found: list[tuple[str, Any]] = []
    records = [
        ("", ProjectSnapshot),
        ("pages[0].", PageSnapshot),
        ("pages[0].blocks[0].", Block),
        ("assets[0].", AssetSnapshot),
        ("components[0].", SavedComponent),
        ("posts[0].", PostSnapshot),
        ("products[0].", ProductSnapshot),
    ]
    for prefix, record in records:
        hints = typing.get_type_hints(record)
        found.extend((prefix + f.name, hints[f.name]) for f in dataclasses.fields(record))
    found.extend((f"settings.{key}", kind) for key, kind in SETTINGS.items())
    found.append(("theme_overrides.color-primary", str))
    found.append(("posts[0].tags[0]", str))
    return found


CASES = [
    (path, kind, wrong)
    for path, kind in fields()
    for wrong in SAMPLES
    if wrong not in accepted(kind)
]


def put(data: dict, path: str, value: Any) -> None:
    """Sets the value at a JSON path such as `pages[0].blocks[0].props` or `theme_overrides.color-primary`."""
    parts = [p for p in path.replace("[", ".[").split(".") if p]
    if path.startswith("theme_overrides."):
        parts = ["theme_overrides", path.split(".", 1)[1]]
    for part in parts[:-1]:
        data = data[int(part[1:-1])] if part.startswith("[") else data[part]
    last = parts[-1]
    if last.startswith("["):
        data[int(last[1:-1])] = value
    else:
        data[last] = value


def export(folder: Path, data: dict) -> Path:
    (folder / "blobs").mkdir(parents=True, exist_ok=True)
    (folder / "blobs" / DIGEST).write_bytes(IMAGE)
    (folder / "project.json").write_text(json.dumps(data), encoding="utf-8")
    return folder


def changed(path: str, value: Any) -> dict:
    data = copy.deepcopy(BASE)
    put(data, path, value)
    return data


def test_every_field_of_the_format_is_covered(tmp_path):
    """A new snapshot field joins the cases below by itself; the base export holds every one of them."""
    assert len({path for path, _, _ in CASES}) == len(fields()) > 50
    importing.read_export(export(tmp_path, BASE))


@pytest.mark.parametrize(("path", "kind", "wrong"), CASES, ids=[f"{p}-{w}" for p, _, w in CASES])
def test_a_wrong_type_is_named_with_its_path_the_type_needed_and_the_type_given(
    tmp_path, path, kind, wrong
):
    folder = export(tmp_path, changed(path, SAMPLES[wrong]))
    with pytest.raises(InvalidInput) as caught:
        importing.read_export(folder)
    assert caught.value.message == f"{path} must be {described(kind)}, got {wrong}"
    assert caught.value.where == str(folder / "project.json")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["pages"][0].pop("title"), "pages[0].title is missing: a string is required"),
        (lambda d: d["assets"][0].pop("hash"), "assets[0].hash is missing: a string is required"),
        (lambda d: d.pop("name"), "name is missing: a string is required"),
        (lambda d: d["pages"][0].update(colour="red"), "pages[0].colour is not a known key"),
        (lambda d: d.update(extra=1), "extra is not a known key"),
        (
            lambda d: d["pages"][0]["blocks"][0].update(id=1),
            "pages[0].blocks[0].id is not a known key",
        ),
    ],
    ids=[
        "missing-title",
        "missing-hash",
        "missing-name",
        "unknown-page-key",
        "unknown-key",
        "unknown-block-key",
    ],
)
def test_missing_and_unknown_keys_are_named_with_their_path(tmp_path, change, message):
    data = copy.deepcopy(BASE)
    change(data)
    with pytest.raises(InvalidInput) as caught:
        importing.read_export(export(tmp_path, data))
    assert caught.value.message.startswith(message)


@pytest.mark.parametrize("data", [[], "x", 3, None], ids=["list", "string", "integer", "null"])
def test_a_document_that_is_not_an_object_is_named(tmp_path, data):
    with pytest.raises(
        InvalidInput, match=f"the document must be an object, got {validation.json_kind(data)}"
    ):
        importing.read_export(export(tmp_path, data))


def test_services_name_the_type_of_a_wrong_setting(actor, project):
    before = counts()
    for value, kind in (
        (["a"], "a list"),
        ({"a": 1}, "an object"),
        (3, "an integer"),
        (True, "true or false"),
    ):
        with pytest.raises(InvalidInput, match=f"footer_note must be a string, got {kind}"):
            projects.update_project(actor, "demo", settings={"footer_note": value})
    assert counts() == before


def test_every_wrong_type_is_refused_by_the_import_and_writes_nothing(actor, org, tmp_path):
    """The whole import, on each database: every wrong type of every field, refused before any write."""
    before = counts()
    missed = []
    for n, (path, kind, wrong) in enumerate(CASES):
        expected = f"{path} must be {described(kind)}, got {wrong}"
        try:
            importing.import_project(
                actor, export(tmp_path / str(n), changed(path, SAMPLES[wrong])), "bad"
            )
        except InvalidInput as exc:
            if exc.message != expected:
                missed.append((expected, exc.message))
        else:
            missed.append((expected, "imported"))
    assert missed == []
    assert counts() == before


RIGHT_TYPE_WRONG_VALUE = {
    "negative-width": (
        lambda d: d["assets"][0].update(width=-1),
        "width must be a non-negative integer or null, got -1",
    ),
    "negative-price": (
        lambda d: d["products"][0].update(price_cents=-5),
        "price_cents must be a non-negative whole number of at most 2147483647, got -5",
    ),
    "currency-newline": (
        lambda d: d["products"][0].update(currency="EUR\n"),
        "currency 'EUR\\n' is not a 3-letter ISO 4217 code",
    ),
    "asset-name-newline": (
        lambda d: d["assets"][0].update(name="logo.png\n"),
        "name contains the control character U+000A",
    ),
    "slug-newline": (
        lambda d: d["pages"][0].update(slug="home\n"),
        "slug contains the control character U+000A",
    ),
}


def test_values_of_the_right_type_but_wrong_are_named(actor, org, tmp_path):
    before = counts()
    for name, (change, words) in RIGHT_TYPE_WRONG_VALUE.items():
        data = copy.deepcopy(BASE)
        change(data)
        with pytest.raises(InvalidInput) as caught:
            importing.import_project(actor, export(tmp_path / name, data), "bad")
        assert words in caught.value.message, name
    assert counts() == before


# --- the page limit ----------------------------------------------------------------------------------


def pages(count: int) -> dict:
    data = copy.deepcopy(BASE)
    page = data["pages"][0]
    data["pages"] = [dict(page, slug=f"p{i}", title=f"P{i}", is_home=i == 0) for i in range(count)]
    return data


def test_the_default_page_limit_is_fifty_thousand(monkeypatch):
    monkeypatch.delenv(limits.IMPORT_MAX_PAGES_VARIABLE, raising=False)
    assert limits.import_page_limit() == 50_000


def test_an_import_over_the_configured_page_limit_is_refused_and_writes_nothing(
    actor, org, tmp_path, monkeypatch
):
    monkeypatch.setenv(limits.IMPORT_MAX_PAGES_VARIABLE, "3")
    before = counts()
    with pytest.raises(
        LimitExceeded, match="holds 4 pages and one import may create at most 3.*BGPUB_IMPORT_MAX"
    ):
        importing.import_project(actor, export(tmp_path / "four", pages(4)), "big")
    snapshot = ProjectSnapshot.from_dict(pages(4))
    with pytest.raises(LimitExceeded, match="at most 3"):
        importing.import_snapshot(actor, snapshot, {DIGEST: IMAGE}, name="big")
    assert counts() == before
    report = importing.import_project(actor, export(tmp_path / "three", pages(3)), "fits")
    assert report.pages == 3


def test_a_page_limit_that_is_not_a_positive_number_is_refused(actor, org, tmp_path, monkeypatch):
    before = counts()
    folder = export(tmp_path, BASE)
    for value in ("0", "-1", "many", "1.5"):
        monkeypatch.setenv(limits.IMPORT_MAX_PAGES_VARIABLE, value)
        with pytest.raises(
            InvalidInput, match=f"BGPUB_IMPORT_MAX_PAGES: must be a positive whole number.*{value}"
        ):
            importing.import_project(actor, folder, "any")
    assert counts() == before


# --- the cyclic garbage collector --------------------------------------------------------------------


def test_an_import_pauses_the_cyclic_collector_and_restores_it_however_it_ends(
    actor, org, tmp_path, monkeypatch
):
    """An import's millions of objects live until it ends: the collector is off while it reads,
    checks and writes (services/collector.py), and on again after, whether it succeeded or not."""
    import gc

    seen: list[bool] = []
    checks = importing.check_snapshot
    reading = importing.read_export

    def check(*args: Any, **kwargs: Any) -> None:
        seen.append(gc.isenabled())
        checks(*args, **kwargs)

    def read(*args: Any, **kwargs: Any) -> Any:
        seen.append(gc.isenabled())
        return reading(*args, **kwargs)

    monkeypatch.setattr(importing, "check_snapshot", check)
    monkeypatch.setattr(importing, "read_export", read)
    assert gc.isenabled()
    importing.import_project(actor, export(tmp_path / "good", BASE), "good")
    assert seen == [False, False] and gc.isenabled()
    bad = changed("pages[0].slug", "Not A Slug")
    with pytest.raises(InvalidInput):
        importing.import_project(actor, export(tmp_path / "bad", bad), "bad")
    assert seen[2:] == [False, False] and gc.isenabled()
    gc.disable()  # a caller that paused it already keeps it paused
    try:
        importing.import_snapshot(actor, ProjectSnapshot.from_dict(BASE), {DIGEST: IMAGE}, name="x")
        assert not gc.isenabled()
    finally:
        gc.enable()
