"""`import_wordpress`: a WXR export becomes posts, pages, categories, tags, bylines, comments and assets;
hostile XML is refused whole, hostile HTML is neutralised, traversal in attachment paths is refused and
reported, a failure writes nothing and a second run adds nothing."""

from __future__ import annotations

import os
import re
from datetime import datetime

import pytest
from blogimport_support import (
    author,
    comment,
    counts,
    executable_parts,
    item,
    png,
    write_files,
    wxr,
)

from bgpub.db.enums import CommentStatus, PostStatus, Role
from bgpub.db.models import AuditLog, BlogComment, BlogPost, OrganizationMember, Page, User
from bgpub.errors import InvalidInput, PermissionDenied
from bgpub.render.markdown import render_markdown
from bgpub.services import post_imports
from bgpub.services import wxr as wxr_reader
from bgpub.services.post_imports import import_wordpress

ATTACHMENT_URL = "https://old.example/wp-content/uploads/2024/01/photo.png"
DIAGRAM_URL = "https://old.example/wp-content/uploads/2024/02/diagram.png"


def export_folder(root, *extra_items: str, version: str = "1.2"):
    """An export with every kind of item, and the uploads folder beside it."""
    items = [
        item(
            10,
            "Hello WordPress",
            name="hello-wordpress",
            content=(
                "First paragraph with <strong>bold</strong>.\n\nSecond paragraph "
                f'<img src="{ATTACHMENT_URL}" alt="A photo"> and [gallery ids="1,2"].'
                f'<img src="{DIAGRAM_URL}" alt="A diagram">'
            ),
            excerpt="<p>The <em>short</em> version</p>",
            categories=("News", "Life"),
            tags=("Python", "Café"),
            meta={"_thumbnail_id": "50"},
            date_gmt="2024-01-02 09:30:00",
            modified_gmt="2024-02-03 04:05:06",
            comments=(
                comment(1, "Reader", "Nice <b>post</b>!", "1", email="Reader@Example.com"),
                comment(2, "Waiting", "Please approve", "0", date="2024-01-05 08:00:00"),
                comment(3, "Spammer", "Buy now", "spam"),
                comment(4, "Old", "Deleted", "trash"),
                comment(5, "Other blog", "Linked", "1", kind="pingback"),
            ),
        ),
        item(11, "A draft", name="", status="draft", date_gmt="0000-00-00 00:00:00", creator="bob"),
        item(12, "Waiting review", name="waiting-review", status="pending"),
        item(
            13, "Coming later", name="coming-later", status="future", date_gmt="2030-05-01 06:00:00"
        ),
        item(14, "Only me", name="only-me", status="private"),
        item(15, "In the bin", name="in-the-bin", status="trash"),
        item(
            20,
            "About us",
            name="about-us",
            kind="page",
            content="<h2>Who</h2><p>We are <em>here</em>.</p>",
        ),
        item(21, "Draft page", name="draft-page", kind="page", status="draft"),
        item(30, "Menu", name="menu-1", kind="nav_menu_item"),
        item(
            50,
            "photo",
            name="photo",
            kind="attachment",
            status="inherit",
            parent=10,
            attachment_url=ATTACHMENT_URL,
            meta={"_wp_attached_file": "2024/01/photo.png"},
        ),
        item(
            51,
            "diagram",
            name="diagram",
            kind="attachment",
            status="inherit",
            attachment_url=DIAGRAM_URL,
        ),
        *extra_items,
    ]
    authors = (
        author("ada", "ada@example.com", "Ada Lovelace"),
        author("bob", "bob@example.com", "Bob"),
    )
    write_files(
        root,
        {
            "export.xml": wxr(*items, authors=authors, version=version),
            "wp-content/uploads/2024/01/photo.png": png(6, 4, "green"),
            "uploads/2024/02/diagram.png": png(3, 3, "blue"),
        },
    )
    return root / "export.xml"


def test_wxr_versions_1_0_to_1_2_read_the_same(tmp_path):
    read = [
        wxr_reader.read_export(export_folder(tmp_path / v, version=v))
        for v in ("1.0", "1.1", "1.2")
    ]
    assert read[0].posts == read[1].posts == read[2].posts and len(read[0].posts) == 6
    assert read[0].authors == read[2].authors and read[0].skipped == read[2].skipped


