"""Incremental rendering: equal to a full render byte for byte, and re-rendering only what changed."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from render_fixtures import FIXTURES
from render_reference import reference_render

from bgpub.domain.blocks import Block
from bgpub.errors import RenderError
from bgpub.render import Renderer, render_site
from bgpub.render import incremental as incremental_module
from bgpub.render.components import load_library
from bgpub.render.output import write_output
from bgpub.snapshot import PageSnapshot

WORDS = "alpha beta gamma delta <b>bold</b> & more".split()


def _edit(rng: random.Random, snap):
    """One random content edit of the kind people make."""
    pages = list(snap.pages)
    kind = rng.choice(
        [
            *("text", "title", "nav", "add", "remove", "move", "override", "post", "setting"),
            *("home", "noindex", "canonical", "social", "drop post"),
        ]
    )
    i = rng.randrange(len(pages))
    page = pages[i]
    if kind == "text":
        blocks = list(page.blocks) + [Block("rich-text", {"body": " ".join(rng.sample(WORDS, 3))})]
        pages[i] = replace(page, blocks=tuple(blocks[-6:]))
    elif kind == "title":
        pages[i] = replace(page, title=rng.choice(WORDS) + str(rng.randrange(99)))
    elif kind == "nav":
        pages[i] = replace(page, show_in_nav=not page.show_in_nav)
    elif kind == "add":
        slug = f"p{rng.randrange(1000)}"
        if all(p.slug != slug for p in pages):
            pages.insert(
                rng.randrange(len(pages) + 1),
                PageSnapshot(
                    slug=slug,
                    title=slug.upper(),
                    blocks=(Block("navbar", {"brand": "B"}), Block("hero", {"heading": slug})),
                ),
            )
    elif kind == "remove" and len(pages) > 2 and not page.is_home:
        pages.pop(i)
    elif kind == "move":
        pages.insert(rng.randrange(len(pages)), pages.pop(i))
    elif kind == "override":
        return replace(
            snap, theme_overrides={"color-primary": rng.choice(["#123456", "#abcdef", "red"])}
        )
    elif kind == "post":
        posts = list(snap.posts)
        posts[0] = replace(posts[0], title=rng.choice(WORDS))
        return replace(snap, posts=tuple(posts))
    elif kind == "setting":
        return replace(snap, title=rng.choice(WORDS), theme=rng.choice(["plain", "fancy"]))
    elif kind == "home":
        pages = [replace(p, is_home=(n == i)) for n, p in enumerate(pages)]
    elif kind == "noindex":  # in and out of the sitemap
        pages[i] = replace(page, noindex=not page.noindex)
    elif kind == "canonical":
        credited = "" if page.canonical_url else f"https://elsewhere.example/{page.slug}/"
        pages[i] = replace(page, canonical_url=credited)
    elif kind == "social":  # a card of its own, cropped from the asset, or the site's again
        pages[i] = replace(page, social_image="" if page.social_image else "logo.png")
    elif kind == "drop post" and len(snap.posts) > 1:
        return replace(snap, posts=snap.posts[:-1])
    return replace(snap, pages=tuple(pages))


def _memos() -> list[tuple[list, list]]:
    """Every memo a plan keeps of the last plan (page paths and menu, page cards, sitemap, parent
    pages, slug index, card parts) as (the list holding it, its empty state)."""
    from bgpub.render import breadcrumbs, site_images
    from bgpub.render import plan as plan_module

    return [
        (plan_module._PAGE_PLAN, [None]),
        (plan_module._PAGE_CARDS, [None, (), []]),
        (plan_module._SITEMAP, [None]),
        (plan_module._SITEMAP_PAGES, [None]),
        (breadcrumbs._PARENTS, [None]),
        (breadcrumbs._BY_SLUG, [None]),
        (site_images._CARDS, [None, {}]),
    ]


def full_render(snap, library, themes, blob_store):
    """A full render from nothing: what plans carry over from one plan to the next is set aside for
    it (a stale memo must not hide in the reference as well) and put back afterwards (so the
    running renderer under test still carries it over). Compiled templates and encoded images are
    the process's (`render_reference`): they are functions of what names them."""
    kept = [(holder, list(holder)) for holder, _ in _memos()]
    for holder, empty in _memos():
        holder[:] = empty
    try:
        return reference_render(snap, library, themes, blob_store)
    finally:
        for holder, value in kept:
            holder[:] = value


def with_navbar_pages(snap, count: int):
    """`snap` plus `count` pages of a navbar and a line of Markdown each: enough pages to fork for."""
    extra = tuple(
        PageSnapshot(
            slug=f"p{i}",
            title=f"P{i}",
            blocks=(Block("navbar", {"brand": "B"}), Block("rich-text", {"body": f"*{i}*"})),
        )
        for i in range(count)
    )
    return replace(snap, pages=snap.pages + extra)


