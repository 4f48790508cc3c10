"""The render cache's pack: outputs stream to it as they render, and its index only ever names
bytes that are there, so a render that fails or dies at any point leaves a cache that loads to the
previous render's outputs (or to none), never to garbage."""

from __future__ import annotations

import random
from dataclasses import replace
from pathlib import Path

import pytest
from render_reference import reference_render

from bgpub.domain.blocks import Block
from bgpub.errors import RenderError
from bgpub.render import Renderer
from bgpub.render import incremental as incremental_module
from bgpub.render import store as store_module
from bgpub.render.store import OutputStore
from bgpub.snapshot import PageSnapshot


def _pages(n: int, text: str = "", prefix: str = "p") -> tuple[PageSnapshot, ...]:
    return tuple(
        PageSnapshot(
            slug=f"{prefix}{i}",
            title=f"P{i}",
            blocks=(Block("rich-text", {"body": f"*{i}* {text}"}),),
        )
        for i in range(n)
    )


def _loaded(cache: Path) -> dict[str, bytes]:
    """What a new process would find in the cache: every indexed output's bytes."""
    store = OutputStore(cache)
    return store.read_many(sorted(store.keys))


@pytest.fixture
def parallel(monkeypatch):
    """Big-render behaviour on a small site: forked workers, chunks streamed to the pack."""
    monkeypatch.setattr(incremental_module, "PARALLEL_MIN", 5)
    # a server thread left by an earlier test in this worker must not make the render single-process
    monkeypatch.setattr(incremental_module.threading, "active_count", lambda: 1)


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("persisted", [True, False])
def test_streamed_render_equals_a_full_render(
    library, themes, blob_store, make_snapshot, tmp_path, parallel, workers, persisted
):
    snap = replace(make_snapshot(), pages=make_snapshot().pages + _pages(450))
    renderer = Renderer(
        library,
        themes,
        blob_store,
        cache_dir=tmp_path / "c" if persisted else None,
        workers=workers,
    )
    seen_in_pack: list[bool] = []

    def check(chunk: dict[str, bytes]) -> None:  # earlier chunks are in the pack already
        store = renderer.store
        seen_in_pack.append(all(store.read(p) == data for p, data in streamed.items()))
        streamed.update(chunk)

    streamed: dict[str, bytes] = {}
    result = renderer.render(snap, on_rendered=check)
    assert len(seen_in_pack) > 2 and all(seen_in_pack)
    assert dict(result.files.items()) == reference_render(snap, library, themes, blob_store)
    edited = replace(snap, pages=snap.pages[:-100] + _pages(300, "edited", "q"))
    again = renderer.render(edited)
    assert dict(again.files.items()) == reference_render(edited, library, themes, blob_store)
    if persisted:
        assert _loaded(tmp_path / "c") == dict(again.files.items())


@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("warm", [True, False])
def test_a_render_failing_late_leaves_the_previous_cache(
    library, themes, blob_store, make_snapshot, tmp_path, parallel, workers, warm
):
    base = replace(make_snapshot(), pages=make_snapshot().pages + _pages(30))
    cache = tmp_path / "cache"
    if warm:
        Renderer(library, themes, blob_store, cache_dir=cache, workers=workers).render(base)
    before = _loaded(cache)
    broken = PageSnapshot(slug="zz-broken", title="B", blocks=(Block("carousel", {}),))
    failing = replace(base, pages=base.pages[:3] + _pages(700, "new", "q") + (broken,))
    renderer = Renderer(library, themes, blob_store, cache_dir=cache, workers=workers)
    dead_ends: list[dict[str, bytes]] = []  # what a process killed after each chunk would find
    with pytest.raises(RenderError, match="carousel"):
        renderer.render(failing, on_rendered=lambda chunk: dead_ends.append(_loaded(cache)))
    assert len(dead_ends) > 2 and all(found == before for found in dead_ends)
    assert (cache / "outputs.pack").stat().st_size > sum(map(len, before.values()))
    assert _loaded(cache) == before  # the failed render's bytes are there, never indexed
    fixed = replace(failing, pages=failing.pages[:-1])
    for fresh_process in (False, True):
        if fresh_process:
            renderer = Renderer(library, themes, blob_store, cache_dir=cache, workers=workers)
        result = renderer.render(fixed)
        assert dict(result.files.items()) == reference_render(fixed, library, themes, blob_store)
    assert Renderer(library, themes, blob_store, cache_dir=cache).render(fixed).rendered == ()


