"""`import_posts`: a folder of Markdown posts from Hugo (YAML and TOML), Eleventy (JSON), Jekyll and Pelican
becomes posts with every field; what cannot be kept is reported with file:line; hostile or broken files are
skipped with their reason; a failure writes nothing; a second run adds nothing."""

from __future__ import annotations

import os
from datetime import datetime

import pytest
from blogimport_support import counts, png, write_files

from bgpub.db.enums import PostStatus, Role
from bgpub.db.models import AuditLog, BlogCategory, BlogPost, BlogTag, OrganizationMember, User
from bgpub.errors import NotFound, PermissionDenied
from bgpub.services import front_matter, post_imports
from bgpub.services.post_imports import import_posts
from bgpub.services.revisions import project_revision

NOW = datetime(2025, 6, 1, 12, 0)

HUGO_YAML = """---
title: "Hello, world"
date: 2024-03-01T10:00:00+02:00
draft: false
tags: [python, "static sites"]
keywords: [seo, words]
lastmod: 2024-04-01
categories: [Notes, Extra]
summary: The first post
slug: hello-world
aliases: [/posts/old-hello/, /2019/01/hello.html]
author: ada@example.com
cover:
  image: cover.png
weight: 3
---
Intro with a {{< youtube abc123 >}} video.

<div class="note">raw</div>

```html
<b>code is fine</b> {{< not-a-finding >}}
```

Inline `<span>` is code too.
"""

HUGO_TOML = """+++
title = "Bundle"
date = 2023-05-06T07:08:09Z
draft = true
tags = ["toml"]
categories = ["Guides"]
description = "From TOML"
author = "Grace Hopper"
+++
A {{% notice %}}note{{% /notice %}}.
"""

ELEVENTY_JSON = """{
  "title": "Eleventy post",
  "date": "2022-02-03",
  "tags": ["json"],
  "excerpt": "JSON front matter",
  "image": "/images/pic.png"
}
Body of the JSON post.
"""

JEKYLL = """---
title: Jekyll post
published: false
categories: Diary
redirect_from: /diary/old-jekyll/
---
{% include note.html %} and {{ site.baseurl }}
"""

PELICAN = """Title: Pelican post
Date: 2010-12-03 10:20
Category: Python
Tags: pelican, publishing
Slug: my-super-post
Authors: Alexis Metaireau, Conan Doyle
Summary: Short version

This is the content.
"""

FUTURE = """---
title: Coming soon
date: 2030-01-01
---
Later.
"""


def blog_folder(root):
    return write_files(
        root,
        {
            "content/posts/hello.md": HUGO_YAML,
            "content/posts/cover.png": png(),
            "content/posts/bundle/index.md": HUGO_TOML,
            "src/eleventy.md": ELEVENTY_JSON,
            "static/images/pic.png": png(5, 5, "blue"),
            "_posts/2021-07-08-jekyll-post.md": JEKYLL,
            "pelican.markdown": PELICAN,
            "future.md": FUTURE,
            "README.txt": "not a post",
            "node_modules/pkg/README.md": "---\ntitle: A dependency\n---\nx\n",
            ".github/ISSUE.md": "---\ntitle: Template\n---\nx\n",
            "content/posts/_index.md": "---\ntitle: Posts\n---\nThe section.\n",
        },
    )


