"""Sections in the snapshot (JSON only when used: old snapshots keep their bytes), in export/import, and in
the pure renderer: the incremental renderer re-renders exactly the outputs that show an edited section."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from section_support import lifted

from bgpub.domain.blocks import Block
from bgpub.errors import InvalidInput, RenderError
from bgpub.render import Renderer, render_site
from bgpub.render.components import load_library
from bgpub.render.themes import load_themes
from bgpub.snapshot import PageSnapshot, ProjectSnapshot, SectionSnapshot

ROOT = Path(__file__).parents[2]
LIBRARY = load_library([ROOT / "components"])
THEMES = load_themes([ROOT / "themes"])


def _site(**sections: tuple[Block, ...]) -> ProjectSnapshot:
    nav, foot = Block("navbar", {"brand": "Acme"}), Block("footer", {"note": "fine print"})
    pages = tuple(
        PageSnapshot(
            slug,
            slug.title(),
            is_home=slug == "home",
            blocks=(nav, Block("rich-text", {"body": f"{slug} text"}), foot),
        )
        for slug in ("home", "about", "contact", "jobs")
    )
    snapshot = lifted(ProjectSnapshot(name="demo", title="Demo", pages=pages))
    extra = tuple(SectionSnapshot(name, blocks) for name, blocks in sections.items())
    return dataclasses.replace(snapshot, sections=snapshot.sections + extra)


def _no_blobs(digest: str) -> bytes:
    raise KeyError(digest)


def test_json_round_trip_and_defaults_left_out():
    snapshot = _site(offer=(Block("rich-text", {"body": "deal"}),))
    snapshot = dataclasses.replace(
        snapshot,
        pages=(dataclasses.replace(snapshot.pages[0], show_footer=False), *snapshot.pages[1:]),
    )
    raw = snapshot.to_json()
    assert ProjectSnapshot.from_json(raw) == snapshot
    data = json.loads(raw)
    assert [s["name"] for s in data["sections"]] == ["header", "footer", "offer"]
    assert data["pages"][0]["show_footer"] is False and "show_header" not in data["pages"][0]
    assert "show_footer" not in data["pages"][1]
    plain = ProjectSnapshot(name="x", pages=(PageSnapshot("home", "Home"),)).to_dict()
    assert "sections" not in plain and set(plain["pages"][0]) == {
        "slug",
        "title",
        "seo_title",
        "seo_description",
        "show_in_nav",
        "is_home",
        "blocks",
    }


@pytest.mark.parametrize(
    "patch, where",
    [
        (lambda d: d["pages"][0].update(show_header="no"), "pages[0].show_header"),
        (lambda d: d.update(sections=[{"name": "x", "blocks": [], "owner": "me"}]), "sections[0]"),
        (lambda d: d.update(sections=[{"name": 3}]), "sections[0].name"),
        (lambda d: d.update(sections={"header": []}), "sections"),
    ],
)
def test_malformed_sections_json_names_the_path(patch, where):
    data = json.loads(_site().to_json())
    patch(data)
    with pytest.raises(InvalidInput) as refused:
        ProjectSnapshot.from_json(json.dumps(data))
    assert refused.value.where.endswith(where)


def test_the_renderer_refuses_loops_and_unknown_sections():
    ref = lambda name: Block("section", {"name": name})  # noqa: E731
    for sections, message in (
        ({"a": (ref("b"),), "b": (ref("a"),)}, "a -> b -> a"),
        ({"a": (ref("a"),)}, "a -> a"),
        ({"a": (ref("ghost"),)}, "'ghost' does not exist"),
    ):
        snapshot = _site(**sections)
        snapshot = dataclasses.replace(
            snapshot,
            pages=(
                dataclasses.replace(
                    snapshot.pages[0], blocks=(*snapshot.pages[0].blocks, ref("a"))
                ),
                *snapshot.pages[1:],
            ),
        )
        with pytest.raises(RenderError, match=message.replace("(", r"\(")) as refused:
            render_site(snapshot, LIBRARY, THEMES, _no_blobs)
        assert "page home" in refused.value.where or "section" in refused.value.where


def test_incremental_renderer_rerenders_exactly_the_pages_showing_an_edited_section():
    offer = (Block("rich-text", {"body": "Half price"}),)
    snapshot = _site(offer=offer)
    about = snapshot.pages[1]
    snapshot = dataclasses.replace(
        snapshot,
        pages=(
            snapshot.pages[0],
            dataclasses.replace(about, blocks=(*about.blocks, Block("section", {"name": "offer"}))),
            dataclasses.replace(snapshot.pages[2], show_header=False),
            snapshot.pages[3],
        ),
    )
    renderer = Renderer(LIBRARY, THEMES, _no_blobs, workers=1)
    first = renderer.render(snapshot)
    assert b"Half price" in first.files["about/index.html"]

    def edited(name: str, blocks: tuple[Block, ...]) -> ProjectSnapshot:
        return dataclasses.replace(
            snapshot,
            sections=tuple(
                SectionSnapshot(s.name, blocks) if s.name == name else s for s in snapshot.sections
            ),
        )

    named = renderer.render(edited("offer", (Block("rich-text", {"body": "Free shipping"}),)))
    assert named.rendered == ("about/index.html",)
    header = renderer.render(edited("header", (Block("navbar", {"brand": "NewCo"}),)))
    assert set(header.rendered) == {"index.html", "about/index.html", "jobs/index.html", "404.html"}
    full = render_site(
        edited("header", (Block("navbar", {"brand": "NewCo"}),)), LIBRARY, THEMES, _no_blobs
    )
    assert {p: header.files[p] for p in full} == full
    assert renderer.render(edited("header", (Block("navbar", {"brand": "NewCo"}),))).rendered == ()


def test_export_and_import_carry_sections(actor, site, tmp_path):
    from bgpub.services import sections as svc
    from bgpub.services.importing import import_project
    from bgpub.services.section_lift import lift_sections
    from bgpub.services.snapshots import export_project, project_snapshot

    lift_sections(actor, "demo")
    svc.create_section(
        actor, "demo", "offer", [{"component": "rich-text", "props": {"body": "deal"}}]
    )
    svc.place_section(actor, "demo", "about", "offer")
    export_project(actor, "demo", tmp_path / "export")
    import_project(actor, tmp_path / "export", name="copy")
    original, copy = project_snapshot(actor, "demo"), project_snapshot(actor, "copy")
    assert dataclasses.replace(copy, name="demo") == original
    assert copy.section("offer").blocks == (Block("rich-text", {"body": "deal"}),)
    data = json.loads((tmp_path / "export/project.json").read_bytes())
    data["sections"].append(
        {"name": "loop", "blocks": [{"component": "section", "props": {"name": "loop"}}]}
    )
    (tmp_path / "export/project.json").write_text(json.dumps(data))
    with pytest.raises(InvalidInput, match="loop -> loop"):
        import_project(actor, tmp_path / "export", name="bad")
    data["sections"][-1] = {"name": "bad\u200bname", "blocks": []}
    (tmp_path / "export/project.json").write_text(json.dumps(data))
    with pytest.raises(InvalidInput, match="U\\+200B"):
        import_project(actor, tmp_path / "export", name="bad")
