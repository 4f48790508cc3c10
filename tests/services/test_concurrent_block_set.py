"""`block set` under concurrent writers: a save of the page by someone else re-applies the patch instead
of failing; only a change of the same prop (or of the blocks up to the edited one) is a Conflict."""

from __future__ import annotations

import threading

import pytest

from bgpub.db.connection import database
from bgpub.db.models import AuditLog, Page
from bgpub.errors import Conflict
from bgpub.services import blocks, pages


@pytest.fixture
def page(actor, project):
    page = pages.add_page(actor, "demo", "home", "Home")
    blocks.add_block(actor, "demo", "home", "hero", {"heading": "One", "text": "first"})
    blocks.add_block(actor, "demo", "home", "hero", {"heading": "Two", "text": "second"})
    blocks.add_block(actor, "demo", "home", "counter", {"count": 2})
    return page


def stored_props(index: int) -> dict:
    return Page.get(Page.slug == "home").blocks[index]["props"]


def meanwhile(monkeypatch, change) -> None:
    """Runs CHANGE once, after set_props read the page and before it saves (the race, made certain)."""
    real = blocks.check_block
    pending = [change]

    def check_then_change(*args, **kwargs):
        result = real(*args, **kwargs)
        if pending:
            pending.pop()()
        return result

    monkeypatch.setattr(blocks, "check_block", check_then_change)


def other_edit(actor, index: int, props: dict):
    return lambda: blocks.set_props(actor, "demo", "home", index, props)


@pytest.mark.parametrize(
    ("index", "props"),
    [
        (0, {"heading": "Changed"}),  # another prop of the same block
        (1, {"text": "other block"}),  # a prop of another block
        (0, {"link": "https://example.com"}),  # a prop the edited block did not have
    ],
    ids=["same-block", "other-block", "new-prop"],
)
def test_a_concurrent_edit_of_another_prop_is_kept_and_the_patch_applied_again(
    actor, page, monkeypatch, index, props
):
    before = Page.get_by_id(page.id).revision
    meanwhile(monkeypatch, other_edit(actor, index, props))
    view = blocks.set_props(actor, "demo", "home", 0, {"text": "mine"})
    assert view.props["text"] == "mine"
    assert stored_props(0)["text"] == "mine"
    for name, value in props.items():
        assert stored_props(index)[name] == value
    assert Page.get_by_id(page.id).revision == before + 2
    assert AuditLog.select().where(AuditLog.action == "block.set").count() == 2


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda actor: other_edit(actor, 0, {"text": "theirs"}),
            ("prop text", "someone else changed", "theirs"),
        ),
        (
            lambda actor: other_edit(actor, 0, {"text": None}),
            ("prop text", "someone else changed", "(unset)"),
        ),
        (
            lambda actor: lambda: blocks.add_block(actor, "demo", "home", "counter", {}, at=0),
            ("block 1 (hero)", "added, moved or removed"),
        ),
        (
            lambda actor: lambda: blocks.add_block(actor, "demo", "home", "counter", {}),
            ("added, moved or removed",),
        ),
        (
            lambda actor: lambda: blocks.move_block(actor, "demo", "home", 2, 0),
            ("added, moved or removed",),
        ),
        (
            lambda actor: lambda: blocks.remove_block(actor, "demo", "home", 1),
            ("added, moved or removed",),
        ),
    ],
    ids=[
        "same-prop",
        "same-prop-removed",
        "block-inserted-before",
        "block-appended",
        "blocks-moved",
        "block-removed",
    ],
)
def test_a_concurrent_edit_of_the_same_prop_or_the_block_order_is_a_conflict(
    actor, page, monkeypatch, change, words
):
    meanwhile(monkeypatch, change(actor))
    with pytest.raises(Conflict) as caught:
        blocks.set_props(actor, "demo", "home", 0, {"text": "mine"})
    for word in words:
        assert word in str(caught.value)
    assert "mine" not in str(Page.get(Page.slug == "home").blocks)


def test_a_concurrent_edit_to_the_same_value_is_not_a_conflict(actor, page, monkeypatch):
    meanwhile(monkeypatch, other_edit(actor, 0, {"text": "mine"}))
    assert blocks.set_props(
        actor, "demo", "home", 0, {"text": "mine", "heading": "Mine too"}
    ).props == {"heading": "Mine too", "text": "mine"}


def test_replace_conflicts_with_a_concurrent_edit_of_any_prop_of_the_block(
    actor, page, monkeypatch
):
    meanwhile(monkeypatch, other_edit(actor, 0, {"link": "https://example.com"}))
    with pytest.raises(Conflict, match="prop link: someone else changed"):
        blocks.set_props(actor, "demo", "home", 0, {"heading": "Only"}, replace=True)
    assert stored_props(0)["link"] == "https://example.com"


def test_an_expected_revision_still_refuses_any_concurrent_save(actor, page, monkeypatch):
    loaded = Page.get_by_id(page.id).revision
    meanwhile(monkeypatch, other_edit(actor, 1, {"text": "other"}))
    with pytest.raises(Conflict, match="changed by someone else"):
        blocks.set_props(actor, "demo", "home", 0, {"text": "mine"}, expected_revision=loaded)
    assert stored_props(0)["text"] == "first"


def test_retries_are_bounded(actor, page, monkeypatch):
    """A page that changes before every save makes the edit give up with one clear Conflict."""
    monkeypatch.setattr(blocks, "PATCH_PAUSE", 0)
    real = blocks.check_block

    def check_then_change(*args, **kwargs):
        result = real(*args, **kwargs)
        Page.update(revision=Page.revision + 1).where(Page.slug == "home").execute()
        return result

    monkeypatch.setattr(blocks, "check_block", check_then_change)
    with pytest.raises(Conflict, match=f"kept changing .*{blocks.PATCH_ATTEMPTS} attempts"):
        blocks.set_props(actor, "demo", "home", 0, {"text": "mine"})
    assert stored_props(0)["text"] == "first"


WRITERS = [
    (0, "heading"),
    (0, "text"),
    (1, "heading"),
    (1, "text"),
]  # (block, prop): distinct props
EDITS = 15


def test_concurrent_writers_on_distinct_props_lose_nothing_and_do_not_fail(actor, page, db_target):
    """Each writer is a thread with its own connection; on SQLite writers wait on the busy timeout."""
    start = Page.get_by_id(page.id).revision
    last: dict[int, str] = {}
    problems: list[BaseException] = []
    done = [0] * len(WRITERS)

    def write(number: int, index: int, prop: str) -> None:
        try:
            for edit in range(EDITS):
                value = f"w{number}-e{edit}"
                try:
                    blocks.set_props(actor, "demo", "home", index, {prop: value})
                except Conflict as exc:
                    problems.append(exc)
                    continue
                last[number] = value
                done[number] += 1
        except BaseException as exc:  # surfaced by the assertion below
            problems.append(exc)
        finally:
            database.close()

    threads = [threading.Thread(target=write, args=(n, i, p)) for n, (i, p) in enumerate(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert problems == []
    final = Page.get_by_id(page.id)
    lost = [
        n
        for n, (index, prop) in enumerate(WRITERS)
        if final.blocks[index]["props"][prop] != last.get(n)
    ]
    assert lost == []
    assert done == [EDITS] * len(WRITERS)
    assert final.revision == start + sum(done)  # every success is one save, none overwrote another
