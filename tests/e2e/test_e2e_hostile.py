"""Hostile and odd input, as a careless or malicious user would type it: every refusal is one
`error:` line naming what and where, exits non-zero, shows no traceback and writes nothing."""

from __future__ import annotations

import copy
import json
import re
import shutil
from pathlib import Path

import pytest
from tests.e2e.e2e_cli import count_rows

COUNTED = ("projects", "pages", "assets", "versions")


def write_variant(export: Path, target: Path, change) -> Path:
    """A copy of an export with project.json changed by CHANGE (a function of the parsed data)."""
    shutil.copytree(export / "blobs", target / "blobs")
    data = json.loads((export / "project.json").read_text(encoding="utf-8"))
    data = copy.deepcopy(data)
    text = change(data)
    (target / "project.json").write_text(text if isinstance(text, str) else json.dumps(data), encoding="utf-8")
    return target


REPO = Path(__file__).resolve().parents[2]


def starter_variant(tmp_path: Path, name: str, change) -> Path:
    """The repository's `landing` starter (the export format) with project.json changed."""
    return write_variant(REPO / "sites" / "landing", tmp_path / name, change)


def test_hostile_input_is_refused_cleanly_and_writes_nothing(cli, db_target, tmp_path):
    cli.ok("new", "demo", "--from", "landing")
    before = count_rows(db_target.url, COUNTED)
    pages_before = cli.ok("page", "list", "demo").stdout

    # names, slugs and titles
    cli.fails("new", "my site", "--from", "landing", mentions=("my site",))
    cli.fails("page", "add", "demo", "x", "--title", "", mentions=("title",))
    cli.fails("page", "add", "demo", "assets", "--title", "Assets", mentions=("assets",))
    # URLs and assets
    cli.fails("block", "add", "demo", "home", "cta", "--prop", "button_url= JaVaScRiPt:alert(1)",
              mentions=("button_url", "javascript"))
    cli.fails("block", "set", "demo", "home", "1", 'links=[{"label": "x", "url": "javascript:alert(1)"}]',
              mentions=("links", "javascript"))
    cli.fails("block", "add", "demo", "home", "image", "--prop", "image=missing.png",
              mentions=("image", "missing.png"))
    cli.fails("asset", "add", "demo", str(tmp_path / "no-such-file.png"), mentions=("no-such-file.png",))
    evil_svg = tmp_path / "evil.svg"
    evil_svg.write_text('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>')
    cli.fails("asset", "add", "demo", str(evil_svg), "--alt", "x", mentions=("evil.svg",))

    # hostile imports: nothing of them may be written
    five_mb = "word " * 1_000_000

    def big_markdown(d):
        d["pages"][0]["blocks"].append({"component": "rich-text", "props": {"body": five_mb}})

    def traversal(d):
        d["pages"][1]["slug"] = "../x"

    def duplicate(d):
        d["pages"][2]["slug"] = d["pages"][1]["slug"]

    def unknown_component(d):
        d["pages"][0]["blocks"][0]["component"] = "evil"

    def blob_traversal(d):
        d["assets"][0]["hash"] = "../../../../etc/passwd"

    cases = {
        "big-markdown": (big_markdown, ("body", "20000")),
        "traversal": (traversal, ("../x",)),
        "duplicate": (duplicate, ("duplicate",)),
        "unknown-component": (unknown_component, ("evil",)),
        "blob-traversal": (blob_traversal, ("hash",)),
        "malformed": (lambda d: '{"name": "x", ', ("JSON",)),
    }
    for name, (change, words) in cases.items():
        folder = starter_variant(tmp_path, name, change)
        cli.fails("import", str(folder), "--name", f"t-{name}", mentions=words)

    assert count_rows(db_target.url, COUNTED) == before
    assert cli.ok("page", "list", "demo").stdout == pages_before
    assert "t-" not in cli.ok("project", "list").stdout


def test_unicode_and_markup_in_titles_are_kept_and_escaped(cli, tmp_path):
    cli.ok("new", "demo", "--from", "landing")
    title = "</title><script>alert(1)</script> Café ☕ 日本語"
    cli.ok("page", "add", "demo", "cafe", "--title", title)
    assert "Café ☕ 日本語" in cli.ok("page", "list", "demo").stdout
    cli.ok("block", "add", "demo", "cafe", "rich-text", "--prop",
           "body=<script>alert(2)</script> [x](javascript:alert(3)) <img src=x onerror=alert(4)>")
    out = tmp_path / "out"
    cli.ok("build", "demo", "--out", str(out))
    html = (out / "cafe" / "index.html").read_text(encoding="utf-8")
    assert "Café ☕ 日本語" in html
    assert "<script>alert" not in html
    assert not re.search(r"<[a-z][^>]*\son[a-z]+=", html), "an event handler reached the HTML"
    assert 'href="javascript:' not in html.lower()


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
@pytest.mark.xfail(reason="bug: `bgpub new '' --from landing` silently creates a project called 'landing' "
                          "instead of refusing the empty NAME", strict=True)
