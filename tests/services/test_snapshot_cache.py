"""A snapshot read with the workspace's cache of page blocks (a new process after an edit) equals a full
read from the database, byte for byte, after every kind of change; a damaged cache only costs a read."""

import pytest
from services_support import png

from bgpub.db.enums import PostStatus
from bgpub.db.models import BlogPost, Product
from bgpub.services import (
    asset_names,
    assets,
    blocks,
    library,
    pages,
    projects,
    sections,
    snapshot_cache,
    snapshots,
)

pytestmark = pytest.mark.real_components  # rich-text, footer: the repository's library


def _new_process_snapshot(actor):
    """What a new process reads: nothing memoised in memory, the workspace's cache on disk."""
    snapshots._PAGE_MEMO.clear()
    return snapshots.project_snapshot(actor, "demo")


def _full_snapshot(actor, monkeypatch):
    """Every page's blocks from the database, no cache at all."""
    snapshots._PAGE_MEMO.clear()
    with monkeypatch.context() as m:
        m.setattr(snapshots, "blocks_cache", lambda *a: None)
        return snapshots.project_snapshot(actor, "demo")


def _same(cached, full):
    assert cached.to_json() == full.to_json()
    assert [(p.source_token, p.updated_at, p.components) for p in cached.pages] == [
        (p.source_token, p.updated_at, p.components) for p in full.pages
    ]


@pytest.fixture
def site(actor, project):
    assets.add_asset(actor, "demo", png(), name="logo.png", alt="Logo")
    library.save_component(actor, "big-hero", "hero", defaults={"heading": "Welcome"})
    for slug in ("home", "about", "contact", "team"):
        pages.add_page(actor, "demo", slug, slug.title())
    blocks.add_block(actor, "demo", "home", "big-hero", {"image": "logo.png"})
    blocks.add_block(actor, "demo", "about", "hero", {"heading": "One ünïcode"})
    blocks.add_block(actor, "demo", "about", "rich-text", {"body": '**b** "quoted"'})
    blocks.add_block(actor, "demo", "team", "hero", {"heading": "Team", "image": "logo.png"})
    sections.create_section(actor, "demo", "footer", [{"component": "footer", "props": {}}])
    return project


CHANGES = {
    "page edit": lambda a: blocks.set_props(a, "demo", "about", 0, {"heading": "Two"}),
    "block added": lambda a: blocks.add_block(a, "demo", "contact", "hero", {"heading": "New"}),
    "title": lambda a: pages.update_page(a, "demo", "team", title="The team"),
    "slug": lambda a: pages.change_slug(a, "demo", "about", "about-us"),
    "page setting": lambda a: pages.update_page(a, "demo", "about", noindex=True, seo_title="S"),
    "delete": lambda a: pages.remove_page(a, "demo", "contact"),
    "add": lambda a: pages.add_page(a, "demo", "new", "New", position=1),
    "reorder": lambda a: pages.move_page(a, "demo", "team", 0),
    "home": lambda a: pages.set_home(a, "demo", "team"),
    "project setting": lambda a: projects.update_project(
        a, "demo", settings={"base_url": "https://example.com"}
    ),
    "theme": lambda a: projects.update_project(
        a, "demo", theme="midnight", theme_overrides={"color-primary": "#123456"}
    ),
    "saved component": lambda a: library.save_component(
        a, "big-hero", "hero", defaults={"heading": "Changed"}
    ),
    "component unused": lambda a: blocks.remove_block(a, "demo", "home", 0),
    "asset rename": lambda a: asset_names.rename_asset(a, "demo", "logo.png", "brand.png"),
    "section": lambda a: sections.set_section_blocks(
        a, "demo", "footer", [{"component": "footer", "props": {"note": "x"}}]
    ),
    "post": lambda a: BlogPost.create(
        project=projects.get_project(a, "demo"), title="P", slug="p", status=PostStatus.PUBLISHED
    ),
    "product": lambda a: Product.create(
        project=projects.get_project(a, "demo"), name="Mug", slug="mug", price_cents=100
    ),
}


