"""Export -> import -> export of a blog is byte-identical: every status, categories without posts, tags,
comments of every status, aliases, bylines and member authors, edit times; broken blog data is refused."""

from __future__ import annotations

import json

import pytest
from blog_support import Clock, counts

from bgpub.db.enums import Role
from bgpub.db.models import BlogComment, OrganizationMember, User
from bgpub.errors import InvalidInput
from bgpub.services import importing, moderation, posts, projects, snapshots, taxonomy


@pytest.fixture
def blog(actor, org, project, monkeypatch):
    clock = Clock("2026-12-01 08:00:00")
    monkeypatch.setattr(posts, "now", clock)
    mate = User.create(email="mate@example.com", name="Mate Writer")
    OrganizationMember.create(organization=org, user=mate, role=Role.EDITOR)
    posts.create_post(
        actor,
        "demo",
        "Published one",
        body="# One\n\nÜnïcode ✓",
        excerpt="First",
        category="Trips",
        tags=["bike", "Alps"],
        author="Ellen Marsh",
        status="PUBLISHED",
    )
    clock.move_to("2026-12-02 09:30:15")
    posts.update_post(
        actor, "demo", "published-one", new_slug="one", body="# One, edited"
    )  # alias + updated
    posts.create_post(actor, "demo", "A draft", tags=["bike"], author="mate@example.com")
    posts.create_post(
        actor, "demo", "Later", category="Gear", status="SCHEDULED", publish_at="2026-12-24 09:00"
    )
    posts.create_post(actor, "demo", "Old news", status="PUBLISHED", publish_at="2025-05-05 00:00")
    posts.update_post(actor, "demo", "old-news", status="ARCHIVED")
    taxonomy.add_category(actor, "demo", "Empty category")
    for i, status in enumerate(("PENDING", "APPROVED", "SPAM", "APPROVED")):
        moderation.add_comment(
            actor,
            "demo",
            "one",
            f"Reader {i}",
            f"Comment <b>{i}</b>\nline 2",
            status=status,
            at="2026-12-03 10:00:00",
        )  # the same second: order kept anyway
    moderation.add_comment(
        actor,
        "demo",
        "a-draft",
        "Early",
        "Seen before publishing",
        status="PENDING",
        at="2026-12-02 11:00",
    )
    return project


def tree(root):
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_snapshot_carries_the_whole_blog(actor, blog):
    snap = snapshots.project_snapshot(actor, "demo")
    by_slug = {p.slug: p for p in snap.posts}
    assert {s: p.status for s, p in by_slug.items()} == {
        "one": "PUBLISHED",
        "a-draft": "DRAFT",
        "later": "SCHEDULED",
        "old-news": "ARCHIVED",
    }
    one = by_slug["one"]
    assert (one.date, one.published_at, one.updated_at) == (
        "2026-12-01",
        "2026-12-01T08:00:00Z",
        "2026-12-02T09:30:15Z",
    )
    assert (one.aliases, one.author, one.category, one.tags) == (
        ("published-one",),
        "Ellen Marsh",
        "Trips",
        ("Alps", "bike"),
    )
    assert sorted((c.author, c.status, c.date) for c in one.comments) == [
        (f"Reader {i}", s, "2026-12-03T10:00:00Z")
        for i, s in enumerate(("PENDING", "APPROVED", "SPAM", "APPROVED"))
    ]
    assert by_slug["a-draft"].author == "Mate Writer" and by_slug["a-draft"].published_at == ""
    assert (by_slug["later"].date, by_slug["later"].published_at) == (
        "2026-12-24",
        "2026-12-24T09:00:00Z",
    )
    assert (by_slug["old-news"].date, by_slug["old-news"].published_at) == (
        "2025-05-05",
        "",
    )  # midnight: date only
    assert snap.categories == ("Empty category", "Gear", "Trips")


def test_export_import_export_is_byte_identical(actor, blog, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    snapshots.export_project(actor, "demo", first)
    projects.delete_project(actor, "demo")
    importing.import_project(actor, first)
    snapshots.export_project(actor, "demo", second)
    assert tree(first) == tree(second)
    draft = posts.get_post(actor, "demo", "a-draft")
    assert draft.author_email == "mate@example.com"  # the member is linked again, not only named
    assert BlogComment.select().count() == 5


def _broken(path, change):
    data = json.loads((path / "project.json").read_text())
    change(data)
    (path / "project.json").write_text(json.dumps(data))


def _post(data, slug):
    return next(p for p in data["posts"] if p["slug"] == slug)


BROKEN = [
    (lambda d: _post(d, "one").update(status="LIVE"), r"posts\[0\]: invalid status 'LIVE'"),
    (
        lambda d: _post(d, "one").update(published_at="yesterday"),
        "published_at 'yesterday' is not an ISO 8601",
    ),
    (
        lambda d: _post(d, "one").update(updated_at="2026-12-02 09:30"),
        "updated_at '2026-12-02 09:30' is not",
    ),
    (lambda d: _post(d, "one").update(aliases=["../up"]), r"aliases\[0\]: invalid slug"),
    (
        lambda d: _post(d, "one").update(aliases=["a-draft"]),
        "alias 'a-draft' is the slug of a post",
    ),
    (
        lambda d: _post(d, "later").update(aliases=["published-one"]),
        "is also an alias of post 'one'",
    ),
    (
        lambda d: _post(d, "one")["comments"][0].update(status="HIDDEN"),
        "invalid comment status 'HIDDEN'",
    ),
    (
        lambda d: _post(d, "one")["comments"][0].update(author=""),
        r"comments\[0\]: author is required",
    ),
    (
        lambda d: _post(d, "one")["comments"][0].update(date="soon"),
        "date 'soon' is not an ISO 8601",
    ),
    (lambda d: _post(d, "one")["comments"][0].update(body="x" * 5001), "body is longer than 5000"),
    # an empty date used to pass the checks and then fail the import with a TypeError
    (lambda d: _post(d, "one")["comments"][0].update(date=""), r"comments\[0\]: date is required"),
    (lambda d: d.update(categories=["A", "A"]), r"categories\[1\]: duplicate category 'A'"),
    (lambda d: d.update(categories=[""]), "category is required"),
    (lambda d: _post(d, "one").update(comments=[{"author": "x"}]), "body"),
]


def test_broken_blog_data_is_refused_and_nothing_is_written(actor, blog, tmp_path):
    snapshots.export_project(actor, "demo", tmp_path / "good")
    for n, (change, message) in enumerate(BROKEN):
        folder = tmp_path / f"bad{n}"
        snapshots.export_project(actor, "demo", folder)
        _broken(folder, change)
        before = counts()
        with pytest.raises(InvalidInput, match=message):
            importing.import_project(actor, folder, name="copy")
        assert counts() == before, message