@pytest.mark.parametrize("seed", range(9))
def test_random_edit_sequences_equal_full_renders(
    library, themes, blob_store, make_snapshot, tmp_path, seed
):
    """Seeds 6-8: no site share image, so every page has a drawn card of its own, whose path
    changes with its title (a running renderer counts which pages show each card path)."""
    rng = random.Random(seed)
    snap = make_snapshot()
    if seed >= 6:
        snap = replace(snap, settings={"base_url": "https://demo.example.com"})
    renderer = Renderer(
        library, themes, blob_store, cache_dir=tmp_path / "cache" if seed % 2 else None
    )
    out = tmp_path / "out"
    for step in range(12):
        snap = _edit(rng, snap)
        if seed % 3 == 0 and step % 4 == 3:  # a new process reusing the persisted cache
            renderer = Renderer(
                library, themes, blob_store, cache_dir=tmp_path / "cache" if seed % 2 else None
            )
        result = renderer.render(snap)
        write_output(out, result, prune=seed % 2 == 0)
        full = full_render(snap, library, themes, blob_store)
        assert dict(result.files.items()) == full, f"step {step}"
        on_disk = {
            p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()
        }
        assert on_disk == full, f"step {step}"


def test_unchanged_snapshot_renders_nothing(library, themes, blob_store, make_snapshot, tmp_path):
    snap = make_snapshot()
    first = Renderer(library, themes, blob_store, cache_dir=tmp_path).render(snap)
    assert len(first.rendered) == len(first.files)
    again = Renderer(library, themes, blob_store, cache_dir=tmp_path).render(
        make_snapshot()
    )  # a new process
    assert again.rendered == () and again.removed == ()
    assert dict(again.files.items()) == dict(first.files.items())


def test_editing_one_page_rerenders_that_page(library, themes, blob_store, make_snapshot):
    snap = make_snapshot()
    renderer = Renderer(library, themes, blob_store)
    renderer.render(snap)
    about = snap.pages[1]
    blocks = (about.blocks[0], Block("rich-text", {"body": "New text"}), *about.blocks[2:])
    result = renderer.render(
        replace(snap, pages=(snap.pages[0], replace(about, blocks=blocks), *snap.pages[2:]))
    )
    assert result.rendered == ("about/index.html",)


def test_renaming_a_page_rerenders_pages_showing_the_nav(
    library, themes, blob_store, make_snapshot
):
    snap = make_snapshot()
    renderer = Renderer(library, themes, blob_store)
    renderer.render(snap)
    pages = (snap.pages[0], snap.pages[1], replace(snap.pages[2], title="Store"), snap.pages[3])
    result = renderer.render(replace(snap, pages=pages))
    # home and about show the navbar (uses nav); shop is renamed; terms shows no nav; posts, blog listings,
    # product pages and 404 use home's navbar; feeds show no navigation
    assert set(result.rendered) == {
        "index.html",
        "about/index.html",
        "shop/index.html",
        "404.html",
        "blog/hello/index.html",
        "blog/older/index.html",
        "blog/index.html",
        "blog/archive/index.html",
        "blog/author/ann/index.html",
        "products/mug/index.html",
    }


def test_post_change_rerenders_post_list_pages_only(library, themes, blob_store, make_snapshot):
    snap = make_snapshot()
    renderer = Renderer(library, themes, blob_store)
    renderer.render(snap)
    posts = (replace(snap.posts[0], title="Renamed"), snap.posts[1])
    result = renderer.render(replace(snap, posts=posts))
    # the post, its neighbour (links to it by title), the listings and feeds showing it
    cards = {
        p for p in result.rendered if p.startswith("assets/social/blog-hello.")
    }  # its share card: new title
    assert len(cards) == 1
    assert set(result.rendered) - cards == {
        "index.html",
        "blog/hello/index.html",
        "blog/older/index.html",
        "blog/index.html",
        "blog/archive/index.html",
        "blog/author/ann/index.html",
        "blog/atom.xml",
        "blog/rss.xml",
        "blog/feed.json",
    }


def test_theme_change_rerenders_everything(library, themes, blob_store, make_snapshot):
    snap = make_snapshot()
    renderer = Renderer(library, themes, blob_store)
    first = renderer.render(snap)
    result = renderer.render(replace(snap, theme_overrides={"color-bg": "#000000"}))
    pages = {p for p in first.files if p.endswith(".html")}
    assert pages <= set(result.rendered)
    # the stylesheet and the drawn share cards (in the theme's colours) are replaced; cards cropped from a
    # photo (the site's, the product's) do not depend on the colours
    assert [p for p in result.removed] == [
        p
        for p in first.files
        if p.startswith(("assets/social/", "assets/style."))
        and not p.startswith(("assets/social/site.", "assets/social/products-"))
    ]


def test_template_edit_rerenders_pages_using_it(
    library, themes, blob_store, make_snapshot, tmp_path
):
    import shutil

    components = tmp_path / "components"
    shutil.copytree(FIXTURES / "components", components)
    snap = make_snapshot()
    renderer = Renderer(
        load_library([components]), themes, blob_store, cache_dir=tmp_path / "cache"
    )
    renderer.render(snap)
    template = components / "cta" / "template.html"
    template.write_text(template.read_text().replace('class="cta"', 'class="cta edited"'))
    # a new process after the edit: only the page with a cta block (about) re-renders
    fresh = Renderer(load_library([components]), themes, blob_store, cache_dir=tmp_path / "cache")
    result = fresh.render(snap)
    assert result.rendered == ("about/index.html",)
    assert b"cta edited" in result.files["about/index.html"]


