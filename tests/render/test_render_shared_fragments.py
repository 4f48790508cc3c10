"""Blocks rendered once per build and spliced into every page (issue 18), and font subsets made by the
render's workers: the bytes are those of rendering every block and font anew."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from bgpub.domain.blocks import Block
from bgpub.render import Renderer, fontsubset, load_library, load_themes
from bgpub.render import incremental as incremental_module
from bgpub.render.plan import BuildInfo, SitePlan
from bgpub.render.site import _ANY_PAGE, PageRenderer, _PageProbe
from bgpub.snapshot import PageSnapshot, ProjectSnapshot

REPOSITORY_THEMES = Path(__file__).resolve().parents[2] / "themes"
OWN_LINKS = [{"label": "Seven", "url": "/p7/"}, {"label": "Elsewhere", "url": "/x/"}]


def _no_blobs(digest: str) -> bytes:
    raise KeyError(digest)


def _site(theme: str, pages: int = 24) -> ProjectSnapshot:
    """Pages with the repository's navbar (site.nav, or hand-written links on a few pages that
    mark the page itself as current), a hero each, a shared call to action and footer."""
    made = []
    for i in range(pages):
        navbar = {"brand": "Demo", **({"links": OWN_LINKS} if i in (7, 9, 11) else {})}
        made.append(
            PageSnapshot(
                slug="" if i == 0 else f"p{i}",
                title=f"Page {i}",
                is_home=i == 0,
                show_in_nav=i % 6 == 0,
                blocks=(
                    Block("navbar", navbar),
                    Block("hero", {"heading": f"Hello {i}"}),
                    Block(
                        "cta",
                        {"heading": "Ready?", "button_label": "Go", "button_url": "/contact/"},
                    ),
                    Block("footer", {"note": "Made with <bgpub> & co"}),
                ),
            )
        )
    return ProjectSnapshot(
        name="demo",
        title="Demo & <Co>",
        theme=theme,
        pages=tuple(made),
        settings={"base_url": "https://example.org/docs"},
    )


@pytest.mark.parametrize("theme", ["aurora", "midnight", "terracotta"])
def test_page_free_blocks_are_rendered_once_and_equal_fresh_ones(theme):
    snap = _site(theme)
    plan = SitePlan(snap, load_library(), load_themes(), _no_blobs, BuildInfo())
    reuse, fresh = PageRenderer(plan), PageRenderer(plan, reuse_fragments=False)
    for i in range(len(snap.pages)):
        assert reuse.render_page(i) == fresh.render_page(i), snap.pages[i].slug
    assert reuse.render_404() == fresh.render_404()
    # the navbar reads `page` only for hand-written links: with site.nav it was proven page-free...
    assert any(key[0] == "navbar" and key[3] == _ANY_PAGE for key in reuse._fragments)
    # ...and the hand-written one (aria-current on its own page) was found to read the page
    assert any(key[0] == "navbar" for key in reuse._reads_page)
    assert b'aria-current="page"' in reuse.render_page(7)


def test_the_probe_records_every_kind_of_read():
    reads = {
        "item": lambda p: p["url"],
        "iteration": lambda p: list(p),
        "length": len,
        "truth": bool,
        "text": str,
        "repr": repr,
        "format": lambda p: f"{p}",
        "membership": lambda p: "url" in p,
        "equality": lambda p: p == {"url": "/a/"},
        "get": lambda p: p.get("url"),
        "items": lambda p: list(p.items()),
    }
    for what, read in reads.items():
        probe = _PageProbe({"url": "/a/", "title": "<A>"})
        read(probe)
        assert probe.read, what
    assert not _PageProbe({"url": "/a/"}).read


def _fake_subset(source: bytes, ranges: str) -> bytes:
    return b"subset\0" + source[:16] + ranges.encode()


def _unprepared_aurora(into: Path) -> Path:
    """aurora as a third-party theme ships it: its [[fonts]] not marked prepared, so a build subsets them."""
    shutil.copytree(REPOSITORY_THEMES / "aurora", into / "aurora")
    manifest = into / "aurora" / "theme.toml"
    manifest.write_text(manifest.read_text("utf-8").replace("prepared = true\n", ""), "utf-8")
    return into


def test_fonts_are_subset_by_the_workers_with_the_same_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(fontsubset, "_subset", _fake_subset)  # fontTools takes ~1 s a font
    monkeypatch.setattr(fontsubset, "_MEMO", {})
    monkeypatch.setattr(incremental_module.threading, "active_count", lambda: 1)
    monkeypatch.setattr(incremental_module, "PARALLEL_MIN", 5)
    snap = _site("aurora")
    library, themes = load_library(), load_themes([_unprepared_aurora(tmp_path / "themes")])
    made = fontsubset.SUBSETS_MADE[0]
    parallel = Renderer(library, themes, _no_blobs, cache_dir=tmp_path / "a", workers=2)
    result = parallel.render(snap, out_dir=tmp_path / "out")
    assert result.stats["processes"] == 2
    assert fontsubset.SUBSETS_MADE[0] == made  # none in this process: the workers made them
    fonts = [p for p in result.files if p.startswith("assets/fonts/") and p.endswith(".woff2")]
    assert fonts and all(p in result.rendered for p in fonts)
    for path in fonts:
        assert (tmp_path / "out" / path).read_bytes() == result.files[path]
        assert result.files[path].startswith(b"subset\0")
    monkeypatch.setattr(fontsubset, "_MEMO", {})
    single = Renderer(library, themes, _no_blobs, workers=1).render(snap)
    assert dict(single.files.items()) == dict(result.files.items())
    # a warm build into the same folder subsets nothing and writes nothing
    again = Renderer(library, themes, _no_blobs, cache_dir=tmp_path / "a", workers=2)
    assert again.render(replace(snap), out_dir=tmp_path / "out").rendered == ()


def _no_subset(source: bytes, ranges: str) -> bytes:
    raise AssertionError("a prepared font reached the subsetter")


def test_prepared_fonts_make_no_worker_task_and_ship_as_they_are(tmp_path, monkeypatch):
    monkeypatch.setattr(fontsubset, "_subset", _no_subset)  # forked workers inherit it
    monkeypatch.setattr(fontsubset, "_MEMO", {})
    monkeypatch.setattr(incremental_module.threading, "active_count", lambda: 1)
    monkeypatch.setattr(incremental_module, "PARALLEL_MIN", 5)
    themes = load_themes([REPOSITORY_THEMES])
    shipped = {data for font in themes["aurora"].fonts for data in font.files.values()}
    renderer = Renderer(load_library(), themes, _no_blobs, cache_dir=tmp_path / "a", workers=2)
    result = renderer.render(_site("aurora"), out_dir=tmp_path / "out")
    assert result.stats["processes"] == 2
    fonts = [p for p in result.files if p.startswith("assets/fonts/") and p.endswith(".woff2")]
    assert fonts and all(result.files[p] in shipped for p in fonts)
    assert all((tmp_path / "out" / p).read_bytes() == result.files[p] for p in fonts)
    assert not (tmp_path / "a" / "fonts").exists()  # nothing subset, nothing cached
