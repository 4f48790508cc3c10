"""Library sync (idempotent, updates by checksum, deletes nothing) and organizations' saved components."""

import shutil

import pytest
from services_support import counts

from bgpub.db.models import AuditLog, Component, ComponentLibrary
from bgpub.errors import Conflict, InvalidInput
from bgpub.services import blocks, library, pages


def test_sync_is_idempotent_and_updates_changed(actor, org, tmp_path, monkeypatch, fixture_library):
    copy = tmp_path / "components"
    shutil.copytree(fixture_library, copy)
    monkeypatch.setenv("BGPUB_COMPONENTS_PATH", str(copy))
    first = library.sync_library(actor)
    assert first.added == ("counter", "features", "hero") and not first.updated
    row = ComponentLibrary.get(ComponentLibrary.key == "hero")
    assert [p["name"] for p in row.schema["props"]] == ["heading", "text", "link", "image"]
    again = library.sync_library(actor)
    assert (again.added, again.updated, again.unchanged) == (
        (),
        (),
        ("counter", "features", "hero"),
    )
    manifest = copy / "hero" / "component.toml"
    manifest.write_text(
        manifest.read_text().replace('description = "Test hero"', 'description = "Changed"')
    )
    shutil.rmtree(copy / "counter")
    third = library.sync_library(actor)
    assert (third.updated, third.missing) == (("hero",), ("counter",))
    assert ComponentLibrary.get(ComponentLibrary.key == "hero").description == "Changed"
    assert ComponentLibrary.select().count() == 3  # nothing removed silently
    assert AuditLog.select().where(AuditLog.action == "library.sync").count() == 3


def test_list_library(actor, org):
    library.sync_library(actor)
    library.save_component(
        actor, "big-hero", "hero", name="Big hero", defaults={"heading": "Welcome"}
    )
    entries = library.list_library(actor)
    assert [(e.key, e.base) for e in entries] == [
        ("counter", None),
        ("features", None),
        ("hero", None),
        ("big-hero", "hero"),
    ]
    assert entries[-1].defaults == {"heading": "Welcome"} and entries[-1].organization == org.slug


def test_saved_component_is_usable_as_a_block(actor, project):
    library.save_component(actor, "big-hero", "hero", defaults={"heading": "Welcome", "text": "Hi"})
    pages.add_page(actor, "demo", "home", "Home")
    view = blocks.add_block(
        actor, "demo", "home", "big-hero", {}
    )  # the default fills the required heading
    assert view.component == "big-hero"
    with pytest.raises(InvalidInput, match=r"block 2 \(big-hero\), prop link"):
        blocks.add_block(actor, "demo", "home", "big-hero", {"link": "javascript:x"})
    with pytest.raises(Conflict, match="still used by 1 page"):
        library.remove_component(actor, "big-hero")
    blocks.remove_block(actor, "demo", "home", 0)
    library.remove_component(actor, "big-hero")
    assert Component.select().count() == 0


@pytest.mark.parametrize(
    ("key", "base", "defaults", "error", "text"),
    [
        ("hero", "hero", {}, Conflict, "is a library component"),
        ("Bad Key", "hero", {}, InvalidInput, "invalid component key"),
        ("mine", "nope", {}, InvalidInput, "unknown library component 'nope'"),
        ("mine", "hero", {"heading": 3}, InvalidInput, "prop heading: text prop expects a string"),
        ("mine", "hero", {"colour": "red"}, InvalidInput, "prop colour: unknown prop"),
    ],
)
def test_save_component_refusals(actor, org, key, base, defaults, error, text):
    before = counts()
    with pytest.raises(error, match=text):
        library.save_component(actor, key, base, defaults=defaults)
    assert counts() == before
