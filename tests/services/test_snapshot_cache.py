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
    reads = [sql for sql, _ in seen if "CAST" in sql.upper() and "BLOCKS" in sql.upper()]
    assert len(reads) == 1 and 'FROM "page_changes"' in reads[0]  # the pages the feed names
    assert snap.page("about").blocks[0].props == {"heading": "Two"}
    assert [p.slug for p in snap.pages if p is not before.page(p.slug)] == ["about"]


def test_a_running_process_reads_no_page_but_those_the_feed_names(actor, site, monkeypatch):
    """Between two reads in a running process, the only reads of the pages table are the rows the
    change feed names (joined to `page_changes`) and the page count: no page's key or row else."""
    snapshots.project_snapshot(actor, "demo")
    before = snapshots.project_snapshot(actor, "demo")
    pages.update_page(actor, "demo", "team", seo_title="Feed")
    seen = spied_sql(monkeypatch)
    snap = snapshots.project_snapshot(actor, "demo")
    reads = [sql for sql, _ in seen if '"pages"' in sql]
    assert len(reads) == 2
    assert sum('FROM "page_changes"' in sql for sql in reads) == 1
    assert sum("COUNT(" in sql.upper() and '"title"' not in sql for sql in reads) == 1
    assert snap.page("team").seo_title == "Feed"
    assert [p.slug for p in snap.pages if p is not before.page(p.slug)] == ["team"]
    seen.clear()  # nothing changed since: the same page objects, read the same way
    again = snapshots.project_snapshot(actor, "demo")
    assert all(a is b for a, b in zip(again.pages, snap.pages, strict=True))
    reads = [sql for sql, _ in seen if '"pages"' in sql]
    assert len(reads) == 2 and sum('FROM "page_changes"' in sql for sql in reads) == 1


def _raw_title(actor, slug: str, title: str) -> None:
    """A write no service makes: no revision or date bumped (another tool, a member's SQL)."""
    from bgpub.db.models import Page

    project = projects.get_project(actor, "demo")
    Page.update(title=title).where((Page.project == project) & (Page.slug == slug)).execute()


def test_a_write_that_bumps_no_revision_is_seen_by_a_running_process(actor, site, monkeypatch):
    snapshots.project_snapshot(actor, "demo")
    snapshots.project_snapshot(actor, "demo")
    _raw_title(actor, "team", "Renamed elsewhere")
    monkeypatch.setattr(snapshots, "_heads_query", _no_full_read)
    assert snapshots.project_snapshot(actor, "demo").page("team").title == "Renamed elsewhere"


def _no_full_read():
    raise AssertionError("the feed should have served this read without reading every page")


def test_random_edits_read_by_a_running_process_equal_full_reads(actor, site, monkeypatch):
    """Edits of every kind in a seeded random order, each read by a running process (the feed, or
    the full read it falls back to) and compared with a read from nothing."""
    import random

    chance = random.Random(18)
    counter = iter(range(10_000))

    def slugs() -> list[str]:  # from the table: a snapshot here would be a read of its own
        from bgpub.db.models import Page

        project = projects.get_project(actor, "demo")
        return [p.slug for p in Page.select(Page.slug).where(Page.project == project)]

    def some(choices: list[str]) -> str:
        return chance.choice(choices)

    edits = [
        lambda s: blocks.add_block(
            actor, "demo", some(s), "hero", {"heading": f"H{next(counter)}"}
        ),
        lambda s: pages.update_page(actor, "demo", some(s), title=f"T{next(counter)}"),
        lambda s: pages.update_page(actor, "demo", some(s), noindex=chance.random() < 0.5),
        lambda s: _raw_title(actor, some(s), f"Raw {next(counter)}"),
        lambda s: pages.set_home(actor, "demo", some(s)),
        lambda s: pages.move_page(actor, "demo", some(s), chance.randrange(len(s))),
        lambda s: pages.change_slug(actor, "demo", some(s), f"moved-{next(counter)}"),
        lambda s: pages.add_page(actor, "demo", f"new-{next(counter)}", "New"),
        lambda s: len(s) > 2 and pages.remove_page(actor, "demo", some(s)),
    ]
    weights = [4, 4, 2, 3, 1, 1, 1, 1, 1]
    snapshots.project_snapshot(actor, "demo")
    for _ in range(40):
        for _ in range(chance.choice([1, 1, 2, 3])):  # some reads see more than one edit
            chance.choices(edits, weights)[0](slugs())
        running = snapshots.project_snapshot(actor, "demo")
        memo = dict(snapshots._PAGE_MEMO)
        last = dict(snapshots._LAST_READ)
        _same(running, _full_snapshot(actor, monkeypatch))
        snapshots._PAGE_MEMO.clear()  # the running process goes on with what it held
        snapshots._PAGE_MEMO.update(memo)
        snapshots._LAST_READ.update(last)


def test_postgresql_a_change_committed_after_a_later_one_is_still_seen(
    actor, site, db_target, monkeypatch
):
    """Transaction ids commit in any order: an edit that began first but commits after a later one is
    not behind the reader's mark (a naive "past the highest id seen" would lose it for good)."""
    if db_target.kind != "postgres":
        pytest.skip("SQLite has one writer at a time: its serials follow commits by construction")
    import psycopg2

    from bgpub.db.models import Page, PageChange

    snapshots.project_snapshot(actor, "demo")
    snapshots.project_snapshot(actor, "demo")
    about = pages.get_page(actor, "demo", "about").id
    slow = psycopg2.connect(db_target.url)
    try:
        slow.cursor().execute("UPDATE pages SET title = 'Slow' WHERE id = %s", (about,))
        snapshots.project_snapshot(actor, "demo")  # its mark: the slow one still in flight
        pages.update_page(actor, "demo", "team", title="Fast")
        monkeypatch.setattr(snapshots, "_heads_query", _no_full_read)
        assert snapshots.project_snapshot(actor, "demo").page("team").title == "Fast"
        slow.commit()
    finally:
        slow.close()
    team = pages.get_page(actor, "demo", "team").id
    serials = {r.page_id: r.serial for r in PageChange.select()}
    assert serials[about] < serials[team]  # committed last with the lower id
    assert snapshots.project_snapshot(actor, "demo").page("about").title == "Slow"
    assert Page.get_by_id(about).title == "Slow"


def test_an_edit_committed_during_a_full_read_is_read_next_time(actor, site, monkeypatch):
    """The feed's mark is taken before the rows are read: an edit committed while they are read is
    read again next time (a mark taken after them would hide it for good)."""
    snapshots._PAGE_MEMO.clear()
    snapshots._LAST_READ.clear()
    original = snapshots._without_position
    edited: list[bool] = []

    def edit_meanwhile(row):
        if not edited:
            edited.append(True)
            _raw_title(actor, "team", "Meanwhile")
        return original(row)

    monkeypatch.setattr(snapshots, "_without_position", edit_meanwhile)
    assert snapshots.project_snapshot(actor, "demo").page("team").title == "Team"
    monkeypatch.setattr(snapshots, "_without_position", original)
    assert snapshots.project_snapshot(actor, "demo").page("team").title == "Meanwhile"