def spied_sql(monkeypatch) -> list:
    """The (sql, params) of every statement run from now on, in order."""
    from bgpub.db.connection import database

    seen: list = []
    original = database.obj.execute_sql

    def spy(sql, params=None, *args, **kwargs):
        seen.append((sql, params))
        return original(sql, params, *args, **kwargs)

    monkeypatch.setattr(database.obj, "execute_sql", spy)
    return seen


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_a_cached_snapshot_equals_a_full_read_after_every_kind_of_change(
    actor, site, change, monkeypatch
):
    first = _new_process_snapshot(actor)  # fills the cache
    _same(first, _full_snapshot(actor, monkeypatch))
    CHANGES[change](actor)
    cached = _new_process_snapshot(actor)
    _same(cached, _full_snapshot(actor, monkeypatch))
    _same(_new_process_snapshot(actor), cached)  # and once more, from the updated cache


def test_unchanged_pages_come_from_the_cache_without_reading_their_blocks(actor, site, monkeypatch):

    _new_process_snapshot(actor)
    blocks.set_props(actor, "demo", "about", 0, {"heading": "Two"})
    seen = spied_sql(monkeypatch)
    snap = _new_process_snapshot(actor)
    reads = [p for sql, p in seen if "CAST" in sql.upper() and "BLOCKS" in sql.upper()]
    assert len(reads) == 1  # one query, naming only the edited page
    ids = {slug: pages.get_page(actor, "demo", slug).id for slug in ("about", "home", "team")}
    assert ids["about"] in reads[0] and ids["home"] not in reads[0] and ids["team"] not in reads[0]
    assert snap.page("about").blocks[0].props == {"heading": "Two"}
    home = snap.page("home")
    assert "blocks" not in home.__dict__  # not decoded: its components came with the cache
    assert home.uses_component("big-hero") and not home.uses_component("hero")
    assert "blocks" not in home.__dict__


def test_pages_read_from_the_database_keep_their_text_mapped_from_the_cache(
    actor, site, monkeypatch
):
    """A cold read swaps each page's text for the cache's mapped copy (no heap copy for render
    workers to inherit) and the snapshot stays the same."""
    cold = _new_process_snapshot(actor)
    assert all(isinstance(p.__dict__["_raw_blocks"], memoryview) for p in cold.pages)
    home = cold.page("home")
    assert home.uses_component("big-hero") and not home.uses_component("hero")
    assert "blocks" not in home.__dict__  # its components came with the swap: not decoded
    _same(cold, _full_snapshot(actor, monkeypatch))


def test_many_changes_read_every_page_once_and_still_match(actor, site, monkeypatch):
    monkeypatch.setattr(snapshots, "IN_BATCH", 1)  # more changed pages than a by-id read
    _new_process_snapshot(actor)
    for slug in ("home", "about", "team"):
        pages.update_page(actor, "demo", slug, seo_description=f"d {slug}")
    _same(_new_process_snapshot(actor), _full_snapshot(actor, monkeypatch))


def test_a_damaged_or_foreign_cache_is_read_past(actor, site, monkeypatch):
    _new_process_snapshot(actor)
    project = projects.get_project(actor, "demo")
    folder = next((snapshot_cache.workspace_dir() / "cache" / "snapshot").glob(f"*/{project.id}"))
    (folder / snapshot_cache.INDEX).write_bytes(b"not marshal")
    _same(_new_process_snapshot(actor), _full_snapshot(actor, monkeypatch))
    for segment in folder.glob(f"{snapshot_cache.SEGMENT}*"):
        segment.write_bytes(b"")  # truncated: entries pointing past the end are not used
    _same(_new_process_snapshot(actor), _full_snapshot(actor, monkeypatch))


def test_repeated_edits_keep_the_cache_small(actor, site, monkeypatch):
    monkeypatch.setattr(snapshot_cache, "KEEP_FACTOR", 1)
    monkeypatch.setattr(snapshot_cache, "SLACK", 0)  # any dead byte: rewrite
    project = projects.get_project(actor, "demo")
    for n in range(6):
        blocks.set_props(actor, "demo", "about", 0, {"heading": f"Edit {n}" * 10})
        _new_process_snapshot(actor)
    folder = next((snapshot_cache.workspace_dir() / "cache" / "snapshot").glob(f"*/{project.id}"))
    segments = list(folder.glob(f"{snapshot_cache.SEGMENT}*"))
    assert len(segments) == 1  # rewritten as one each time
    _same(_new_process_snapshot(actor), _full_snapshot(actor, monkeypatch))


