"""The commands: `bgpub import-posts` and `bgpub import-wordpress` print the report (or JSON), refuse bad input
with one line and a non-zero exit, and change nothing then."""

from __future__ import annotations

import json

import pytest
from blogimport_support import author, counts, item, write_files, wxr

from bgpub.cli import main


@pytest.fixture
def bgpub(db_target, project, capsys):
    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(["--database-url", db_target.url, *map(str, args)])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_both_commands_print_their_report_and_json(bgpub, tmp_path):
    write_files(
        tmp_path / "md",
        {
            "hello.md": "---\ntitle: Hello\ntags: [a]\n---\nHi {{< x >}}\n",
            "bad.md": "---\ntitle: Bad\ndate: soon\n---\nx\n",
        },
    )
    code, out, err = bgpub("import-posts", "demo", tmp_path / "md")
    assert (code, err) == (0, "")
    assert "1 posts" in out and "1 skipped" in out
    assert "skipped bad.md: date: 'soon' is not a date" in out
    assert "note hello.md:5: Hugo shortcode {{< x >}}" in out

    write_files(
        tmp_path / "wp",
        {
            "export.xml": wxr(
                item(
                    1,
                    "From WordPress",
                    name="from-wp",
                    content="<p>Hi<script>alert(1)</script></p>",
                    categories=("News",),
                ),
                authors=(author("ada", "ada@example.com", "Ada"),),
            )
        },
    )
    code, out, err = bgpub("import-wordpress", "demo", tmp_path / "wp" / "export.xml", "--json")
    assert (code, err) == (0, "")
    report = json.loads(out)
    assert report["posts"] == ["from-wp"] and report["categories"] == ["News"]
    assert {
        "where": "item 1 (from-wp)",
        "message": "removed <script> element: nothing executable is imported",
    } in report["notes"]

    code, out, _ = bgpub("import-wordpress", "demo", tmp_path / "wp" / "export.xml", "--json")
    assert code == 0 and json.loads(out)["posts"] == []
    assert "already has a post with slug 'from-wp'" in json.loads(out)["skipped"][0]["message"]


def test_refusals_are_one_line_and_change_nothing(bgpub, tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        "<rss><channel><item><title>&b;</title></item></channel></rss>"
    )
    before = counts()
    for args, message in [
        (
            ("import-wordpress", "demo", bomb),
            "error: file bomb.xml: the export declares a DTD or entities",
        ),
        (
            ("import-wordpress", "demo", tmp_path / "none.xml"),
            "error: import-wordpress: no such file",
        ),
        (("import-posts", "demo", tmp_path / "nowhere"), "error: import-posts: no such folder"),
        (("import-posts", "nope", tmp_path), "error: "),
    ]:
        code, out, err = bgpub(*args)
        assert code != 0 and out == ""
        assert err.startswith(message) and err.count("\n") == 1, err
        assert "Traceback" not in err
    assert counts() == before