def test_every_field_of_an_export_is_imported(actor, org, project, tmp_path):
    ada = User.create(email="ada@example.com", name="Ada L.")
    OrganizationMember.create(organization=org, user=ada, role=Role.EDITOR)
    report = import_wordpress(actor, "demo", export_folder(tmp_path / "wp"))
    posts = {p.slug: p for p in BlogPost.select().where(BlogPost.project == project)}
    assert set(posts) == {"hello-wordpress", "a-draft", "waiting-review", "coming-later", "only-me"}
    statuses = {slug: post.status for slug, post in posts.items()}
    assert statuses == {
        "hello-wordpress": PostStatus.PUBLISHED,
        "a-draft": PostStatus.DRAFT,
        "waiting-review": PostStatus.DRAFT,
        "coming-later": PostStatus.SCHEDULED,
        "only-me": PostStatus.DRAFT,
    }
    hello = posts["hello-wordpress"]
    assert hello.published_at == datetime(2024, 1, 2, 9, 30)
    assert hello.edited_at == datetime(2024, 2, 3, 4, 5, 6)
    assert posts["waiting-review"].edited_at is None
    assert posts["coming-later"].published_at == datetime(2030, 5, 1, 6, 0)
    assert posts["a-draft"].published_at is None  # WordPress writes 0000-00-00 for an undated draft
    assert (hello.author_id, hello.author_name) == (ada.id, "Ada Lovelace")
    assert (posts["a-draft"].author_id, posts["a-draft"].author_name) == (None, "Bob")
    assert hello.category.name == "News"
    assert sorted(t.tag.name for t in hello.post_tags) == ["Café", "Python"]
    assert hello.excerpt == "The short version"
    assert (
        "**bold**" in hello.body
        and "First paragraph" in hello.body
        and "\n\nSecond paragraph" in hello.body
    )
    assert hello.cover_asset == "photo.png" and report.assets == ["photo.png", "diagram.png"]
    comments = {c.author_name: c for c in BlogComment.select()}
    assert set(comments) == {"Reader", "Waiting"}
    assert (
        comments["Reader"].status == CommentStatus.APPROVED
        and comments["Reader"].body == "Nice post!"
    )
    assert comments["Reader"].author_email == "reader@example.com"
    assert comments["Waiting"].status == CommentStatus.PENDING
    assert comments["Waiting"].created_at == datetime(2024, 1, 5, 8, 0)
    assert report.comments == 2

    page = Page.get(Page.slug == "about-us")
    assert page.title == "About us" and page.show_in_nav is False
    assert page.blocks == [
        {"component": "rich-text", "props": {"body": "## Who\n\nWe are *here*.\n"}}
    ]
    assert report.pages == ["about-us"]

    skipped = {f.where: f.message for f in report.skipped}
    assert "not imported" in skipped["item 6 (in-the-bin)"]
    assert "only published pages are imported" in skipped["item 8 (draft-page)"]
    assert "spam" in skipped["item 1 (hello-wordpress), comment 3"]
    assert "trash" in skipped["item 1 (hello-wordpress), comment 4"]
    assert "pingback" in skipped["item 1 (hello-wordpress), comment 5"]
    assert "only posts, pages" in skipped["1 item(s) of type 'nav_menu_item'"]
    notes = [(f.where, f.message) for f in report.notes]
    assert ("item 1 (hello-wordpress)", "a post has one category: kept 'News', not 'Life'") in notes
    assert any("WordPress shortcode [gallery" in m for _, m in notes)
    assert (
        "item 1 (hello-wordpress)",
        "the text still links to its files at their old addresses; they are "
        "imported as assets: diagram.png",
    ) in notes
    audit = AuditLog.select().where(AuditLog.action == "post.import_wordpress").get()
    assert (audit.summary["posts"], audit.summary["pages"], audit.summary["comments"]) == (5, 1, 2)


HOSTILE_HTML = [
    "<p>Hi<script>alert(document.cookie)</script></p>",
    '<img src="x.png" onerror="alert(1)"><a href="javascript:alert(1)">click</a>',
    '<a href="  JaVaScRiPt:alert(1)">spaced</a><a href="java&#x09;script:alert(1)">tab</a>',
    '<iframe src="https://evil.example/"></iframe><object data="evil.swf"></object><embed src="e.swf">',
    '<style>body{display:none}</style><link rel="stylesheet" href="https://evil.example/x.css">',
    '<svg onload="alert(1)"><script>alert(2)</script></svg><math><mi>x</mi></math>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">data</a><a href="vbscript:msgbox(1)">vb</a>',
    '&lt;script&gt;alert("escaped text")&lt;/script&gt; <div onmouseover="alert(1)" style="x">hover</div>',
    '<form action="https://evil.example/"><input name="q"><button formaction="javascript:alert(1)">go</button></form>',
    '<p>[<a href="javascript:alert(1)">x</a>](javascript:alert(2)) <scr<script>ipt>alert(3)</script></p>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript><template><script>1</script></template>',
]