def test_removed_pages_are_reported_and_deleted(
    library, themes, blob_store, make_snapshot, tmp_path
):
    snap = make_snapshot()
    renderer = Renderer(library, themes, blob_store)
    write_output(tmp_path, renderer.render(snap))
    assert (tmp_path / "legal" / "terms" / "index.html").exists()
    result = renderer.render(replace(snap, pages=snap.pages[:3]))
    assert result.removed == ("legal/terms/index.html",)
    write_output(tmp_path, result)
    assert not (tmp_path / "legal").exists()


def test_a_markdown_renderer_forgets_what_it_added_since_a_mark():
    """A render worker hands its new entries to its parent and keeps none: the same text is
    converted again, to the same HTML."""
    from bgpub.render.markdown import MarkdownRenderer

    markdown = MarkdownRenderer()
    kept = markdown.render("*kept*")
    markdown.new.clear()
    mark = markdown.mark()
    once = markdown.render("**once**")
    assert len(markdown) == 2 and len(markdown.new) == 1
    markdown.forget_since(mark)
    assert len(markdown) == 1 and not markdown.new
    assert markdown.render("**once**") == once and markdown.render("*kept*") == kept
    assert markdown.misses == 3  # "*kept*" was remembered, "**once**" converted twice


def test_a_parallel_render_in_several_pools_equals_single_process(
    library, themes, blob_store, make_snapshot, monkeypatch
):
    """A big render forks a new pool every ROUND_TASKS tasks (a worker's memory grows with what it
    renders); the outputs are the same bytes as one process's."""
    from bgpub.render import parallel

    snap = with_navbar_pages(make_snapshot(), 120)
    single = Renderer(library, themes, blob_store, workers=1).render(snap)
    monkeypatch.setattr(incremental_module.threading, "active_count", lambda: 1)
    monkeypatch.setattr(incremental_module, "PARALLEL_MIN", 5)
    monkeypatch.setattr(parallel, "ROUND_TASKS", 1)
    monkeypatch.setattr(parallel, "AHEAD", 1)  # two chunks of 50 a pool
    rounds = []
    run_round = parallel._run_round
    monkeypatch.setattr(
        parallel,
        "_run_round",
        lambda chunks, *a: rounds.append(len(chunks)) or run_round(chunks, *a),
    )
    several = Renderer(library, themes, blob_store, workers=2).render(snap)
    assert len(rounds) >= 2 and several.stats["processes"] == 2
    assert dict(several.files.items()) == dict(single.files.items())


def test_parallel_render_equals_single_process(
    library, themes, blob_store, make_snapshot, monkeypatch
):
    snap = with_navbar_pages(make_snapshot(), 30)
    single = Renderer(library, themes, blob_store, workers=1).render(snap)
    # the renderer forks only while no other thread runs; a server thread left by an earlier test
    # in this worker (a session-wide S3 server) must not turn this test into a single-process one
    monkeypatch.setattr(incremental_module.threading, "active_count", lambda: 1)
    monkeypatch.setattr(incremental_module, "PARALLEL_MIN", 5)
    parallel = Renderer(library, themes, blob_store, workers=2).render(snap)
    assert dict(parallel.files.items()) == dict(single.files.items())
    assert parallel.stats["processes"] == 2 and single.stats["processes"] == 1
    assert parallel.stats["markdown_cached"] >= 30  # the workers' Markdown came back to the parent


def test_corrupt_cache_means_a_full_render(library, themes, blob_store, make_snapshot, tmp_path):
    snap = make_snapshot()
    Renderer(library, themes, blob_store, cache_dir=tmp_path).render(snap)
    (tmp_path / "state.json").write_text("{not json")
    result = Renderer(library, themes, blob_store, cache_dir=tmp_path).render(snap)
    assert dict(result.files.items()) == render_site(snap, library, themes, blob_store)
    assert len(result.rendered) == len(result.files)


def test_render_into_a_folder_with_progress(
    library, themes, blob_store, make_snapshot, tmp_path, monkeypatch
):
    snap = make_snapshot()
    extra = tuple(
        PageSnapshot(slug=f"p{i}", title=f"P{i}", blocks=(Block("rich-text", {"body": f"{i}"}),))
        for i in range(20)
    )
    snap = replace(snap, pages=snap.pages + extra)
    monkeypatch.setattr(incremental_module, "PARALLEL_MIN", 5)
    seen = []
    renderer = Renderer(library, themes, blob_store, cache_dir=tmp_path / ".cache", workers=2)
    result = renderer.render(
        snap,
        out_dir=tmp_path,
        progress=lambda step: seen.append((step.stage, step.done, step.total)),
    )
    on_disk = {
        p.relative_to(tmp_path).as_posix(): p.read_bytes()
        for p in tmp_path.rglob("*")
        if p.is_file() and not p.relative_to(tmp_path).parts[0].startswith(".")
    }
    assert on_disk == render_site(snap, library, themes, blob_store)
    assert result.stats["written"] == len(on_disk)
    # pages, posts, blog listings and feeds, 404: not css, assets, sitemap...
    pages = len(
        [p for p in result.rendered if p.endswith((".html", "atom.xml", "rss.xml", "feed.json"))]
    )
    assert seen[-1] == ("render", pages, pages)