def test_every_field_of_every_front_matter_style_is_imported(actor, project, tmp_path):
    revision = project_revision(project.id)
    report = import_posts(actor, "demo", blog_folder(tmp_path / "blog"), now=NOW)
    assert project_revision(project.id) > revision  # the preview sees the change
    posts = {p.slug: p for p in BlogPost.select().where(BlogPost.project == project)}
    assert set(posts) == {
        "hello-world",
        "bundle",
        "eleventy",
        "jekyll-post",
        "my-super-post",
        "future",
    }
    assert sorted(report.posts) == sorted(posts)

    hello = posts["hello-world"]
    assert (hello.title, hello.excerpt, hello.status) == (
        "Hello, world",
        "The first post",
        PostStatus.PUBLISHED,
    )
    assert hello.published_at == datetime(2024, 3, 1, 8, 0)  # +02:00 stored as UTC
    assert hello.edited_at == datetime(2024, 4, 1) and list(hello.keywords) == ["seo", "words"]
    assert hello.category.name == "Notes"
    assert sorted(t.tag.name for t in hello.post_tags) == ["python", "static sites"]
    assert (hello.author_id, hello.author_name) == (
        None,
        "ada@example.com",
    )  # no member has that address
    assert hello.cover_asset == "cover.png"
    assert "{{< youtube abc123 >}}" in hello.body  # kept as text, and reported

    bundle = posts["bundle"]
    assert (bundle.status, bundle.excerpt, bundle.author_name) == (
        PostStatus.DRAFT,
        "From TOML",
        "Grace Hopper",
    )
    assert bundle.published_at == datetime(2023, 5, 6, 7, 8, 9)
    assert bundle.category.name == "Guides"

    eleventy = posts["eleventy"]
    assert (eleventy.excerpt, eleventy.cover_asset) == ("JSON front matter", "pic.png")
    assert eleventy.published_at == datetime(2022, 2, 3)

    jekyll = posts["jekyll-post"]
    assert (jekyll.status, jekyll.category.name) == (PostStatus.DRAFT, "Diary")
    assert jekyll.published_at == datetime(2021, 7, 8)  # from the file name

    pelican = posts["my-super-post"]
    assert (pelican.title, pelican.excerpt, pelican.author_name) == (
        "Pelican post",
        "Short version",
        "Alexis Metaireau",
    )
    assert pelican.published_at == datetime(2010, 12, 3, 10, 20)
    assert sorted(t.tag.name for t in pelican.post_tags) == ["pelican", "publishing"]
    assert pelican.body == "This is the content.\n"

    assert posts["future"].status == PostStatus.SCHEDULED
    assert sorted(report.assets) == ["cover.png", "pic.png"]
    assert sorted(report.categories) == ["Diary", "Guides", "Notes", "Python"]
    assert {(f.where, f.message) for f in report.skipped} == {
        (".github/", "1 Markdown file(s) in hidden or dependency folders not read"),
        ("node_modules/", "1 Markdown file(s) in hidden or dependency folders not read"),
        ("content/posts/_index.md", "a section's index page, not a post"),
    }

    notes = {(n.where, n.message) for n in report.notes}
    assert any(
        w == "content/posts/hello.md:17" and "Hugo shortcode {{< youtube abc123 >}}" in m
        for w, m in notes
    )
    assert any(w == "content/posts/hello.md:19" and "raw HTML <div" in m for w, m in notes)
    assert any(w == "content/posts/bundle/index.md:10" and "{{% notice %}}" in m for w, m in notes)
    assert any(
        w == "_posts/2021-07-08-jekyll-post.md:7" and "Liquid tag {% include note.html %}" in m
        for w, m in notes
    )
    assert any(
        w == "_posts/2021-07-08-jekyll-post.md:7" and "{{ site.baseurl }}" in m for w, m in notes
    )
    assert not any("code is fine" in m or "not-a-finding" in m or "<span>" in m for _, m in notes)
    assert ("content/posts/hello.md", "a post has one category: kept 'Notes', not 'Extra'") in notes
    assert ("content/posts/hello.md", "front matter keys not kept: weight") in notes
    assert any(w == "pelican.markdown" and "'Conan Doyle'" in m for w, m in notes)
    assert list(posts["hello-world"].aliases) == [
        "old-hello",
        "hello",
    ]  # earlier addresses, as earlier slugs
    assert list(posts["jekyll-post"].aliases) == ["old-jekyll"]
    audit = AuditLog.select().where(AuditLog.action == "post.import").get()
    assert audit.summary["posts"] == 6


