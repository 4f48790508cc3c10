"""`build_project`: a full build, an incremental rebuild equal to a full one, removals, failures leave DIR."""

import re
from pathlib import Path

import pytest
from services_support import png

from bgpub.db.models import Project
from bgpub.errors import BgpubError
from bgpub.services import assets, blocks, building, pages


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def site(actor, project):
    assets.add_asset(actor, "demo", png(), name="logo.png", alt="Logo")
    for slug, title in (("home", "Home"), ("about", "About"), ("contact", "Contact")):
        pages.add_page(actor, "demo", slug, title)
        blocks.add_block(
            actor, "demo", slug, "hero", {"heading": f"{title} heading", "image": "logo.png"}
        )
        blocks.add_block(
            actor, "demo", slug, "features", {"items": [{"name": "Fast", "body": "*very*"}]}
        )
    blocks.add_block(actor, "demo", "contact", "counter", {"count": 2})
    return project


def test_full_build_writes_the_site(actor, site, tmp_path):
    stages = []
    report = building.build_project(
        actor, "demo", tmp_path / "out", progress=lambda step: stages.append(step.stage)
    )
    files = tree(tmp_path / "out")
    assert {
        "index.html",
        "about/index.html",
        "contact/index.html",
        "404.html",
        "sitemap.xml",
        "robots.txt",
    } <= set(files)
    assert any(p.startswith("assets/logo.") and p.endswith(".png") for p in files)
    assert b"Home heading" in files["index.html"] and b"<em>very</em>" in files["about/index.html"]
    assert (report.pages, report.files, report.bytes) == (
        3,
        len(files),
        sum(len(b) for b in files.values()),
    )
    assert report.rendered == report.written == len(files)
    assert stages[0] == "snapshot" and stages[-1] == "done"


def test_incremental_build_equals_full_build(actor, site, tmp_path):
    out = tmp_path / "out"
    building.build_project(actor, "demo", out)
    blocks.set_props(actor, "demo", "contact", 0, {"heading": "Write to us"})
    second = building.build_project(actor, "demo", out)
    assert "contact/index.html" in tree(out) and b"Write to us" in tree(out)["contact/index.html"]
    # the page, and the sitemap when its lastmod (seconds) moved: an edit in the second the page was
    # made leaves it alone (tests/publish pins the clock to check the sitemap exactly)
    assert set(second.rendered_paths) - {"sitemap.xml"} == {"contact/index.html"}
    assert second.written < second.files
    full = building.build_project(actor, "demo", tmp_path / "full")
    assert full.rendered == full.files
    assert tree(out) == tree(tmp_path / "full")
    unchanged = building.build_project(actor, "demo", out)
    assert (unchanged.rendered, unchanged.written) == (0, 0)


def test_rename_and_removal(actor, site, tmp_path):
    out = tmp_path / "out"
    building.build_project(actor, "demo", out)
    (out / "notes.txt").write_text("mine")
    pages.rename_page(actor, "demo", "home", "Start here")
    pages.remove_page(actor, "demo", "about")
    report = building.build_project(actor, "demo", out)
    assert (
        report.deleted == 3
    )  # the about page, its share card and the home page's card under its old title
    assert {"index.html", "contact/index.html"} <= set(report.rendered_paths)  # the nav changed
    built = tree(out)
    assert "about/index.html" not in built and not (out / "about").exists()
    assert built["notes.txt"] == b"mine"  # files bgpub did not write are left alone
    assert b"Start here" in built["contact/index.html"]  # its navigation shows the new title
    del built["notes.txt"]
    building.build_project(actor, "demo", tmp_path / "full")
    assert built == tree(tmp_path / "full")


def test_deleted_output_file_is_restored(actor, site, tmp_path):
    out = tmp_path / "out"
    building.build_project(actor, "demo", out)
    (out / "about" / "index.html").unlink()
    report = building.build_project(actor, "demo", out)
    assert (report.rendered, report.written) == (0, 1)
    assert (out / "about" / "index.html").is_file()


def test_failed_render_leaves_the_folder_as_it_was(actor, site, tmp_path):
    out = tmp_path / "out"
    building.build_project(actor, "demo", out)
    before = tree(out)
    blocks.set_props(actor, "demo", "home", 0, {"heading": "Changed"})
    Project.update(theme="no-such-theme").where(Project.id == site.id).execute()
    with pytest.raises(BgpubError, match="no-such-theme"):
        building.build_project(actor, "demo", out)
    assert tree(out) == before


def test_cache_lives_outside_the_site(actor, site, tmp_path, home):
    out = tmp_path / "out"
    building.build_project(actor, "demo", out)
    assert not any(p.name.startswith(".") for p in out.rglob("*"))
    assert (building.cache_dir_for(out) / building.WRITTEN).is_file()
    assert home in building.cache_dir_for(out).parents


def test_one_build_at_a_time_per_folder(actor, site, tmp_path):
    import fcntl

    from bgpub.errors import Conflict

    out = tmp_path / "out"
    cache = building.cache_dir_for(out)
    cache.mkdir(parents=True)
    with open(cache / "lock", "a+b") as other:
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(Conflict, match="another build into this folder is running"):
            building.build_project(actor, "demo", out)
    assert not out.exists()
    assert building.build_project(actor, "demo", out).files > 0


def test_rebuild_after_flipping_noindex_equals_a_full_build(actor, site, tmp_path):
    building.build_project(actor, "demo", tmp_path / "out", base_url="https://example.com")
    before = tree(tmp_path / "out")
    for value in (True, False):
        pages.update_page(actor, "demo", "about", noindex=value)
        building.build_project(actor, "demo", tmp_path / "out", base_url="https://example.com")
        building.build_project(
            actor, "demo", tmp_path / f"full-{value}", base_url="https://example.com"
        )
        assert tree(tmp_path / "out") == tree(tmp_path / f"full-{value}")
        about, sitemap = (
            tree(tmp_path / "out")["about/index.html"],
            tree(tmp_path / "out")["sitemap.xml"],
        )
        assert about.count(b'<meta name="robots" content="noindex">') == (1 if value else 0)
        assert (b"<loc>https://example.com/about/</loc>" in sitemap) is not value
    after = tree(tmp_path / "out")
    # back where it started, but for the sitemap's lastmod of the edited page (it follows edits)
    assert {k: v for k, v in after.items() if k != "sitemap.xml"} == {
        k: v for k, v in before.items() if k != "sitemap.xml"
    }
    locs = re.compile(rb"<loc>[^<]*</loc>")
    assert locs.findall(after["sitemap.xml"]) == locs.findall(before["sitemap.xml"])