def test_a_parallel_render_streams_its_markdown_to_the_cache(
    library, themes, blob_store, make_snapshot, tmp_path, monkeypatch
):
    """With a cache folder, the workers' Markdown entries go straight to markdown.jsonl (the parent
    keeps none), the same entries one process makes."""
    import json

    snap = make_snapshot()
    extra = tuple(
        PageSnapshot(slug=f"p{i}", title=f"P{i}", blocks=(Block("rich-text", {"body": f"*{i}*"}),))
        for i in range(20)
    )
    snap = replace(snap, pages=snap.pages + extra)
    monkeypatch.setattr(incremental_module, "PARALLEL_MIN", 5)
    # a thread another test left in this worker would make the renderer refuse to fork
    monkeypatch.setattr(incremental_module.threading, "active_count", lambda: 1)
    cache = tmp_path / ".cache"
    result = Renderer(library, themes, blob_store, cache_dir=cache, workers=2).render(snap)
    assert result.stats["processes"] == 2
    path = cache / "markdown.jsonl"
    assert int((cache / "markdown.base").read_text()) == path.stat().st_size
    assert "<p><em>19</em></p>" in path.read_text()
    stored = {}
    for line in path.read_text().splitlines():
        stored.update(json.loads(line))
    single = Renderer(library, themes, blob_store, workers=1)
    again = single.render(snap)
    assert stored == single.markdown.entries()  # every entry, as one process makes them
    assert dict(again.files.items()) == dict(result.files.items())


@pytest.mark.parametrize("theme", ["plain", "fancy"])
def test_reused_fragments_equal_fresh_ones(library, themes, blob_store, make_snapshot, theme):
    from bgpub.render.plan import BuildInfo, SitePlan
    from bgpub.render.site import PageRenderer

    snap = make_snapshot(theme=theme)
    rng = random.Random(7)
    extra = []
    for i in range(
        40
    ):  # shared navbars and footers, some pages in the nav, repeated heroes at other positions
        blocks = [
            Block("navbar", {"brand": "Demo"}),
            Block("hero", {"heading": rng.choice(["A", "B"])}),
        ]
        if i % 3:
            blocks.insert(0, Block("cta", {"text": "Go", "url": "/about/"}))
        blocks.append(Block("post-list", {}))
        blocks.append(Block("footer", {"note": "Made with bgpub"}))
        extra.append(
            PageSnapshot(slug=f"p{i}", title=f"P{i}", show_in_nav=i % 5 == 0, blocks=tuple(blocks))
        )
    snap = replace(snap, pages=snap.pages + tuple(extra))
    plan = SitePlan(snap, library, themes, blob_store, BuildInfo())
    reuse, fresh = PageRenderer(plan), PageRenderer(plan, reuse_fragments=False)
    for i in range(len(snap.pages)):
        assert reuse.render_page(i) == fresh.render_page(i), snap.pages[i].slug
    assert reuse.render_404() == fresh.render_404()
    assert len(reuse._fragments) > 3  # fragments really were reused


@pytest.mark.parametrize("workers", [1, 2])
def test_failed_render_leaves_the_folder_as_it_was(
    library, themes, blob_store, make_snapshot, tmp_path, monkeypatch, workers
):
    from bgpub.errors import RenderError

    monkeypatch.setattr(incremental_module, "PARALLEL_MIN", 5)
    snap = make_snapshot()
    renderer = Renderer(library, themes, blob_store, cache_dir=tmp_path / ".cache", workers=workers)
    renderer.render(snap, out_dir=tmp_path)
    before = {
        p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and ".cache" not in p.parts
    }
    extra = tuple(
        PageSnapshot(slug=f"p{i}", title=f"P{i}", blocks=(Block("rich-text", {"body": f"{i}"}),))
        for i in range(600)
    )
    broken = PageSnapshot(slug="broken", title="B", blocks=(Block("carousel", {}),))
    with pytest.raises(RenderError, match="unknown component 'carousel'") as info:
        renderer.render(replace(snap, pages=snap.pages + extra + (broken,)), out_dir=tmp_path)
    assert info.value.where == "project demo, page broken, block 1 (carousel)"
    after = {
        p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and ".cache" not in p.parts
    }
    assert after == before
    again = renderer.render(
        snap, out_dir=tmp_path
    )  # the cache was not touched by the failed render
    assert again.rendered == ()


def test_cache_advanced_elsewhere_still_brings_the_folder_up_to_date(
    library, themes, blob_store, make_snapshot, tmp_path
):
    snap = make_snapshot()
    cache, out = tmp_path / "cache", tmp_path / "out"
    Renderer(library, themes, blob_store, cache_dir=cache).render(snap, out_dir=out)
    changed = replace(
        snap, pages=(snap.pages[0], replace(snap.pages[1], title="Renamed"), *snap.pages[2:])
    )
    Renderer(library, themes, blob_store, cache_dir=cache).render(
        changed
    )  # rendered, not written to out
    result = Renderer(library, themes, blob_store, cache_dir=cache).render(changed, out_dir=out)
    assert result.rendered == ()
    on_disk = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    full = render_site(changed, library, themes, blob_store)
    assert {p for p in on_disk if on_disk[p] != full.get(p)} == set()
    assert sorted(on_disk) == sorted(full)


