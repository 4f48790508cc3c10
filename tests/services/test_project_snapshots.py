"""Snapshots, export and import: byte-identical round trips, and hostile input refused with nothing written."""

import itertools
import json
import shutil
from pathlib import Path

import pytest
from services_support import counts, png

from bgpub.db.enums import PostStatus
from bgpub.db.models import BlogCategory, BlogPost, BlogPostTag, BlogTag, Product, Project
from bgpub.errors import BgpubError, Conflict, InvalidInput, NotFound
from bgpub.services import assets, blocks, importing, library, pages, projects, snapshots


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture
def rich(actor, project):
    """A project using every kind of data the snapshot carries."""
    assets.add_asset(actor, "demo", png(), name="logo.png", alt="Logo")
    assets.add_asset(actor, "demo", png(8, 8, "blue"), name="cover.png")
    library.save_component(actor, "big-hero", "hero", defaults={"heading": "Welcome"})
    projects.update_project(
        actor,
        "demo",
        theme="midnight",
        theme_overrides={"color-primary": "#123456"},
        settings={
            "base_url": "https://example.com",
            "seo_image": "logo.png",
            "footer_note": "© Demo — ünïcode",
        },
    )
    pages.add_page(actor, "demo", "home", "Home", seo_title="Welcome home")
    pages.add_page(actor, "demo", "about", "About", show_in_nav=False)
    blocks.add_block(actor, "demo", "home", "big-hero", {"image": "logo.png"})
    blocks.add_block(
        actor,
        "demo",
        "home",
        "features",
        {"items": [{"name": "A", "body": "**b**", "icon": "logo.png"}]},
    )
    blocks.add_block(
        actor, "demo", "about", "counter", {"count": 2.5, "visible": False, "align": "center"}
    )
    pages.set_home(actor, "demo", "about")
    cat = BlogCategory.create(project=project, name="News", slug="news")
    tag = BlogTag.create(project=project, name="Launch", slug="launch")
    post = BlogPost.create(
        project=project,
        author=actor,
        category=cat,
        title="Hello",
        slug="hello",
        excerpt="Hi",
        body="# Hello",
        cover_asset="cover.png",
        status=PostStatus.PUBLISHED,
        published_at="2026-01-02 10:00:00",
    )
    BlogPostTag.create(post=post, tag=tag)
    BlogPost.create(project=project, title="Draft", slug="draft", status=PostStatus.DRAFT)
    Product.create(project=project, name="Mug", slug="mug", price_cents=1200, images=["cover.png"])
    return project


def test_snapshot_content(actor, rich):
    snap = snapshots.project_snapshot(actor, "demo")
    assert [p.slug for p in snap.pages] == ["home", "about"]
    assert [p.is_home for p in snap.pages] == [False, True]
    assert snap.pages[0].blocks[0].component == "big-hero"
    assert [a.name for a in snap.assets] == ["cover.png", "logo.png"]
    assert [c.key for c in snap.components] == ["big-hero"]
    assert [
        (p.slug, p.date, p.category, p.tags, p.author, p.status, p.published_at) for p in snap.posts
    ] == [
        (
            "hello",
            "2026-01-02",
            "News",
            ("Launch",),
            actor.name,
            "PUBLISHED",
            "2026-01-02T10:00:00Z",
        ),
        ("draft", "", "", (), "", "DRAFT", ""),
    ]  # every status: render decides what is shown
    assert snap.categories == ("News",)
    assert [(p.slug, p.image, p.price_cents) for p in snap.products] == [("mug", "cover.png", 1200)]


def test_snapshot_uses_a_constant_number_of_queries(actor, project):
    from bgpub.db.connection import database

    def queries_for_snapshot() -> int:
        seen = []
        original = database.obj.execute_sql

        def spy(sql, params=None, *args, **kwargs):
            seen.append(sql)
            return original(sql, params, *args, **kwargs)

        database.obj.execute_sql = spy
        try:
            snapshots.project_snapshot(actor, "demo")
        finally:
            del database.obj.execute_sql
        return len(seen)

    def new_process() -> int:  # nothing kept in memory: every page's row is read
        snapshots._PAGE_MEMO.clear()
        snapshots._LAST_READ.clear()
        return queries_for_snapshot()

    def after_an_edit() -> int:  # a running process: the keys, then the edited page's row
        queries_for_snapshot()
        pages.update_page(actor, "demo", "p0", seo_title=f"T{next(edits)}")
        return queries_for_snapshot()

    edits = itertools.count()
    pages.add_page(actor, "demo", "p0", "P0")
    few, few_running = new_process(), after_an_edit()
    for i in range(1, 30):
        pages.add_page(actor, "demo", f"p{i}", f"P{i}")
        blocks.add_block(actor, "demo", f"p{i}", "hero", {"heading": "x"})
    assert new_process() == few
    assert after_an_edit() == few_running