def test_an_author_given_by_email_is_the_member_with_that_address(actor, org, project, tmp_path):
    user = User.create(email="grace@example.com", name="Grace H.")
    OrganizationMember.create(organization=org, user=user, role=Role.EDITOR)
    write_files(
        tmp_path / "b",
        {
            "a.md": "---\ntitle: A\nauthor: Grace@Example.com\n---\nx\n",
            "b.md": "---\ntitle: B\nauthor: Someone <nobody@example.com>\n---\nx\n",
        },
    )
    import_posts(actor, "demo", tmp_path / "b", now=NOW)
    a, b = BlogPost.get(BlogPost.slug == "a"), BlogPost.get(BlogPost.slug == "b")
    assert (a.author_id, a.author_name) == (user.id, "Grace@Example.com")
    assert (b.author_id, b.author_name) == (None, "Someone")


HOSTILE = {
    "bad-date.md": (
        "---\ntitle: Bad date\ndate: 2024-13-45\n---\nx\n",
        "date: '2024-13-45' is not a date",
    ),
    "words-date.md": ('+++\ntitle = "Words"\ndate = "last tuesday"\n+++\nx\n', "is not a date"),
    "latin1.md": ("---\ntitle: Caf\xe9\n---\n".encode("latin-1"), "not UTF-8 text (byte 0xe9"),
    "broken-yaml.md": ("---\ntitle: [unclosed\n---\nx\n", "the YAML front matter cannot be read"),
    "broken-toml.md": ("+++\ntitle = \n+++\nx\n", "the TOML front matter cannot be read"),
    "broken-json.md": ('{\n"title": \n}\nx\n', "the JSON front matter cannot be read"),
    "list-yaml.md": ("---\n- a\n- b\n---\nx\n", "not a table of keys and values"),
    "no-title.md": ("---\ndate: 2024-01-01\n---\nx\n", "title is required"),
    "rtl-title.md": ('---\ntitle: "evil\u202etxt"\n---\nx\n', "RIGHT-TO-LEFT OVERRIDE"),
    "bad-tags.md": (
        "---\ntitle: Tags\ntags: {a: 1}\n---\nx\n",
        "tags must be a list of names, got an object",
    ),
    "bad-draft.md": ("---\ntitle: Draft\ndraft: maybe\n---\nx\n", "draft must be true or false"),
    "huge.md": ("---\ntitle: Huge\n---\n" + "x" * 3000, "the file is larger than"),
    "dup-a.md": ("---\ntitle: One\nslug: same\n---\nx\n", None),
    "dup-b.md": (
        "---\ntitle: Two\nslug: same\n---\nx\n",
        "slug 'same' is also the slug of dup-a.md",
    ),
    "yaml-bomb.md": (
        "---\ntitle: Bomb\ntags: &a [x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n---\nx\n",
        None,
    ),
    "nul.md": ("---\ntitle: Nul\n---\na\x00b\n", "body contains a NUL character"),
    "assets.md": ("---\ntitle: Reserved\n---\nx\n", "'assets' is reserved"),
    "long-summary.md": ("---\ntitle: Long\nsummary: " + "word " * 420 + "\n---\nx\n", None),
}


def test_broken_and_hostile_files_are_skipped_with_their_reason(
    actor, project, tmp_path, monkeypatch
):
    monkeypatch.setattr(front_matter, "MAX_FILE_BYTES", 2600)
    files = {name: content for name, (content, _) in HOSTILE.items()}
    files["cover-escape.md"] = "---\ntitle: Escape\ncover: ../../../../etc/passwd\n---\nx\n"
    files["cover-absolute.md"] = "---\ntitle: Absolute\ncover: file:///etc/passwd\n---\nx\n"
    files["cover-link.md"] = "---\ntitle: Link\ncover: outside.png\n---\nx\n"
    files["cover-missing.md"] = "---\ntitle: Missing\ncover: nowhere.png\n---\nx\n"
    write_files(tmp_path / "outside", {"secret.png": png()})
    root = write_files(tmp_path / "blog", files)
    os.symlink(tmp_path / "outside" / "secret.png", root / "outside.png")
    os.symlink(tmp_path / "outside", root / "linked")
    write_files(tmp_path / "outside", {"sneaky.md": "---\ntitle: Sneaky\n---\nx\n"})

    report = import_posts(actor, "demo", root, now=NOW)
    skipped = {f.where: f.message for f in report.skipped}
    for name, (_, reason) in HOSTILE.items():
        if reason is None:
            assert name not in skipped
        else:
            assert reason in skipped[name], (name, skipped.get(name))
    assert sorted(report.posts) == [
        "cover-absolute",
        "cover-escape",
        "cover-link",
        "cover-missing",
        "long-summary",
        "same",
        "yaml-bomb",
    ]  # nothing through the linked folder
    long = BlogPost.get(BlogPost.slug == "long-summary").excerpt
    assert len(long) <= 2000 and long.endswith("word…")
    assert BlogTag.select().count() == 1  # the bomb's tags are two names, not a blow-up
    notes = {f.where: f.message for f in report.notes}
    assert "leads outside the import's folder" in notes["cover-escape.md"]
    assert "not a file beside the import" in notes["cover-absolute.md"]
    assert "links outside the import's folder" in notes["cover-link.md"]
    assert "not beside the import" in notes["cover-missing.md"]
    assert report.assets == [] and all(p.cover_asset is None for p in BlogPost.select())