def test_nothing_executable_survives_html_conversion(actor, project, tmp_path):
    items = [
        item(100 + n, f"Hostile {n}", name=f"hostile-{n}", content=html)
        for n, html in enumerate(HOSTILE_HTML)
    ]
    write_files(
        tmp_path / "wp", {"export.xml": wxr(*items, authors=(author("ada", "a@example.com", "A"),))}
    )
    report = import_wordpress(actor, "demo", tmp_path / "wp" / "export.xml")
    assert len(report.posts) == len(HOSTILE_HTML)
    for post in BlogPost.select():
        html = str(render_markdown(post.body))
        assert executable_parts(html) == [], (post.slug, post.body, html)
        assert "<script" not in html.lower() and "<iframe" not in html.lower()
        # the stored Markdown is clean too, not only its rendering: feeds and other readers get it as well
        links = re.findall(r"(?<!\\)\]\(\s*([^)\s]*)", "".join(post.body.split()).lower())
        assert all(
            link.startswith(("http", "mailto:", "tel:", "/", "#")) or ":" not in link
            for link in links
        ), links
        assert not re.search(
            r"(?<!\\)<script", post.body, re.IGNORECASE
        )  # escaped `\<script\>` is text
    bodies = {p.slug: p.body for p in BlogPost.select()}
    assert "escaped text" in str(
        render_markdown(bodies["hostile-7"])
    )  # text that looks like a tag stays text
    assert any("removed <script> element" in f.message for f in report.notes)