def test_a_cached_page_pickles_as_its_content(actor, site):
    import pickle

    _new_process_snapshot(actor)
    snap = _new_process_snapshot(actor)
    assert pickle.loads(pickle.dumps(snap)) == snap


def _tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize("change", ["page edit", "slug", "delete", "add", "theme", "section"])
def test_a_new_process_rebuild_from_the_cache_equals_a_cold_build(
    actor, site, change, tmp_path, monkeypatch
):
    from bgpub.render import pool
    from bgpub.services import building

    def new_process():  # nothing in memory: the snapshot cache and the render cache on disk
        snapshots._PAGE_MEMO.clear()
        monkeypatch.setattr(pool, "_KEPT", type(pool._KEPT)())

    out = tmp_path / "out"
    building.build_project(actor, "demo", out)
    CHANGES[change](actor)
    new_process()
    building.build_project(actor, "demo", out)
    new_process()
    monkeypatch.setattr(snapshots, "blocks_cache", lambda *a: None)
    cold = building.build_project(actor, "demo", tmp_path / "cold")
    assert cold.rendered == cold.files
    assert _tree(out) == _tree(tmp_path / "cold")


@pytest.mark.parametrize("change", list(CHANGES), ids=list(CHANGES))
def test_a_running_process_snapshot_equals_a_full_read_after_every_kind_of_change(
    actor, site, change, monkeypatch
):
    """A process that keeps its pages (the preview, the editor) re-reads only the rows that changed
    when the rows are otherwise the same, in the same order: equal to a full read all the same."""
    snapshots.project_snapshot(actor, "demo")
    snapshots.project_snapshot(actor, "demo")
    CHANGES[change](actor)
    _same(snapshots.project_snapshot(actor, "demo"), _full_snapshot(actor, monkeypatch))
    snapshots.project_snapshot(actor, "demo")  # a running process again, then one more edit
    pages.update_page(actor, "demo", "home", seo_description="Again")
    _same(snapshots.project_snapshot(actor, "demo"), _full_snapshot(actor, monkeypatch))


def test_a_running_process_reads_only_the_edited_page(actor, site, monkeypatch):

    snapshots.project_snapshot(actor, "demo")
    before = snapshots.project_snapshot(actor, "demo")
    blocks.set_props(actor, "demo", "about", 0, {"heading": "Two"})
    seen = spied_sql(monkeypatch)
    snap = snapshots.project_snapshot(actor, "demo")
    reads = [p for sql, p in seen if "CAST" in sql.upper() and "BLOCKS" in sql.upper()]
    about = pages.get_page(actor, "demo", "about").id
    assert len(reads) == 1 and list(reads[0]) == [about]
    assert snap.page("about").blocks[0].props == {"heading": "Two"}
    assert [p.slug for p in snap.pages if p is not before.page(p.slug)] == ["about"]


def test_a_running_process_reads_every_page_s_key_only(actor, site, monkeypatch):
    """Between two reads in a running process, what is read of every page is its key (id, revision,
    updated_at, is_home), answered by the covering index; the whole row only of the edited page."""
    snapshots.project_snapshot(actor, "demo")
    snapshots.project_snapshot(actor, "demo")
    pages.update_page(actor, "demo", "team", seo_title="Keys")
    seen = spied_sql(monkeypatch)
    snap = snapshots.project_snapshot(actor, "demo")
    reads = [(sql, params) for sql, params in seen if 'FROM "pages"' in sql]
    whole = [(sql, params) for sql, params in reads if '"title"' in sql]
    team = pages.get_page(actor, "demo", "team").id
    assert len(whole) == 1 and team in whole[0][1] and len(whole[0][1]) == 1
    keys = [sql for sql, _ in reads if '"title"' not in sql and "CAST" not in sql.upper()]
    assert len(keys) == 1 and '"seo_title"' not in keys[0]
    assert snap.page("team").seo_title == "Keys"
