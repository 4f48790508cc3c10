"""Every starter site in sites/: `new --from`, a byte-identical export/import/export, and a build."""

import json
from pathlib import Path

import pytest

from bgpub.domain.blocks import Block
from bgpub.services import building, importing, projects, snapshots
from bgpub.snapshot import ProjectSnapshot

SITES = sorted(p.parent.name for p in (Path(__file__).parents[2] / "sites").glob("*/project.json"))


@pytest.fixture(autouse=True)
def real_library(monkeypatch):
    """These tests use the repository's components/, themes/ and sites/."""
    for var in ("BGPUB_COMPONENTS_PATH", "BGPUB_THEMES_PATH", "BGPUB_SITES_PATH"):
        monkeypatch.delenv(var, raising=False)


def shown(snap: ProjectSnapshot) -> list[tuple[str, tuple[Block, ...]]]:
    """What each page shows: the shared header and footer expanded around its own blocks."""
    sections = {s.name: s.blocks for s in snap.sections}
    return [
        (
            p.slug,
            (sections.get("header", ()) if p.show_header else ())
            + p.blocks
            + (sections.get("footer", ()) if p.show_footer else ()),
        )
        for p in snap.pages
    ]


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.skipif(not SITES, reason="no starter sites yet")
@pytest.mark.parametrize("site", SITES)
def test_starter_round_trip_and_build(actor, org, tmp_path, site):
    assert site in importing.list_starters()
    project = projects.create_project(actor, "demo", starter=site)
    starter = ProjectSnapshot.from_json((importing.starter_dir(site) / "project.json").read_bytes())
    snap = snapshots.project_snapshot(actor, "demo")
    # Made from a starter, the pages' repeated navbar and footer are lifted into shared sections:
    # each page still shows exactly the starter's blocks.
    assert shown(snap) == shown(starter)
    assert {s.name for s in snap.sections} == {"header", "footer"}
    assert all(b.component not in {"navbar", "footer"} for p in snap.pages for b in p.blocks)
    assert snap.assets == starter.assets and snap.theme == starter.theme
    first, second = tmp_path / "first", tmp_path / "second"
    snapshots.export_project(actor, project, first)
    projects.delete_project(actor, "demo")
    importing.import_project(actor, first)
    snapshots.export_project(actor, "demo", second)
    assert tree(first) == tree(second)
    assert json.loads((first / "project.json").read_text())["name"] == "demo"
    report = building.build_project(actor, "demo", tmp_path / "site")
    assert (tmp_path / "site" / "index.html").is_file() and report.files == len(
        tree(tmp_path / "site")
    )


@pytest.mark.skipif(not SITES, reason="no starter sites yet")
def test_starter_with_the_other_theme(actor, org, tmp_path):
    themes = sorted(building.current_themes())
    for theme in themes:
        projects.create_project(actor, f"demo-{theme}", starter=SITES[0], theme=theme)
        building.build_project(actor, f"demo-{theme}", tmp_path / theme)
        assert (tmp_path / theme / "index.html").is_file()


@pytest.mark.skipif("blog" not in SITES, reason="no blog starter")
def test_blog_starter_keeps_its_bylines(actor, org, tmp_path):
    """The starter's author ("Ellen Marsh") is no user of the organization: the byline is kept as text."""
    starter = (importing.starter_dir("blog") / "project.json").read_bytes()
    authors = {p["author"] for p in json.loads(starter)["posts"]}
    assert authors and "" not in authors
    projects.create_project(actor, "x", starter="blog")
    snapshots.export_project(actor, "x", tmp_path / "export")
    exported_bytes = (tmp_path / "export" / "project.json").read_bytes()
    exported, original = json.loads(exported_bytes), json.loads(starter)
    assert exported.pop("name") == "x"
    original.pop("name")
    # The export is the starter with its navbar and footer lifted into shared sections.
    lifted = {k: v for k, v in exported.items() if k not in {"pages", "sections"}}
    assert lifted == {k: v for k, v in original.items() if k not in {"pages", "sections"}}
    assert shown(ProjectSnapshot.from_json(exported_bytes)) == shown(
        ProjectSnapshot.from_json(starter)
    )
    building.build_project(actor, "x", tmp_path / "site")
    for post in original["posts"]:
        html = (tmp_path / "site" / "blog" / post["slug"] / "index.html").read_text()
        assert f'rel="author">{post["author"]}</a></span>' in html


@pytest.mark.skipif("landing" not in SITES, reason="no landing starter")
def test_a_new_project_starts_at_revision_one_after_the_lift(actor, org):
    """The lift at creation happens before anyone can see the pages: revision 1, one audit row."""
    from bgpub.db.models import AuditLog, Page

    project = projects.create_project(actor, "fresh", starter="landing")
    assert {p.revision for p in Page.select().where(Page.project == project)} == {1}
    lifts = AuditLog.select().where(AuditLog.action == "section.lift")
    assert [row.summary["header"] > 1 for row in lifts] == [True]
