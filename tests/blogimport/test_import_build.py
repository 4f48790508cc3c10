"""From the commands only: the blog starter, a hostile WordPress export and a Markdown folder imported,
then built. Imported posts are on the site with nothing executable in their pages or feeds; drafts
and posts scheduled for later are not."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest
from blogimport_support import author, comment, executable_parts, item, write_files, wxr

from bgpub.cli import main

HOSTILE_POST = (
    '<p>Before<script>alert(1)</script><img src="x.png" onerror="alert(2)">'
    '<a href="javascript:alert(3)">link</a><iframe src="https://evil.example/"></iframe></p>'
    '<p onclick="alert(4)">After <a href="https://ok.example/">ok</a></p>'
)


@pytest.fixture
def bgpub(db_target, org, capsys):
    def run(*args: object) -> tuple[int, str, str]:
        capsys.readouterr()
        try:
            main(["--database-url", db_target.url, *map(str, args)])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return code, captured.out, captured.err

    return run


def test_imported_posts_are_built_safely_and_only_when_due(bgpub, tmp_path):
    assert bgpub("new", "journal", "--from", "blog")[0] == 0
    export = wxr(
        item(
            10,
            "Hostile post",
            name="hostile-post",
            content=HOSTILE_POST,
            comments=(
                comment(1, "<script>x</script>Eve", "<b>hi</b><script>alert(5)</script>", "1"),
            ),
        ),
        item(11, "Secret draft", name="secret-draft", status="draft"),
        item(12, "Not yet", name="not-yet", status="future", date_gmt="2999-01-01 00:00:00"),
        authors=(author("ada", "ada@example.com", "Ada"),),
    )
    write_files(tmp_path / "wp", {"export.xml": export})
    write_files(
        tmp_path / "md",
        {
            "from-hugo.md": "---\ntitle: From Hugo\ndate: 2024-05-06\ntags: [moved]\n---\n"
            "Text <script>alert(6)</script> and {{< youtube x >}}\n"
        },
    )
    code, out, err = bgpub("import-wordpress", "journal", tmp_path / "wp" / "export.xml")
    assert code == 0, err
    code, out, err = bgpub("import-posts", "journal", tmp_path / "md")
    assert code == 0, err
    code, out, err = bgpub("build", "journal", "--out", tmp_path / "out")
    assert code == 0, err

    out_dir = tmp_path / "out"
    for slug in ("hostile-post", "from-hugo"):
        html = (out_dir / "blog" / slug / "index.html").read_text()
        main_part = html.split("<main", 1)[1].split("</main>", 1)[0]
        assert executable_parts(main_part) == [], (slug, executable_parts(main_part))
        if slug == "hostile-post":  # script and handler code went with their elements
            assert "alert(" not in main_part
    assert "After" in (out_dir / "blog" / "hostile-post" / "index.html").read_text()
    assert not (out_dir / "blog" / "secret-draft").exists()
    assert not (out_dir / "blog" / "not-yet").exists()
    for name in ("atom.xml", "rss.xml"):
        feed = feedparser.parse((out_dir / "blog" / name).read_bytes())
        assert not feed.bozo, feed.bozo_exception
        titles = {entry.title for entry in feed.entries}
        assert {"Hostile post", "From Hugo"} <= titles and not {"Secret draft", "Not yet"} & titles
    text = "\n".join(
        p.read_text(errors="replace")
        for p in Path(out_dir).rglob("*")
        if p.is_file() and p.suffix in (".html", ".xml", ".json")
    )
    assert "<script>alert" not in text and "javascript:" not in text and "onerror" not in text