@pytest.mark.parametrize("persisted", [True, False])
@pytest.mark.parametrize("seed", range(3))
def test_store_sequences_read_back_what_was_stored(tmp_path, persisted, seed):
    """Random renders' worth of appends, failures and updates (with compactions, outputs kept under
    the same key or re-keyed without new bytes, re-keyed and removed paths named by the caller or
    not): the store always reads back the last successful update, and a new process loads it too."""
    rng = random.Random(seed)
    directory = tmp_path / "c" if persisted else None
    store, model, model_keys = OutputStore(directory), {}, {}
    for step in range(40):
        paths = [f"p{n}" for n in rng.sample(range(60), rng.randrange(1, 60))]
        outputs = {p: rng.randbytes(rng.choice([0, 10, 5000, 60_000])) for p in paths}
        keys = {p: f"{step}:{p}" for p in paths}
        kept = [p for p in paths if p in model and rng.random() < 0.3]  # old bytes stay
        for p in kept:
            outputs[p] = model[p]
            keys[p] = model_keys[p] if rng.random() < 0.5 else f"{step}:{p}:re-keyed"
        made = [p for p in paths if p not in kept]
        streamed = rng.sample(made, len(made) // 2)
        for start in range(0, len(streamed), 7):
            store.append({p: outputs[p] for p in streamed[start : start + 7]})
        if rng.random() < 0.2:  # a failed render: its bytes are never indexed
            store.abandon()
            if persisted and rng.random() < 0.5:
                store = OutputStore(directory)
        else:
            changed = [p for p in paths if model_keys.get(p) != keys[p]]
            removed = [p for p in model_keys if p not in keys]
            named = rng.random() < 0.5  # by the caller, or found by the store
            store.update(
                keys,
                {p: outputs[p] for p in made if p not in streamed},
                changed if named else None,
                removed if named else None,
            )
            model, model_keys = outputs, dict(keys)
            # compacted as soon as more than half the pack (past 1 MB) is garbage
            assert store._end <= max(2 * sum(map(len, model.values())), 1_000_000), f"step {step}"
        assert store.keys == model_keys
        assert store.read_many(list(model)) == model, f"step {step}"
        if persisted:
            assert _loaded(directory) == model, f"step {step}"
            assert OutputStore(directory).keys == model_keys, f"step {step}"
            assert len(list(directory.glob("*.pack"))) == 1
    assert store.size("p0") == len(model["p0"]) if "p0" in model else True


def test_a_compaction_dying_before_its_index_leaves_the_old_cache(tmp_path, monkeypatch):
    store = OutputStore(tmp_path)
    old = {f"p{n}": bytes([n]) * 400_000 for n in range(6)}
    store.update({p: "k" for p in old}, old)
    for n in range(2):  # rewrites: most of the pack becomes garbage, then a compaction
        new = {p: bytes([n + 100]) * 400_000 for p in old}
        if n == 1:
            monkeypatch.setattr(OutputStore, "_write_state", _dies)
            with pytest.raises(SystemExit):
                store.update({p: f"k{n}" for p in new}, new)
            monkeypatch.undo()
            assert (tmp_path / store_module.PACKS[1]).exists()  # compacted, not yet named
        else:
            store.update({p: f"k{n}" for p in new}, new)
            old = new
    assert _loaded(tmp_path) == old
    again = OutputStore(tmp_path)
    again.update({p: "z" for p in old}, {p: b"z" for p in old})
    assert _loaded(tmp_path) == {p: b"z" for p in old}
    assert [p.name for p in tmp_path.glob("*.pack")] == [store_module.PACKS[1]]


def _dies(self: OutputStore) -> None:
    raise SystemExit("killed")


@pytest.mark.parametrize(
    "raw",
    [
        '[{"component": "hero", "props": {"component": "x"}}, {"component": "rich-text"}]',
        b'[{"component": "navbar", "props": {}}]',
        [{"component": "footer", "props": {"note": "n"}}],
        "[]",
        None,
    ],
)
def test_a_stored_page_names_its_components_without_keeping_its_blocks(raw):
    from bgpub.snapshot import StoredPage

    page = StoredPage.from_row("a", "A", False, raw, "t1", "", ())
    components = page.components
    assert "blocks" not in page.__dict__  # the parent of a big build keeps only the raw JSON
    assert components == tuple(b.component for b in page.blocks) == page.components


@pytest.mark.parametrize("persisted", [True, False])
def test_a_render_result_keeps_its_bytes_after_later_renders(tmp_path, persisted):
    """Later updates replace, remove and compact (a new pack file) what an earlier result names."""
    from bgpub.render.store import SiteFiles

    store = OutputStore(tmp_path if persisted else None)
    results = []
    for n in range(4):
        outputs = {f"p{i}": bytes([n]) * 300_000 for i in range(n, n + 5)}
        store.append(outputs)
        store.update({p: str(n) for p in outputs}, {})
        results.append((SiteFiles(sorted(outputs), store), outputs))
        store.close()  # as the renderer pool does between builds
    assert len(list(tmp_path.glob("*.pack"))) == (1 if persisted else 0)
    for files, outputs in results:
        assert dict(files.items()) == outputs == files.materialise()
        assert all(files.size(p) == len(outputs[p]) for p in files)
