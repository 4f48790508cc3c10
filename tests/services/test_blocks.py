"""Blocks: add/set/move/duplicate/remove with schema validation naming project, page, block, component, prop."""

import pytest
from services_support import counts, png

from bgpub.db.models import Page, Project
from bgpub.errors import Conflict, InvalidInput
from bgpub.services import assets, blocks, pages


@pytest.fixture
def page(actor, project):
    return pages.add_page(actor, "demo", "home", "Home")


def components(actor):
    return [b.component for b in blocks.list_blocks(actor, "demo", "home")]


def test_add_and_list(actor, page):
    blocks.add_block(actor, "demo", "home", "hero", {"heading": "Hello"})
    blocks.add_block(actor, "demo", "home", "counter", {"count": 3})
    view = blocks.add_block(actor, "demo", "home", "features", {"items": [{"name": "Fast"}]}, at=0)
    assert view.index == 0 and view.position == 1
    listed = blocks.list_blocks(actor, "demo", "home")
    assert [(b.position, b.component) for b in listed] == [
        (1, "features"),
        (2, "hero"),
        (3, "counter"),
    ]
    assert listed[1].props == {"heading": "Hello"}
    assert Page.get_by_id(page.id).revision == 4


def test_revision_counters(actor, project, page):
    before = Project.get_by_id(project.id).revision
    blocks.add_block(actor, "demo", "home", "hero", {"heading": "Hello"})
    assert Project.get_by_id(project.id).revision == before + 1


@pytest.mark.parametrize(
    ("component", "props", "where"),
    [
        ("nope", {}, "project demo, page home, block 1 (nope): unknown component 'nope'"),
        (
            "hero",
            {},
            "project demo, page home, block 1 (hero), prop heading: required prop is missing",
        ),
        (
            "hero",
            {"heading": 5},
            "block 1 (hero), prop heading: text prop expects a string, got int",
        ),
        ("hero", {"heading": "x", "colour": "red"}, "block 1 (hero), prop colour: unknown prop"),
        (
            "hero",
            {"heading": "x", "link": "javascript:alert(1)"},
            "prop link: the URL scheme 'javascript'",
        ),
        (
            "hero",
            {"heading": "x", "image": "ghost.png"},
            "prop image: asset 'ghost.png' does not exist",
        ),
        ("counter", {"count": "3"}, "prop count: number prop expects a number, got str"),
        ("counter", {"count": 101}, "prop count: 101 is above the maximum"),
        ("counter", {"visible": "yes"}, "prop visible: boolean prop expects true or false"),
        ("counter", {"align": "right"}, "prop align: 'right' is not one of left, center"),
        ("features", {"items": "x"}, "prop items: list prop expects a list"),
        (
            "features",
            {"items": [{"body": "no name"}]},
            "prop items[1], prop name: required prop is missing",
        ),
        (
            "features",
            {"items": [{"name": "a", "icon": "ghost.png"}]},
            "prop items[1], prop icon: asset",
        ),
    ],
)
def test_bad_props_are_refused_with_the_place(actor, page, component, props, where):
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        blocks.add_block(actor, "demo", "home", component, props)
    assert where in str(caught.value)
    assert counts() == before
    assert Page.get_by_id(page.id).revision == page.revision


def test_asset_props_accept_project_assets(actor, page):
    assets.add_asset(actor, "demo", png(), name="logo.png")
    blocks.add_block(actor, "demo", "home", "hero", {"heading": "x", "image": "logo.png"})
    blocks.add_block(
        actor, "demo", "home", "features", {"items": [{"name": "a", "icon": "logo.png"}]}
    )
    assert components(actor) == ["hero", "features"]


def test_set_props_merges_and_validates(actor, page):
    blocks.add_block(actor, "demo", "home", "hero", {"heading": "Hello", "text": "Old"})
    view = blocks.set_props(
        actor, "demo", "home", 0, {"text": "New", "link": "https://example.com"}
    )
    assert view.props == {"heading": "Hello", "text": "New", "link": "https://example.com"}
    view = blocks.set_props(actor, "demo", "home", 0, {"text": None})
    assert view.props == {"heading": "Hello", "link": "https://example.com"}
    with pytest.raises(
        InvalidInput, match="block 1 \\(hero\\), prop heading: required prop is missing"
    ):
        blocks.set_props(actor, "demo", "home", 0, {"text": "x"}, replace=True)
    with pytest.raises(InvalidInput, match="no block 2: the page has 1 block"):
        blocks.set_props(actor, "demo", "home", 1, {"text": "x"})


def test_move_duplicate_remove(actor, page):
    for count in (1, 2, 3):
        blocks.add_block(actor, "demo", "home", "counter", {"count": count})
    blocks.move_block(actor, "demo", "home", 0, 2)
    assert [b.props["count"] for b in blocks.list_blocks(actor, "demo", "home")] == [2, 3, 1]
    blocks.duplicate_block(actor, "demo", "home", 1)
    assert [b.props["count"] for b in blocks.list_blocks(actor, "demo", "home")] == [2, 3, 3, 1]
    blocks.remove_block(actor, "demo", "home", 0)
    assert [b.props["count"] for b in blocks.list_blocks(actor, "demo", "home")] == [3, 3, 1]
    with pytest.raises(InvalidInput, match="no block 4"):
        blocks.move_block(actor, "demo", "home", 0, 3)