def test_markdown_cache_drops_stale_entries_when_big(
    library, themes, blob_store, make_snapshot, tmp_path, monkeypatch
):
    import json

    snap = make_snapshot()
    renderer = Renderer(library, themes, blob_store, cache_dir=tmp_path)
    renderer.render(snap)
    monkeypatch.setattr(incremental_module, "MARKDOWN_CACHE_LIMIT", 0)
    (tmp_path / "markdown.base").unlink()  # as a file from before markdown.base existed
    about = snap.pages[1]
    edited = replace(about, blocks=(Block("rich-text", {"body": "Only *this* now"}),))
    snap = replace(snap, pages=(snap.pages[0], edited, *snap.pages[2:]))
    renderer.render(snap)
    lines = (tmp_path / "markdown.jsonl").read_text().splitlines()
    entries = json.loads(lines[0])
    assert len(lines) == 1
    assert "<p>Only <em>this</em> now</p>\n" in entries.values()
    assert not any("We make" in html for html in entries.values())  # the old about text is gone
    fresh = Renderer(library, themes, blob_store, cache_dir=tmp_path)
    fresh.markdown = type(fresh.markdown)()
    assert dict(fresh.render(snap).files.items()) == render_site(snap, library, themes, blob_store)


def test_the_markdown_cache_is_rewritten_only_once_it_doubles(
    library, themes, blob_store, make_snapshot, tmp_path, monkeypatch
):
    """Past the limit, a rebuild appends its few new entries; the file is rewritten (stale entries
    dropped) only when it has grown to twice its size after the last rewrite."""
    import json

    monkeypatch.setattr(incremental_module, "MARKDOWN_CACHE_LIMIT", 0)
    path = tmp_path / "markdown.jsonl"
    snap = make_snapshot()
    Renderer(library, themes, blob_store, cache_dir=tmp_path).render(snap)
    about = snap.pages[1]

    def edit(text: str):
        nonlocal snap
        page = replace(about, blocks=(Block("rich-text", {"body": text}),))
        snap = replace(snap, pages=(snap.pages[0], page, *snap.pages[2:]))
        Renderer(library, themes, blob_store, cache_dir=tmp_path).render(snap)
        return path.read_text().splitlines()

    # the file a cold render starts holds only live entries: its size is the base, so the first
    # edit appends instead of rewriting it (at 100,000 pages that rewrite peaked at 2 GB)
    base = int((tmp_path / "markdown.base").read_text())
    assert base == path.stat().st_size
    lines = edit("First *edit*")
    assert len(lines) == 2
    for n in range(2, 100):
        lines = edit(f"Edit number *{n}*")
        if len(lines) == 1:
            break
        # appended: one line per rebuild while the file is under twice the base
        assert len(lines) == n + 1 and path.stat().st_size <= 2 * base + len(lines[-1]) + 1
    else:
        raise AssertionError("never rewritten")
    assert n > 1 and int((tmp_path / "markdown.base").read_text()) == path.stat().st_size
    entries = json.loads(lines[0])
    assert any(f"Edit number <em>{n}</em>" in html for html in entries.values())
    assert not any("First <em>edit</em>" in html for html in entries.values())  # stale: gone


def test_a_new_process_reuses_the_markdown_cache(
    library, themes, blob_store, make_snapshot, tmp_path
):
    extra = tuple(
        PageSnapshot(slug=f"p{i}", title=f"P{i}", blocks=(Block("rich-text", {"body": f"*{i}*"}),))
        for i in range(60)
    )
    snap = make_snapshot()
    snap = replace(snap, pages=snap.pages + extra)
    first = Renderer(library, themes, blob_store, cache_dir=tmp_path, workers=1)
    first.render(snap)
    assert first.markdown.misses >= 60
    again = Renderer(library, themes, blob_store, cache_dir=tmp_path, workers=1)
    result = again.render(
        replace(snap, theme_overrides={"color-bg": "#000"})
    )  # every page renders again
    assert len(result.rendered) > 60 and again.markdown.misses == 0


def _with_noindex(snap, slug: str, value: bool):
    return replace(
        snap, pages=tuple(replace(p, noindex=value) if p.slug == slug else p for p in snap.pages)
    )