def test_empty_project_name_is_refused(cli):
    cli.fails("new", "", "--from", "landing", mentions=("name",))


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
@pytest.mark.xfail(reason="bug: an image (asset) prop accepts a text/plain asset and renders "
                          "<img src=...txt>", strict=True)
def test_image_prop_refuses_a_non_image_asset(cli, tmp_path):
    cli.ok("new", "demo", "--from", "landing")
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    cli.ok("asset", "add", "demo", str(notes), "--alt", "notes")
    cli.fails("block", "add", "demo", "about", "image", "--prop", "image=notes.txt", "--prop", "alt=x",
              mentions=("image", "notes.txt"))


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
def test_unknown_design_token_is_refused(cli):
    """Found by QA (an unknown token was stored); fixed upstream, kept as a regression test."""
    cli.ok("new", "demo", "--from", "landing")
    cli.fails("project", "set", "demo", "--token", "nosuch=red", mentions=("nosuch",))


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
def test_no_command_without_a_terminal_does_not_hang(cli):
    import subprocess
    import sys

    try:
        out = subprocess.run([sys.executable, "-m", "bgpub", "--database-url", cli.url], env=cli.env,
                             cwd=cli.cwd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=4)
    except subprocess.TimeoutExpired:
        pytest.fail("`bgpub` without a terminal was still running after 4 s")
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
@pytest.mark.xfail(reason="bug: `bgpub webhook add demo 'http://[::1'` crashes with a ValueError traceback "
                          "(Invalid IPv6 URL) instead of one error line", strict=True)
def test_malformed_webhook_url_is_one_error_line(cli):
    cli.ok("new", "demo", "--from", "landing")
    cli.fails("webhook", "add", "demo", "http://[::1", mentions=("http://[::1",))


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
@pytest.mark.xfail(reason="bug: `bgpub build demo --out ''` writes the whole site into the current "
                          "directory instead of refusing the empty path", strict=True)
def test_build_into_an_empty_path_is_refused(cli):
    cli.ok("new", "demo", "--from", "landing")
    result = cli.run("build", "demo", "--out", "")
    stray = (cli.cwd / "index.html").exists()
    assert not stray, "the site was written into the current directory"
    assert result.returncode != 0


@pytest.mark.xfail(reason="bug: `bgpub import` of a project.json with an asset width of 10**30 or a lone "
                          "surrogate (\\ud800) in a page title crashes with a traceback (OverflowError / "
                          "peewee.DataError, UnicodeEncodeError) instead of one error line", strict=True)
def test_import_of_out_of_range_numbers_and_bad_unicode_is_one_error_line(cli, tmp_path):
    def huge_width(d):
        d["assets"][0]["width"] = 10**30

    def surrogate(d):
        d["pages"][1]["title"] = "\ud800bad"

    for name, change in (("huge-width", huge_width), ("surrogate", surrogate)):
        cli.fails("import", str(starter_variant(tmp_path, name, change)), "--name", name)
    assert "no projects" in cli.ok("project", "list").stdout


@pytest.mark.xfail(reason="bug: a NUL character in a text prop of an imported project.json is stored on "
                          "SQLite and crashes PostgreSQL with a peewee.DataError traceback (JSONB 'unsupported "
                          "Unicode escape sequence'); titles and settings refuse control characters", strict=True)
def test_import_of_a_nul_in_a_prop_is_refused(cli, tmp_path):
    def nul(d):
        d["pages"][0]["blocks"][1]["props"]["heading"] = "x\u0000y"

    cli.fails("import", str(starter_variant(tmp_path, "nul", nul)), "--name", "nul",
              mentions=("heading",))


@pytest.mark.parametrize("db_target", ["sqlite"], indirect=True)
def test_non_utf8_argument_is_one_error_line(cli):
    cli.ok("new", "demo", "--from", "landing")
    latin1 = "caf\udce9"  # what Python makes of the byte 0xE9 in argv (surrogateescape)
    cli.fails("page", "add", "demo", "latin", "--title", latin1, mentions=("title",))