def test_export_import_export_is_byte_identical(actor, rich, tmp_path):
    first = tmp_path / "first"
    report = snapshots.export_project(actor, "demo", first)
    assert (report.pages, report.assets) == (2, 2)
    assert sorted(tree(first)) == [
        "blobs/" + a.hash
        for a in sorted(snapshots.project_snapshot(actor, "demo").assets, key=lambda a: a.hash)
    ] + ["project.json"]
    projects.delete_project(actor, "demo")
    imported = importing.import_project(actor, first)
    assert imported.project.name == "demo"
    second = tmp_path / "second"
    snapshots.export_project(actor, "demo", second)
    assert tree(first) == tree(second)


def test_import_under_a_new_name(actor, rich, tmp_path):
    snapshots.export_project(actor, "demo", tmp_path / "a")
    report = importing.import_project(actor, tmp_path / "a", name="copy")
    assert report.project.name == "copy"
    snapshots.export_project(actor, "copy", tmp_path / "b")
    a = json.loads((tmp_path / "a" / "project.json").read_text())
    b = json.loads((tmp_path / "b" / "project.json").read_text())
    assert a.pop("name") == "demo" and b.pop("name") == "copy"
    assert a == b
    with pytest.raises(Conflict, match="already exists"):
        importing.import_project(actor, tmp_path / "a", name="copy")


def test_export_replaces_an_earlier_export_but_not_other_folders(actor, rich, tmp_path):
    out = tmp_path / "out"
    snapshots.export_project(actor, "demo", out)
    (out / "blobs" / ("0" * 64)).write_bytes(b"stale")
    snapshots.export_project(actor, "demo", out)
    assert ("blobs/" + "0" * 64) not in tree(out)
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("x")
    with pytest.raises(Conflict, match="not empty"):
        snapshots.export_project(actor, "demo", other)


def _broken(tmp_path: Path, source: Path, change) -> Path:
    target = tmp_path / "broken"
    shutil.copytree(source, target)
    data = json.loads((target / "project.json").read_text())
    change(data, target)
    (target / "project.json").write_text(json.dumps(data))
    return target


def _set(path, value):
    def change(data, target):
        *parents, last = path
        node = data
        for key in parents:
            node = node[key]
        node[last] = value

    return change


def _blob(action):
    def change(data, target):
        blob = target / "blobs" / data["assets"][0]["hash"]
        if action == "delete":
            blob.unlink()
        else:
            blob.write_bytes(b"tampered")

    return change


@pytest.mark.parametrize(
    ("change", "text"),
    [
        (_set(["pages", 0, "slug"], "../x"), "pages[0]: invalid slug '../x'"),
        (_set(["pages", 1, "slug"], "home"), "pages[1]: duplicate page slug 'home'"),
        (_set(["pages", 0, "blocks", 1, "component"], "nope"), "unknown component 'nope'"),
        (
            _set(["pages", 1, "blocks", 0, "props", "count"], "two"),
            "block 1 (counter), prop count: number prop",
        ),
        (
            _set(["pages", 0, "blocks", 1, "props", "items", 0, "icon"], "ghost.png"),
            "prop icon: asset 'ghost.png'",
        ),
        (_set(["pages", 0, "title"], 5), "pages[0].title must be a string, got an integer"),
        (_set(["pages", 0, "extra"], 1), "pages[0].extra is not a known key"),
        (_set(["theme"], "nope"), "unknown theme 'nope'"),
        (_set(["theme_overrides", "color-bg"], "}body{x"), "not a colour"),
        (_set(["assets", 0, "name"], "../../etc/passwd"), "invalid asset name"),
        (_set(["assets", 0, "size"], 1), "differs from the blob"),
        (_set(["assets", 0, "hash"], "zz"), "not a sha256"),
        (
            _set(["components", 0, "defaults", "heading"], 7),
            "prop heading: text prop expects a string",
        ),
        (_set(["posts", 0, "slug"], "../post"), "posts[0]: invalid slug"),
        (_set(["posts", 0, "date"], "yesterday"), "not yyyy-mm-dd"),
        (_set(["products", 0, "price_cents"], -5), "price_cents must be a non-negative"),
        (_set(["settings", "seo_image"], "ghost.png"), "seo_image 'ghost.png' is not an asset"),
        (_set(["format"], 99), "unsupported snapshot format"),
        (_blob("delete"), "missing blob"),
        (_blob("tamper"), "does not match its sha256"),
    ],
)
def test_bad_imports_are_refused_and_write_nothing(actor, rich, tmp_path, change, text):
    snapshots.export_project(actor, "demo", tmp_path / "good")
    bad = _broken(tmp_path, tmp_path / "good", change)
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        importing.import_project(actor, bad, name="copy")
    assert text in str(caught.value)
    assert counts() == before


def test_malformed_json_and_missing_folder(actor, org, tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "project.json").write_text('{"name": "demo",')
    with pytest.raises(InvalidInput, match="malformed JSON"):
        importing.import_project(actor, tmp_path / "x")
    with pytest.raises(NotFound, match="no project.json"):
        importing.import_project(actor, tmp_path / "nothing")


