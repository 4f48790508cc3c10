"""Deleting commands ask on a terminal, refuse without one unless --yes; `block list` summarises every block."""

import io
import sys

import pytest

from bgpub.cli import confirmation
from bgpub.db.models import Asset, Component, Page, Project

DELETIONS = [
    (
        ["page", "rm", "demo", "about"],
        "page about",
        lambda: Page.select().where(Page.slug == "about").count(),
    ),
    (
        ["block", "rm", "demo", "home", "1"],
        "block 1 (hero)",
        lambda: len(Page.get(Page.slug == "home").blocks),
    ),
    (["asset", "rm", "demo", "photo.png"], "asset photo.png", lambda: Asset.select().count()),
    (
        ["library", "rm", "tall-counter"],
        "saved component tall-counter",
        lambda: Component.select().count(),
    ),
    (["project", "rm", "demo"], "project demo", lambda: Project.select().count()),
]


def ok(result):
    assert result.code == 0, result.err
    return result.out


@pytest.fixture
def demo(bgpub, tmp_path):
    from cli_support import png

    ok(bgpub("new", "demo"))
    ok(bgpub("page", "add", "demo", "home", "--title", "Home"))
    ok(bgpub("page", "add", "demo", "about", "--title", "About"))
    ok(bgpub("block", "add", "demo", "home", "hero", "--prop", "heading=Hello"))
    photo = tmp_path / "photo.png"
    photo.write_bytes(png())
    ok(bgpub("asset", "add", "demo", photo))
    ok(
        bgpub(
            "library", "save", "tall-counter", "counter", "--default", "count=50", "--name", "Tall"
        )
    )
    return "demo"


def answering(monkeypatch, answer: str) -> None:
    """A terminal on stdin on which the user types `answer`."""
    monkeypatch.setattr(confirmation, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(sys, "stdin", io.StringIO(answer + "\n"))


@pytest.mark.parametrize(
    ("args", "what", "count"), DELETIONS, ids=[" ".join(d[0][:2]) for d in DELETIONS]
)
def test_without_a_terminal_deleting_needs_yes(bgpub, demo, args, what, count):
    before = count()
    refused = bgpub(*args)
    assert refused.code != 0
    assert refused.err.startswith("error: ") and len(refused.err.strip().splitlines()) == 1
    assert what in refused.err and "pass --yes" in refused.err
    assert count() == before
    ok(bgpub(*args, "--yes"))
    assert count() == before - 1


@pytest.mark.parametrize(
    ("args", "what", "count"), DELETIONS, ids=[" ".join(d[0][:2]) for d in DELETIONS]
)
def test_on_a_terminal_deleting_asks(bgpub, demo, monkeypatch, args, what, count):
    before = count()
    answering(monkeypatch, "n")
    declined = bgpub(*args)
    assert declined.code != 0 and f"Delete {what}" in declined.out
    assert count() == before
    answering(monkeypatch, "y")
    ok(bgpub(*args))
    assert count() == before - 1


def test_a_missing_page_is_reported_before_asking(bgpub, demo, monkeypatch):
    answering(monkeypatch, "y")
    result = bgpub("page", "rm", "demo", "ghost")
    assert result.code != 0 and "no page 'ghost'" in result.err and "Delete" not in result.out


def test_block_list_summarises_defaults_lists_and_names(bgpub, demo):
    ok(
        bgpub(
            "library",
            "save",
            "greeting",
            "hero",
            "--default",
            "heading=Saved hello",
            "--name",
            "Greeting",
        )
    )
    ok(
        bgpub("block", "add", "demo", "about", "features")
    )  # its title is only the default "Features"
    ok(
        bgpub(
            "block",
            "add",
            "demo",
            "about",
            "features",
            "--prop",
            "title=",
            "--prop",
            'items=[{"name": "Fast"}, {"name": "Safe"}]',
        )
    )
    ok(bgpub("block", "add", "demo", "about", "counter"))  # no text at all: the component's name
    ok(bgpub("block", "add", "demo", "about", "tall-counter"))
    ok(bgpub("block", "add", "demo", "about", "greeting"))
    lines = [
        line.split(None, 2) for line in ok(bgpub("block", "list", "demo", "about")).splitlines()
    ]
    assert [(n, key, summary) for n, key, summary in lines] == [
        ("1", "features", "Features"),
        ("2", "features", "2 items: Fast, Safe"),
        ("3", "counter", "Counter"),
        ("4", "tall-counter", "Tall"),
        ("5", "greeting", "Saved hello"),
    ]