def test_attachment_paths_that_leave_the_export_folder_are_refused_and_reported(
    actor, project, tmp_path
):
    write_files(tmp_path / "outside", {"secret.png": png()})
    hostile = {
        60: "../../outside/secret.png",
        61: "/etc/passwd",
        62: "C:/Windows/win.ini",
        63: "2024/../../../outside/secret.png",
        64: "missing/nowhere.png",
        65: "linked/secret.png",
    }
    attachments = [
        item(
            n,
            f"file {n}",
            name=f"file-{n}",
            kind="attachment",
            status="inherit",
            parent=10,
            meta={"_wp_attached_file": path},
        )
        for n, path in hostile.items()
    ]
    post = item(10, "Post", name="post", content="<p>text</p>")
    write_files(tmp_path / "wp", {"export.xml": wxr(post, *attachments)})
    os.symlink(tmp_path / "outside", tmp_path / "wp" / "linked")
    report = import_wordpress(actor, "demo", tmp_path / "wp" / "export.xml")
    assert report.posts == ["post"] and report.assets == []
    notes = [f.message for f in report.notes if f.where == "item 1 (post)"]
    assert any("attachment 60 not imported" in n and "leads outside" in n for n in notes)
    assert any("attachment 61 not imported" in n and "absolute path" in n for n in notes)
    assert any("attachment 62 not imported" in n and "drive path" in n for n in notes)
    assert any("attachment 63 not imported" in n and "leads outside" in n for n in notes)
    assert any(
        "'missing/nowhere.png' not imported: it is not beside the import" in n for n in notes
    )
    assert any("'linked/secret.png' not imported: it links outside" in n for n in notes)


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss><channel><item><title>&lol3;</title></item></channel></rss>"""
EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><rss><channel><item><title>&xxe;</title></item></channel></rss>"""
DOCTYPE_ONLY = """<?xml version="1.0"?><!DOCTYPE rss SYSTEM "http://evil.example/rss.dtd"><rss><channel/></rss>"""
PARAMETER_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY % remote SYSTEM "http://evil.example/x.dtd"> %remote;]><rss><channel/></rss>"""


REFUSED_EXPORTS = [
    (BILLION_LAUGHS, "declares a DTD or entities"),
    (EXTERNAL_ENTITY, "declares a DTD or entities"),
    (DOCTYPE_ONLY, "declares a DTD or entities"),
    (PARAMETER_ENTITY, "declares a DTD or entities"),
    ("<rss><channel><item></channel></rss>", "not well-formed XML at line 1"),
    ("not xml at all", "not well-formed XML"),
    (
        '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"></feed>',
        "not a WordPress export",
    ),
    (b"\xff\xfe<\x00r\x00", "not well-formed XML"),
]


def test_hostile_or_broken_exports_are_refused_whole(actor, project, tmp_path):
    path = tmp_path / "export.xml"
    before = counts()
    for content, message in REFUSED_EXPORTS:
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        with pytest.raises(InvalidInput, match=message) as caught:
            import_wordpress(actor, "demo", path)
        assert str(caught.value).startswith("file export.xml: ")
        assert counts() == before


def test_a_huge_export_is_refused_before_it_is_parsed(actor, project, tmp_path, monkeypatch):
    monkeypatch.setattr(wxr_reader, "MAX_EXPORT_BYTES", 4096)
    path = export_folder(tmp_path / "wp", item(99, "Big", name="big", content="x" * 5000))
    before = counts()
    with pytest.raises(InvalidInput, match="the export is larger than"):
        import_wordpress(actor, "demo", path)
    assert counts() == before


def test_bad_dates_duplicates_and_overlong_pages_are_skipped_with_their_reason(
    actor, project, tmp_path
):
    items = [
        item(1, "Bad date", name="bad-date", date_gmt="2024-02-31 10:00:00"),
        item(2, "Words", name="words", date_gmt="yesterday"),
        item(3, "Same one", name="same"),
        item(4, "Same two", name="same"),
        item(5, "", name="untitled"),
        item(
            6, "Long page", name="long-page", kind="page", content="<p>" + "word " * 5000 + "</p>"
        ),
        item(7, "Reserved", name="assets", kind="page", content="<p>x</p>"),
        item(
            8,
            "Fine",
            name="fine",
            comments=(comment(9, "Late", "bad date", "1", date="2024-99-01 00:00:00"),),
        ),
        item(9, "日本語のタイトル", name="%e6%97%a5%e6%9c%ac"),
    ]
    write_files(tmp_path / "wp", {"export.xml": wxr(*items)})
    report = import_wordpress(actor, "demo", tmp_path / "wp" / "export.xml")
    skipped = {f.where: f.message for f in report.skipped}
    assert "post_date_gmt: '2024-02-31 10:00:00' is not a date" in skipped["item 1 (bad-date)"]
    assert "is not a date" in skipped["item 2 (words)"]
    assert "slug 'same' is also the slug of item 3 (same)" in skipped["item 4 (same)"]
    assert "title is required" in skipped["item 5 (untitled)"]
    assert "longer than 20000" in skipped["item 6 (long-page)"]
    assert "reserved" in skipped["item 7 (assets)"]
    assert "is not a date" in skipped["item 8 (fine), comment 9"]
    assert sorted(report.posts) == [
        "fine",
        "post-9",
        "same",
    ]  # a title with no ASCII form: named by its id
    assert any("imported as 'post-9'" in f.message for f in report.notes)
    assert Page.select().count() == 0


def test_a_second_run_adds_nothing_and_a_failure_writes_nothing(
    actor, project, tmp_path, monkeypatch
):
    path = export_folder(tmp_path / "wp")
    import_wordpress(actor, "demo", path)
    before = {k: v for k, v in counts().items() if k != "AuditLog"}
    again = import_wordpress(actor, "demo", path)
    assert (again.posts, again.pages, again.assets, again.comments) == ([], [], [], 0)
    assert {k: v for k, v in counts().items() if k != "AuditLog"} == before

    monkeypatch.setattr(
        post_imports, "bump_project", lambda *a: (_ for _ in ()).throw(RuntimeError("disk gone"))
    )
    other = export_folder(tmp_path / "wp2", item(77, "New post", name="new-post"))
    (tmp_path / "wp2" / "export.xml").write_text(
        (tmp_path / "wp2" / "export.xml")
        .read_text()
        .replace("hello-wordpress", "hello-again")
        .replace("about-us", "about-again")
    )
    before = counts()
    with pytest.raises(RuntimeError):
        import_wordpress(actor, "demo", other)
    assert counts() == before


def test_viewers_may_not_import(actor, org, project, tmp_path):
    viewer = User.create(email="viewer@example.com", name="V")
    OrganizationMember.create(organization=org, user=viewer, role=Role.VIEWER)
    path = export_folder(tmp_path / "wp")
    before = counts()
    with pytest.raises(PermissionDenied, match="EDITOR"):
        import_wordpress(viewer, "demo", path)
    assert counts() == before


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("One\n\nTwo <em>x</em>", "One\n\nTwo *x*\n"),  # classic editor: blank lines are paragraphs
        (
            "Intro\n\n<pre>def f():\n\n    return 1</pre>\n\nEnd",
            "Intro\n\n```\ndef f():\n\n    return 1\n```\n\nEnd\n",
        ),
        (
            "<!-- wp:paragraph -->\n<p>One</p>\n<!-- /wp:paragraph -->\n\n<p>Two</p>",
            "One\n\nTwo\n",
        ),  # block editor
        ("<ul><li>a</li><li>b</li></ul>", "- a\n- b\n"),
        (
            '<p><a href="https://ok.example/">ok</a> <a href="/about/">about</a></p>',
            "[ok](https://ok.example/) [about](/about/)\n",
        ),
        (
            "<p>1. not a list, *not* emphasis, &lt;b&gt;</p>",
            "1\\. not a list, \\*not\\* emphasis, \\<b\\>\n",
        ),
    ],
)
def test_html_becomes_the_markdown_a_writer_would_type(html, markdown):
    from bgpub.services.html_markdown import to_markdown

    assert to_markdown(html).markdown == markdown