@pytest.mark.parametrize("theme", ["plain", "fancy"])
def test_flipping_noindex_equals_a_full_render(
    library, themes, blob_store, make_snapshot, tmp_path, theme
):
    snap = make_snapshot(theme=theme)
    renderer = Renderer(library, themes, blob_store, cache_dir=tmp_path / "cache")
    before = dict(renderer.render(snap).files.items())
    assert b"noindex" not in before["about/index.html"]
    assert b"https://demo.example.com/about/" in before["sitemap.xml"]

    hidden = _with_noindex(snap, "about", True)
    result = renderer.render(hidden)
    full = full_render(hidden, library, themes, blob_store)
    assert dict(result.files.items()) == full
    assert "about/index.html" in result.rendered and "sitemap.xml" in result.rendered
    assert full["about/index.html"].count(b'<meta name="robots" content="noindex">') == 1
    assert b"<loc>https://demo.example.com/about/</loc>" not in full["sitemap.xml"]
    assert b"<loc>https://demo.example.com/shop/</loc>" in full["sitemap.xml"]
    assert all(
        b'name="robots"' not in data
        for path, data in full.items()
        if path.endswith(".html") and path not in ("about/index.html", "404.html")
    )  # 404: always noindex

    again = Renderer(library, themes, blob_store, cache_dir=tmp_path / "cache").render(
        snap
    )  # a new process
    assert dict(again.files.items()) == before


def test_single_page_edits_key_only_that_page_and_equal_full_renders(
    library, themes, blob_store, make_snapshot, monkeypatch
):
    """A save's rebuild keys only the page objects that changed while nothing else did (the
    preview's fast path); section, nav and page-set changes key every page again. Each render
    equals a full one."""
    from bgpub.snapshot import SectionSnapshot

    snap = make_snapshot()
    extra = tuple(
        PageSnapshot(
            slug=f"extra-{n}",
            title=f"Extra {n}",
            show_in_nav=False,
            blocks=(Block("navbar", {"brand": "Demo"}), Block("rich-text", {"body": f"#{n}"})),
        )
        for n in range(12)
    )
    parent = PageSnapshot(slug="legal", title="Legal", blocks=(Block("navbar", {"brand": "L"}),))
    snap = replace(snap, pages=snap.pages + extra + (parent,))
    renderer = Renderer(library, themes, blob_store)
    keyed: list[str] = []
    original = Renderer._page_key

    def counting(self, page, path, previous):
        keyed.append(path)
        return original(self, page, path, previous)

    monkeypatch.setattr(Renderer, "_page_key", counting)
    renderer.render(snap)

    def edit(pages, i, **changes):
        return (*pages[:i], replace(pages[i], **changes), *pages[i + 1 :])

    steps = [
        ("one page", lambda s: replace(s, pages=edit(s.pages, 5, title="Renamed five"))),
        ("another", lambda s: replace(s, pages=edit(s.pages, 9, blocks=s.pages[9].blocks[:1]))),
        ("header", lambda s: replace(s, sections=(SectionSnapshot("header", (Block("navbar", {"brand": "H"}),)),))),
        ("after header", lambda s: replace(s, pages=edit(s.pages, 6, title="Six"))),
        ("nav", lambda s: replace(s, pages=edit(s.pages, 7, show_in_nav=True))),
        ("parent", lambda s: replace(s, pages=edit(s.pages, len(s.pages) - 1, title="Legal 2"))),
        ("removed", lambda s: replace(s, pages=s.pages[:-1])),
        ("same", lambda s: s),
    ]  # fmt: skip
    for name, change in steps:
        snap = change(snap)
        keyed.clear()
        result = renderer.render(snap)
        count = len(keyed)
        assert dict(result.files.items()) == full_render(snap, library, themes, blob_store), name
        if name in ("one page", "another", "after header"):
            assert count == 1, name
        elif name == "same":
            assert count == 0, name
        else:
            assert count == len(snap.pages), name


def test_a_sitemap_written_again_in_part_equals_a_whole_one(
    library, themes, blob_store, make_snapshot
):
    """A save moves one page's date: the sitemap's other lines are kept, whether the newest date
    moved or not, with hidden pages and pages without a date (which take the newest) around."""
    from bgpub.snapshot import StoredPage

    def stored(n: int, stamp: str) -> StoredPage:
        blocks = [{"component": "navbar", "props": {"brand": "Demo"}}]
        settings = [("show_in_nav", False), ("noindex", n == 2)]
        return StoredPage.from_row(
            f"dated-{n}", f"Dated {n}", False, blocks, f"{n}:{stamp}", stamp, settings
        )

    snap = make_snapshot()
    first = len(snap.pages)
    stamps = [f"2026-01-0{n + 1}T10:00:00Z" if n != 4 else "" for n in range(6)]
    snap = replace(snap, pages=snap.pages + tuple(stored(n, s) for n, s in enumerate(stamps)))
    renderer = Renderer(library, themes, blob_store)
    renderer.render(snap)
    steps = [
        (1, "2026-02-01T10:00:00Z"),  # newest moves: the undated page's line changes too
        (3, "2026-01-05T12:00:00Z"),  # newest stays
        (2, "2026-03-01T10:00:00Z"),  # a hidden page
        (4, "2026-01-09T10:00:00Z"),  # the undated page gets a date: every entry has its own
        (0, "2026-04-01T10:00:00Z"),  # newest moves with no entry taking it
        (5, "not a date"),
    ]
    for n, stamp in steps:
        pages = list(snap.pages)
        pages[first + n] = stored(n, stamp)
        snap = replace(snap, pages=tuple(pages))
        result = renderer.render(snap)
        full = full_render(snap, library, themes, blob_store)  # the whole sitemap, afresh
        assert result.files["sitemap.xml"] == full["sitemap.xml"], (n, stamp)
        assert dict(result.files.items()) == full, (n, stamp)