def test_stale_page_revision(actor, page):
    blocks.add_block(actor, "demo", "home", "counter", {"count": 1}, expected_revision=1)
    before = counts()
    with pytest.raises(Conflict):
        blocks.add_block(actor, "demo", "home", "counter", {"count": 2}, expected_revision=1)
    assert counts() == before
    blocks.add_block(actor, "demo", "home", "counter", {"count": 2}, expected_revision=2)


def test_parse_assignments_by_schema(actor, page):
    props = blocks.parse_assignments(
        actor, "demo", "counter", ["count=4", "visible=no", "align=left"]
    )
    assert props == {"count": 4, "visible": False, "align": "left"}
    props = blocks.parse_assignments(
        actor, "demo", "features", ['items=[{"name": "A"}]', "title=Hi = there"]
    )
    assert props == {"items": [{"name": "A"}], "title": "Hi = there"}
    assert blocks.parse_assignments(actor, "demo", "counter", ["count=2.5"]) == {"count": 2.5}
    with pytest.raises(InvalidInput, match="prop items: a list prop is given as JSON text"):
        blocks.parse_assignments(actor, "demo", "features", ["items=[{"])
    with pytest.raises(InvalidInput, match="prop count: expected a number"):
        blocks.parse_assignments(actor, "demo", "counter", ["count=many"])
    with pytest.raises(InvalidInput, match="expected NAME=VALUE"):
        blocks.parse_assignments(actor, "demo", "counter", ["count"])
    blocks.add_block(actor, "demo", "home", "counter", {})
    assert blocks.parse_assignments(actor, "demo", None, ["count=7"], slug="home", index=0) == {
        "count": 7
    }


def test_no_module_imports_another_modules_private_names():
    """A private helper is an implementation detail of its module: sharing it means it should be public."""
    import ast
    from pathlib import Path

    import bgpub

    offenders = []
    for path in sorted(Path(bgpub.__file__).parent.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("bgpub"):
                private = [
                    a.name
                    for a in node.names
                    if a.name.startswith("_") and not a.name.startswith("__")
                ]
                if private:
                    offenders.append(f"{path.name}: from {node.module} import {', '.join(private)}")
    assert offenders == []


def test_replace_blocks_saves_the_whole_list_and_detects_a_concurrent_save(actor, page):
    blocks.add_block(actor, "demo", "home", "counter", {"count": 3})
    loaded = Page.get_by_id(page.id).revision
    saved = blocks.replace_blocks(
        actor,
        "demo",
        "home",
        [
            {"component": "hero", "props": {"heading": "New"}},
            {"component": "counter", "props": {"count": 4}},
        ],
        expected_revision=loaded,
    )
    assert [b["component"] for b in saved.blocks] == ["hero", "counter"]
    assert components(actor) == ["hero", "counter"]
    with pytest.raises(Conflict):
        blocks.replace_blocks(actor, "demo", "home", [], expected_revision=loaded)
    with pytest.raises(
        InvalidInput, match=r"block 2 \(hero\), prop heading: required prop is missing"
    ):
        blocks.replace_blocks(
            actor,
            "demo",
            "home",
            [{"component": "counter", "props": {}}, {"component": "hero", "props": {}}],
        )
    assert components(actor) == ["hero", "counter"]


def test_page_outline_lists_pages_in_navigation_order(actor, page):
    pages.add_page(actor, "demo", "about", "About", show_in_nav=False)
    pages.move_page(actor, "demo", "about", 0)
    assert pages.page_outline(actor, "demo") == [
        ("about", "About", False, False),
        ("home", "Home", True, True),
    ]


def test_block_problems_names_every_invalid_field_not_only_the_first():
    from bgpub.services.library import current_library

    library = current_library()
    where = "project demo, page home, block 1 (hero)"
    found = blocks.block_problems(
        library, "hero", {"heading": "", "link": "javascript:alert(1)", "text": "ok"}, where, (), ()
    )
    assert [(p.where, p.message) for p in found] == [
        (f"{where}, prop heading", "required prop is empty"),
        (
            f"{where}, prop link",
            "the URL scheme 'javascript' is not allowed (use http, https, mailto, tel)",
        ),
    ]
    assert blocks.block_problems(library, "hero", {"heading": "Fine"}, where, (), ()) == []
    items = [{"name": "", "icon": "ghost.png"}, {"name": "ok"}, {"name": "", "colour": "red"}]
    found = blocks.block_problems(
        library, "features", {"items": items, "title": 7}, where, (), ("logo.png",)
    )
    assert sorted(p.where.removeprefix(where + ", ") for p in found) == [
        "prop items[1], prop icon",
        "prop items[1], prop name",
        "prop items[3], prop colour",
        "prop items[3], prop name",
        "prop title",
    ]
    found = blocks.block_problems(
        library, "features", {"items": [{"name": "x"}] * 7}, where, (), ()
    )
    assert [p.message for p in found] == ["allows at most 6 items"]