def test_new_from_a_starter_folder(actor, rich, tmp_path, monkeypatch):
    snapshots.export_project(actor, "demo", tmp_path / "sites" / "mine")
    monkeypatch.setenv("BGPUB_SITES_PATH", str(tmp_path / "sites"))
    assert importing.list_starters() == ["mine"]
    project = projects.create_project(actor, "fresh", starter="mine", theme="aurora")
    assert (project.name, project.theme) == ("fresh", "aurora")
    assert [p.slug for p in pages.list_pages(actor, "fresh")] == ["home", "about"]
    by_path = projects.create_project(actor, "again", starter=tmp_path / "sites" / "mine")
    assert by_path.theme == "midnight"
    with pytest.raises(NotFound, match="no starter site 'ghost'"):
        projects.create_project(actor, "x", starter="ghost")
    with pytest.raises(BgpubError):
        projects.create_project(actor, "fresh", starter="mine")


def test_snapshot_follows_every_kind_of_page_change(actor, project):
    for slug in ("home", "about", "contact"):
        pages.add_page(actor, "demo", slug, slug.title())
    blocks.add_block(actor, "demo", "about", "hero", {"heading": "One"})
    first = snapshots.project_snapshot(actor, "demo")
    blocks.set_props(actor, "demo", "about", 0, {"heading": "Two"})
    pages.move_page(actor, "demo", "contact", 0)
    pages.set_home(actor, "demo", "contact")
    second = snapshots.project_snapshot(actor, "demo")
    assert [(p.slug, p.is_home) for p in second.pages] == [
        ("contact", True),
        ("home", False),
        ("about", False),
    ]
    assert second.page("about").blocks[0].props == {"heading": "Two"}
    assert first.page("about").blocks[0].props == {"heading": "One"}
    third = snapshots.project_snapshot(actor, "demo")
    assert all(
        a is b for a, b in zip(second.pages, third.pages, strict=True)
    )  # unchanged pages are reused
    pages.change_slug(actor, "demo", "home", "start")
    pages.remove_page(actor, "demo", "about")
    assert [p.slug for p in snapshots.project_snapshot(actor, "demo").pages] == ["contact", "start"]


def test_noindex_travels_through_snapshot_export_and_import(actor, rich, tmp_path):
    plain = snapshots.project_snapshot(actor, "demo").to_json()
    assert b"noindex" not in plain  # the default is not written: older snapshots keep their bytes
    pages.update_page(actor, "demo", "home", noindex=True)
    snap = snapshots.project_snapshot(actor, "demo")
    assert [(p.slug, p.noindex) for p in snap.pages] == [("home", True), ("about", False)]
    first, second = tmp_path / "first", tmp_path / "second"
    snapshots.export_project(actor, "demo", first)
    written = json.loads((first / "project.json").read_text())
    assert [p.get("noindex") for p in written["pages"]] == [True, None]
    projects.delete_project(actor, "demo")
    importing.import_project(actor, first)
    assert [(p.slug, p.noindex) for p in pages.list_pages(actor, "demo")] == [
        ("home", True),
        ("about", False),
    ]
    snapshots.export_project(actor, "demo", second)
    assert tree(first) == tree(second)
    pages.update_page(actor, "demo", "home", noindex=False)
    assert snapshots.project_snapshot(actor, "demo").to_json() == plain


def test_import_refuses_a_noindex_that_is_not_a_flag(actor, rich, tmp_path):
    snapshots.export_project(actor, "demo", tmp_path / "a")
    data = json.loads((tmp_path / "a" / "project.json").read_text())
    data["pages"][1]["noindex"] = "yes"
    (tmp_path / "a" / "project.json").write_text(json.dumps(data))
    before = counts()
    with pytest.raises(
        InvalidInput, match=r"pages\[1\]\.noindex must be true or false, got a string"
    ):
        importing.import_project(actor, tmp_path / "a", name="copy")
    assert counts() == before


def test_post_author_name_is_kept_and_falls_back_to_the_user(actor, rich, project, tmp_path):
    BlogPost.create(
        project=project,
        author=actor,
        author_name="Guest Writer",
        title="Guest",
        slug="guest",
        status=PostStatus.PUBLISHED,
        published_at="2026-01-03 10:00:00",
    )
    BlogPost.create(
        project=project,
        title="Anon",
        slug="anon",
        status=PostStatus.PUBLISHED,
        published_at="2026-01-04 10:00:00",
    )
    snap = snapshots.project_snapshot(actor, "demo")
    assert [(p.slug, p.author) for p in snap.posts] == [
        ("hello", actor.name),
        ("draft", ""),
        ("guest", "Guest Writer"),
        ("anon", ""),
    ]
    first, second = tmp_path / "first", tmp_path / "second"
    snapshots.export_project(actor, "demo", first)
    importing.import_project(actor, first, name="copy")
    assert {
        p.slug: (p.author_name, p.author_id)
        for p in BlogPost.select().join(Project).where(Project.name == "copy")
    } == {
        "hello": (actor.name, actor.id),
        "guest": ("Guest Writer", None),
        "anon": ("", None),
        "draft": ("", None),
    }
    snapshots.export_project(actor, "copy", second)
    a, b = (json.loads((d / "project.json").read_text()) for d in (first, second))
    assert a.pop("name") == "demo" and b.pop("name") == "copy"
    assert a == b
