"""Issue 3 end to end: a starter site becomes a static site in two themes, round-trips through
export/import byte for byte, and is edited block by block from the command line."""

from __future__ import annotations

import re

import pytest
from tests.e2e.e2e_cli import assert_same_tree, tree

SITE_FILES = ("index.html", "404.html", "sitemap.xml", "robots.txt", "about/index.html")


def stylesheet(html: bytes) -> str:
    found = re.search(rb'href="([^"]*assets/style\.[0-9a-f]+\.css)"', html)
    assert found, "the page links no content-hashed stylesheet"
    return found.group(1).decode()


@pytest.mark.subprocess  # this command group once through a real `python -m bgpub`
def test_new_build_two_themes_and_incremental_equals_full(cli, tmp_path):
    assert "created project demo" in cli.ok("new", "demo", "--from", "landing").stdout
    out = tmp_path / "site"
    summary = cli.ok("build", "demo", "--out", str(out)).stdout
    assert re.search(r"\d+ pages, \d+ files, \d+ bytes", summary), summary
    for name in SITE_FILES:
        assert (out / name).is_file(), name
    home = (out / "index.html").read_bytes()
    assert home.startswith(b"<!DOCTYPE html>") and b"<main" in home and b'<html lang="en"' in home
    aurora_css = stylesheet(home)

    cli.fails("project", "set", "demo", "--theme", "no-such-theme", mentions=("no-such-theme",))
    cli.ok("project", "set", "demo", "--theme", "midnight")
    cli.ok("build", "demo", "--out", str(out))  # incremental, over the aurora build
    midnight_home = (out / "index.html").read_bytes()
    assert stylesheet(midnight_home) != aurora_css, "the theme change did not change the stylesheet"
    assert (out / stylesheet(midnight_home).lstrip("/")).is_file()
    assert not (out / aurora_css.lstrip("/")).exists(), "a stale stylesheet stayed in the build"

    fresh = tmp_path / "fresh"
    cli.ok("build", "demo", "--out", str(fresh))
    assert_same_tree(out, fresh)


def test_export_import_export_is_byte_identical(cli, tmp_path):
    cli.ok("new", "demo", "--from", "landing")
    cli.ok("page", "add", "demo", "cafe", "--title", "Café ☕ 日本語")
    first, second = tmp_path / "e1", tmp_path / "e2"
    cli.ok("export", "demo", str(first))
    assert (first / "project.json").is_file() and any((first / "blobs").iterdir())
    cli.ok("project", "rm", "demo", "--yes")
    assert "imported demo" in cli.ok("import", str(first)).stdout
    cli.ok("export", "demo", str(second))
    assert tree(first) == tree(second)


def test_block_add_set_move_rm_and_bad_prop_refused(cli):
    cli.ok("new", "demo", "--from", "landing")

    def blocks() -> list[str]:
        return cli.ok("block", "list", "demo", "about").stdout.splitlines()

    start = blocks()
    cli.ok(
        "block", "add", "demo", "about", "rich-text", "--at", "2", "--prop", "body=## QA *notes*"
    )
    added = blocks()
    assert len(added) == len(start) + 1 and "rich-text" in added[1]

    cli.ok("block", "set", "demo", "about", "2", "body=## Edited by QA")
    assert "Edited by QA" in blocks()[1]

    before_bad = blocks()
    cli.fails(
        "block",
        "set",
        "demo",
        "about",
        "2",
        "width=huge",
        mentions=("project demo", "page about", "block 2", "rich-text", "width", "huge"),
    )
    cli.fails(
        "block", "set", "demo", "about", "2", "colour=red", mentions=("colour", "unknown prop")
    )
    cli.fails(
        "block",
        "add",
        "demo",
        "about",
        "cta",
        "--prop",
        "button_url=javascript:alert(1)",
        mentions=("button_url", "javascript"),
    )
    cli.fails("block", "add", "demo", "about", "no-such-component", mentions=("no-such-component",))
    cli.fails("block", "move", "demo", "about", "2", "99", mentions=("99",))
    assert blocks() == before_bad, "a refused edit changed the page"

    cli.ok("block", "move", "demo", "about", "2", "1")
    moved = blocks()
    assert "rich-text" in moved[0] and "Edited by QA" in moved[0]

    cli.ok("block", "rm", "demo", "about", "1", "--yes")
    assert [line.split(None, 1)[1] for line in blocks()] == [
        line.split(None, 1)[1] for line in start
    ]