@pytest.mark.parametrize("seed", range(4))
def test_moving_pages_under_others_and_renaming_them_equals_full_renders(
    library, themes, blob_store, make_snapshot, seed
):
    """Breadcrumbs read the titles of the pages others sit under: a running renderer follows slugs
    that move pages under others (and back out) and titles that change, each render equal to a
    full one (the parents found once per set of slugs must be found again when slugs change)."""
    rng = random.Random(seed)
    snap = make_snapshot()
    leaves = [f"leaf-{n}" for n in range(6)]
    pages = [
        PageSnapshot(
            slug=leaf,
            title=f"Leaf {n}",
            show_in_nav=False,  # else every title is in the nav, and every page keyed again
            blocks=(Block("navbar", {"brand": "B"}),),
        )
        for n, leaf in enumerate(leaves)
    ]
    snap = replace(snap, pages=snap.pages + tuple(pages))
    first = len(snap.pages) - len(pages)
    renderer = Renderer(library, themes, blob_store)
    renderer.render(snap)
    for step in range(14):
        pages = list(snap.pages)
        n = rng.randrange(len(leaves))
        if rng.random() < 0.5:  # a title: the crumbs of the pages under it change
            pages[first + n] = replace(pages[first + n], title=f"Title {step}")
        else:  # under another leaf's current slug, or back to the top
            above = rng.choice([None, *(p.slug for p in pages[first:] if "/" not in p.slug)])
            slug = leaves[n] if above in (None, pages[first + n].slug) else f"{above}/{leaves[n]}"
            if "/" in pages[first + n].slug or not any(
                p.slug.startswith(pages[first + n].slug + "/") for p in pages
            ):
                pages[first + n] = replace(pages[first + n], slug=slug)
        snap = replace(snap, pages=tuple(pages))
        result = renderer.render(snap)
        full = full_render(snap, library, themes, blob_store)
        assert dict(result.files.items()) == full, (seed, step)


def test_a_save_changes_the_store_s_keys_in_place_and_equals_a_full_render(
    library, themes, blob_store, make_snapshot
):
    """A running renderer after a one-page edit keys only what changed, in the store's own key
    dictionary (no 200,000-entry dictionary made again at 100,000 pages); the result is a full
    render's all the same, and the next edit too."""
    snap = with_navbar_pages(make_snapshot(), 30)
    renderer = Renderer(library, themes, blob_store)
    renderer.render(snap)
    keys = renderer.store.keys
    for n in (3, 7):
        pages = list(snap.pages)
        body = Block("rich-text", {"body": f"Edited {n}"})
        pages[n] = replace(pages[n], blocks=(pages[n].blocks[0], body), social_image="logo.png")
        snap = replace(snap, pages=tuple(pages))
        result = renderer.render(snap)
        assert renderer.store.keys is keys  # changed in place: the carried-over render
        assert dict(result.files.items()) == full_render(snap, library, themes, blob_store)


def test_a_carried_render_that_fails_leaves_the_store_s_keys_as_they_were(
    library, themes, blob_store, make_snapshot, monkeypatch
):
    snap = with_navbar_pages(make_snapshot(), 30)
    renderer = Renderer(library, themes, blob_store)
    renderer.render(snap)
    before = dict(renderer.store.keys)
    pages = list(snap.pages)
    pages[5] = replace(pages[5], social_image="logo.png")  # a card of its own, to encode
    edited = replace(snap, pages=tuple(pages))

    def broken(jobs, source):
        raise RenderError("the image provider broke", where="images")

    monkeypatch.setattr(renderer.images, "groups", broken)
    with pytest.raises(RenderError):
        renderer.render(edited)
    assert renderer.store.keys == before
    monkeypatch.undo()
    result = renderer.render(edited)
    assert dict(result.files.items()) == full_render(edited, library, themes, blob_store)


def test_a_carried_render_that_fails_before_rendering_leaves_the_store_s_keys_as_they_were(
    library, themes, blob_store, make_snapshot, monkeypatch
):
    """Templates are compiled after the keys are put in the store's dictionary: a failure there
    (a broken theme) undoes them too, so the next render does not take the edit as done."""
    snap = with_navbar_pages(make_snapshot(), 30)
    renderer = Renderer(library, themes, blob_store)
    renderer.render(snap)
    before = dict(renderer.store.keys)
    pages = list(snap.pages)
    pages[5] = replace(pages[5], blocks=(pages[5].blocks[0], Block("rich-text", {"body": "New"})))
    edited = replace(snap, pages=tuple(pages))

    def broken(plan):
        raise RenderError("the theme broke", where="theme")

    monkeypatch.setattr(renderer, "_environment", broken)
    with pytest.raises(RenderError):
        renderer.render(edited)
    assert renderer.store.keys == before
    monkeypatch.undo()
    result = renderer.render(edited)
    assert f"{edited.pages[5].slug}/index.html" in result.rendered
    assert dict(result.files.items()) == full_render(edited, library, themes, blob_store)