def test_a_second_run_adds_nothing(actor, project, tmp_path):
    root = blog_folder(tmp_path / "blog")
    import_posts(actor, "demo", root, now=NOW)
    before = {k: v for k, v in counts().items() if k != "AuditLog"}
    again = import_posts(actor, "demo", root, now=NOW)
    assert again.posts == [] and again.assets == [] and again.categories == [] and again.tags == []
    assert len([s for s in again.skipped if "already has a post with slug" in s.message]) == 6
    assert {k: v for k, v in counts().items() if k != "AuditLog"} == before


def test_a_failure_half_way_writes_nothing(actor, project, tmp_path, monkeypatch):
    root = blog_folder(tmp_path / "blog")
    before = counts()
    written = {}

    def failing(project):  # the last step, after every row and file was written
        written.update(counts())
        raise RuntimeError("disk gone")

    monkeypatch.setattr(post_imports, "BATCH", 2)  # several batches were written before the fault
    monkeypatch.setattr(post_imports, "bump_project", failing)
    with pytest.raises(RuntimeError):
        import_posts(actor, "demo", root, now=NOW)
    assert written["BlogPost"] == 6 and written["Asset"] == 2 and written["BlogCategory"] == 4
    assert counts() == before


def test_viewers_may_not_import_and_a_missing_folder_is_named(actor, org, project, tmp_path):
    viewer = User.create(email="viewer@example.com", name="V")
    OrganizationMember.create(organization=org, user=viewer, role=Role.VIEWER)
    root = blog_folder(tmp_path / "blog")
    before = counts()
    with pytest.raises(PermissionDenied, match="EDITOR"):
        import_posts(viewer, "demo", root)
    with pytest.raises(NotFound, match="no such folder"):
        import_posts(actor, "demo", tmp_path / "nope")
    assert counts() == before


def test_categories_and_tags_match_by_name_and_new_ones_get_their_own_slug(
    actor, project, tmp_path
):
    BlogCategory.create(project=project, name="C", slug="c")
    BlogTag.create(project=project, name="Python", slug="python")
    write_files(
        tmp_path / "b",
        {
            "one.md": "---\ntitle: One\ncategories: [C++]\ntags: [python, Go]\n---\nx\n",
            "two.md": "---\ntitle: Two\ncategories: [c]\ntags: [GO]\n---\nx\n",
        },
    )
    report = import_posts(actor, "demo", tmp_path / "b", now=NOW)
    one, two = BlogPost.get(BlogPost.slug == "one"), BlogPost.get(BlogPost.slug == "two")
    assert (one.category.name, one.category.slug) == ("C++", "c-2")
    assert (two.category.name, two.category.slug) == ("C", "c")
    assert sorted(t.tag.slug for t in one.post_tags) == ["go", "python"]
    assert [t.tag.name for t in two.post_tags] == ["Go"]
    assert (report.categories, report.tags) == (["C++"], ["Go"])
