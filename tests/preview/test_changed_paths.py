"""The preview's list of changed outputs: by bytes for plain mappings, by place in the render
cache's pack for render results (so a save reads only what the rebuild wrote again)."""

from __future__ import annotations

from bgpub.preview.site import changed_paths
from bgpub.render.store import OutputStore, SiteFiles


def _render(store: OutputStore, outputs: dict[str, bytes], keep: set[str]) -> SiteFiles:
    """One render into `store`: the outputs not in `keep` are written again."""
    fresh = {p: b for p, b in outputs.items() if p not in keep}
    store.update({p: "k" for p in outputs}, fresh)
    return SiteFiles(list(outputs), store)


def test_plain_mappings_compare_bytes():
    old = {"a": b"1", "b": b"2", "gone": b"x"}
    new = {"a": b"1", "b": b"3", "added": b"y"}
    assert changed_paths(old, new) == {"b", "gone", "added"}


def test_render_results_read_only_what_was_written_again(tmp_path):
    store = OutputStore(tmp_path)
    first = _render(store, {"a.html": b"A", "b.html": b"B", "c.html": b"C"}, keep=set())
    # b written again with new bytes, c written again with the same bytes, a kept where it was
    second = _render(store, {"a.html": b"A", "b.html": b"B2", "c.html": b"C"}, keep={"a.html"})
    assert first.location("a.html") == second.location("a.html")
    assert first.location("c.html") != second.location("c.html")
    assert changed_paths(first, second) == {"b.html"}
    # and against a plain mapping, bytes decide
    assert changed_paths({"a.html": b"A", "b.html": b"B", "c.html": b"C"}, second) == {"b.html"}
    assert first["b.html"] == b"B" and second["b.html"] == b"B2"  # each result reads its own bytes


def test_a_draft_says_what_its_render_changed_since_the_one_before(tmp_path):
    from bgpub.services.drafts import DraftFiles

    store = OutputStore(tmp_path)
    first = DraftFiles(
        _render(store, {"a.html": b"A", "b.html": b"B", "c.html": b"C"}, keep=set()),
        ["a.html", "b.html", "c.html"],
        [],
        None,
    )
    # b written again with new bytes, c with the same bytes, d added, a kept; e was never there
    outputs = {"a.html": b"A", "b.html": b"B2", "c.html": b"C", "d.html": b"D"}
    second = DraftFiles(
        _render(store, outputs, keep={"a.html"}),
        ["b.html", "c.html", "d.html"],
        ["e.html"],
        first.render,
    )
    assert second.changes_from(first) == {"b.html", "d.html"}
    assert changed_paths(first, second) == {"b.html", "d.html"}
    # a render it did not follow (or a plain mapping) is compared output by output
    assert second.changes_from(second) is None
    assert changed_paths({"a.html": b"A", "b.html": b"B", "gone": b"x"}, second) == {
        "b.html",
        "c.html",
        "d.html",
        "gone",
    }
    third = DraftFiles(_render(store, outputs, keep=set(outputs)), [], ["b.html"], second.render)
    assert third.changes_from(second) == {"b.html"}