def _sitemap_urls(data: bytes) -> list[tuple[str, str]]:
    """(loc, lastmod) of every `<url>` of one sitemap file, read by an XML parser."""
    from defusedxml.ElementTree import fromstring

    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    root = fromstring(data)
    assert root.tag == f"{ns}urlset"
    return [(u.findtext(f"{ns}loc"), u.findtext(f"{ns}lastmod") or "") for u in root]


@pytest.fixture
def small_sitemaps(monkeypatch):
    """Sitemap limits small enough for a test site: 6 URLs a sitemap at most, parts of 4."""
    from bgpub.render import plan as plan_module

    monkeypatch.setattr(plan_module, "SITEMAP_MAX_URLS", 6)
    monkeypatch.setattr(plan_module, "SITEMAP_PART_URLS", 4)


def test_more_urls_than_a_sitemap_may_list_make_an_index_of_parts(
    library, themes, blob_store, make_snapshot, monkeypatch
):
    """Over the protocol's 50,000 URLs a file, sitemap.xml indexes parts that list, in order, the
    URLs the one file would (search engines refuse a longer sitemap); robots.txt names the index."""
    from defusedxml.ElementTree import fromstring

    from bgpub.render import plan as plan_module

    snap = with_navbar_pages(make_snapshot(), 12)
    whole = _sitemap_urls(full_render(snap, library, themes, blob_store)["sitemap.xml"])
    assert len(whole) > 6
    monkeypatch.setattr(plan_module, "SITEMAP_MAX_URLS", 6)
    monkeypatch.setattr(plan_module, "SITEMAP_PART_URLS", 4)
    files = full_render(snap, library, themes, blob_store)
    index = fromstring(files["sitemap.xml"])
    ns = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
    assert index.tag == f"{ns}sitemapindex"
    locs = [s.findtext(f"{ns}loc") for s in index]
    names = [f"sitemap-{n + 1}.xml" for n in range(-(-len(whole) // 4))]
    assert locs == [f"https://demo.example.com/{name}" for name in names]
    parts = [_sitemap_urls(files[name]) for name in names]
    assert all(0 < len(part) <= 4 for part in parts)
    assert [url for part in parts for url in part] == whole
    assert not any(p.startswith("sitemap-") for p in files if p not in names)
    assert b"Sitemap: https://demo.example.com/sitemap.xml" in files["robots.txt"]


@pytest.mark.parametrize("seed", range(3))
def test_edits_of_a_site_with_sitemap_parts_equal_full_renders(
    library, themes, blob_store, make_snapshot, small_sitemaps, seed
):
    """A running renderer rewrites the parts an edit touches and keeps the rest, each render equal
    to a full one; when the site shrinks below the limit, one sitemap again and the parts removed."""
    from bgpub.render import plan as plan_module

    rng = random.Random(seed)
    snap = with_navbar_pages(make_snapshot(), 8)
    renderer = Renderer(library, themes, blob_store)
    renderer.render(snap)
    for step in range(12):
        snap = _edit(rng, snap)
        result = renderer.render(snap)
        full = full_render(snap, library, themes, blob_store)
        assert dict(result.files.items()) == full, f"step {step}"
        assert "sitemap-2.xml" in full
    snap = replace(snap, pages=snap.pages[:3])  # the site shrinks below the limit
    plan_module.SITEMAP_MAX_URLS = sum(
        len(_sitemap_urls(data))
        for path, data in full_render(snap, library, themes, blob_store).items()
        if path.startswith("sitemap-")
    )
    result = renderer.render(snap)
    full = full_render(snap, library, themes, blob_store)
    assert dict(result.files.items()) == full
    assert not any(p.startswith("sitemap-") for p in full)
    assert {p for p in result.removed if p.startswith("sitemap-")} >= {"sitemap-1.xml"}


def test_a_save_rewrites_only_its_sitemap_part(
    library, themes, blob_store, make_snapshot, small_sitemaps
):
    """One page's new date rewrites the part that lists it (and no other part)."""
    from bgpub.snapshot import StoredPage

    def stored(n: int, stamp: str) -> StoredPage:
        blocks = [{"component": "navbar", "props": {"brand": "Demo"}}]
        return StoredPage.from_row(
            f"s{n}", f"S{n}", False, blocks, f"{n}:{stamp}", stamp, [("show_in_nav", False)]
        )

    snap = make_snapshot()
    snap = replace(
        snap, pages=snap.pages + tuple(stored(n, "2026-01-05T10:00:00Z") for n in range(10))
    )
    renderer = Renderer(library, themes, blob_store)
    renderer.render(snap)
    first = len(snap.pages) - 10
    for n in range(9):  # each in turn, across part boundaries; the tenth keeps the newest date
        pages = list(snap.pages)
        pages[first + n] = stored(n, f"2026-01-0{n % 4 + 1}T10:00:00Z")
        snap = replace(snap, pages=tuple(pages))
        result = renderer.render(snap)
        parts = [p for p in result.rendered if p.startswith("sitemap")]
        assert len(parts) == 1 and parts[0].startswith("sitemap-"), n  # the index has no dates
        assert dict(result.files.items()) == full_render(snap, library, themes, blob_store), n
