"""Posts, categories, tags and comment moderation through the services, on both databases."""

from __future__ import annotations

import pytest
from blog_support import Clock, counts, post_rows

from bgpub.db.enums import Role
from bgpub.db.models import AuditLog, OrganizationMember, User
from bgpub.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from bgpub.services import moderation, posts, taxonomy


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(posts, "now", clock)
    return clock


def test_create_derives_a_unique_slug_and_keeps_fields(actor, project, clock):
    first = posts.create_post(
        actor,
        "demo",
        "Crème brûlée!",
        body="# Hi",
        excerpt="Short",
        category="Food",
        tags=["sweet", "French", "sweet"],
        author="Guest Writer",
    )
    second = posts.create_post(actor, "demo", "Crème Brûlée")
    assert (first.slug, second.slug) == ("creme-brulee", "creme-brulee-2")
    assert (first.status, first.published_at, first.author, first.author_email) == (
        "DRAFT",
        None,
        "Guest Writer",
        "",
    )
    assert (first.category, first.tags, first.body, first.excerpt) == (
        "Food",
        ("French", "sweet"),
        "# Hi",
        "Short",
    )
    assert (
        second.author == actor.name and second.author_email == actor.email
    )  # the writer by default
    assert [c.name for c in taxonomy.list_categories(actor, "demo")] == ["Food"]
    assert AuditLog.select().where(AuditLog.action == "post.create").count() == 2


def test_author_by_email_must_be_a_member(actor, org, project):
    mate = User.create(email="mate@example.com", name="Mate")
    with pytest.raises(
        InvalidInput, match="author 'mate@example.com' is not a member of organization"
    ):
        posts.create_post(actor, "demo", "A", author="mate@example.com")
    OrganizationMember.create(organization=org, user=mate, role=Role.EDITOR)
    view = posts.create_post(actor, "demo", "A", author="MATE@example.com")
    assert (view.author, view.author_email) == ("Mate", "mate@example.com")


def test_slug_change_keeps_the_old_slug_as_alias(actor, project, clock):
    posts.create_post(actor, "demo", "First", status="PUBLISHED")
    posts.create_post(actor, "demo", "Other")
    view = posts.update_post(actor, "demo", "first", new_slug="renamed")
    view = posts.update_post(actor, "demo", "renamed", new_slug="again")
    assert (view.slug, view.aliases) == ("again", ("first", "renamed"))
    view = posts.update_post(
        actor, "demo", "again", new_slug="first"
    )  # back: no longer an alias of itself
    assert (view.slug, view.aliases) == ("first", ("renamed", "again"))
    with pytest.raises(Conflict, match="a post with slug 'other' already exists"):
        posts.update_post(actor, "demo", "first", new_slug="other")
    with pytest.raises(
        Conflict, match="slug 'again' is an earlier slug of post 'first' and redirects to it"
    ):
        posts.update_post(actor, "demo", "other", new_slug="again")
    with pytest.raises(Conflict, match="slug 'renamed' is an earlier slug of post 'first'"):
        posts.create_post(actor, "demo", "Whatever", slug="renamed")
    assert (
        posts.create_post(actor, "demo", "Renamed").slug == "renamed-2"
    )  # derived slugs avoid aliases too


def test_status_changes_and_times(actor, project, clock):
    posts.create_post(actor, "demo", "Post", body="v1")
    view = posts.publish_post(actor, "demo", "post")
    assert (view.status, view.published_at, view.edited_at) == ("PUBLISHED", clock.value, None)
    clock.move_to("2026-12-02 10:00:00")
    view = posts.update_post(actor, "demo", "post", body="v2")
    assert (
        view.edited_at == clock.value and view.published_at.day == 1
    )  # updated = last edit after publishing
    view = posts.unpublish_post(actor, "demo", "post")
    assert view.status == "DRAFT"
    view = posts.schedule_post(actor, "demo", "post", "2026-12-24 09:00")
    assert (view.status, str(view.published_at)) == ("SCHEDULED", "2026-12-24 09:00:00")
    view = posts.schedule_post(actor, "demo", "post", "2026-12-24T10:00:00+02:00")
    assert str(view.published_at) == "2026-12-24 08:00:00"  # offsets become UTC


BAD_INPUT = [
    (lambda a: posts.schedule_post(a, "demo", "post", "2026-11-30 09:00"), "is not in the future"),
    (lambda a: posts.schedule_post(a, "demo", "post", "next tuesday"), "is not a date and time"),
    (
        lambda a: posts.update_post(a, "demo", "post", status="SCHEDULED"),
        "a scheduled post needs a publish time",
    ),
    (
        lambda a: posts.publish_post(a, "demo", "post", at="2027-01-01 00:00"),
        "is in the future; schedule",
    ),
    (
        lambda a: posts.update_post(a, "demo", "post", status="LIVE"),
        "invalid status 'LIVE': expected one of",
    ),
    (lambda a: posts.update_post(a, "demo", "post", title="  "), "title is required"),
    (lambda a: posts.update_post(a, "demo", "post", title="x" * 201), "title is longer than 200"),
    (lambda a: posts.update_post(a, "demo", "post", title="a\u202eb"), "RIGHT-TO-LEFT OVERRIDE"),
    (lambda a: posts.update_post(a, "demo", "post", new_slug="../x"), "invalid slug"),
    (lambda a: posts.update_post(a, "demo", "post", new_slug="blog"), "reserved"),
    (lambda a: posts.update_post(a, "demo", "post", body="a\x00b"), "NUL"),
    (lambda a: posts.update_post(a, "demo", "post", tags=["ok", ""]), "tag is required"),
    (
        lambda a: posts.update_post(a, "demo", "post", category="c" * 101),
        "category is longer than 100",
    ),
    (
        lambda a: posts.update_post(a, "demo", "post", cover="nope.png"),
        "cover 'nope.png' is not an asset",
    ),
    (lambda a: posts.update_post(a, "demo", "post", author="bad@@x"), "invalid author"),
    (
        lambda a: posts.create_post(a, "demo", "Post", slug="post"),
        "a post with slug 'post' already exists",
    ),
    (lambda a: posts.get_post(a, "demo", "missing"), "no post 'missing'"),
]


def test_bad_input_is_one_error_and_writes_nothing(actor, project, clock):
    """Every case on one database (a corpus, not one example): the error names the field, no row changes."""
    posts.create_post(actor, "demo", "Post", tags=["t"], category="c")
    before, rows = counts(), post_rows()
    for call, message in BAD_INPUT:
        with pytest.raises((InvalidInput, Conflict, NotFound), match=message):
            call(actor)
        assert counts() == before and post_rows() == rows, message


def test_unchanged_save_writes_nothing(actor, project, clock):
    posts.create_post(actor, "demo", "Post", body="b", tags=["x"], category="c", status="PUBLISHED")
    taxonomy.rename_category(actor, "demo", "c", "Category C")
    taxonomy.rename_tag(actor, "demo", "x", "Tag X")
    before, rows = counts(), post_rows()
    posts.update_post(
        actor, "demo", "post", title="Post", body="b", tags=["Tag X"], category="Category C"
    )
    posts.update_post(
        actor, "demo", "post", tags=["tag-x"], category="category-c"
    )  # by slug: the same
    assert counts() == before and post_rows() == rows


def test_list_filters(actor, project, clock):
    posts.create_post(actor, "demo", "Alpha", tags=["a"], category="One", body="needle here")
    clock.move_to("2026-12-01 08:05:00")  # Beta is published after Alpha was drafted
    posts.create_post(actor, "demo", "Beta", tags=["a", "b"], status="PUBLISHED")
    posts.create_post(actor, "demo", "Gamma", status="SCHEDULED", publish_at="2026-12-24 09:00")
    slugs = lambda **kw: [p.slug for p in posts.list_posts(actor, "demo", **kw)]  # noqa: E731
    assert slugs() == ["gamma", "beta", "alpha"]
    assert slugs(status="published") == ["beta"]
    assert slugs(tag="a") == ["beta", "alpha"] and slugs(tag="b") == ["beta"]
    assert slugs(category="One") == ["alpha"] and slugs(search="NEEDLE") == ["alpha"]
    with pytest.raises(InvalidInput, match="invalid status 'nope'"):
        slugs(status="nope")


def test_categories_and_tags(actor, project, clock):
    posts.create_post(actor, "demo", "A", tags=["Python", "py"], category="Code")
    posts.create_post(actor, "demo", "B", tags=["py"], category="Code")
    assert taxonomy.add_category(actor, "demo", "Empty").posts == 0
    with pytest.raises(Conflict, match="a category named 'code' already exists"):
        taxonomy.add_category(actor, "demo", "code")
    assert taxonomy.rename_category(actor, "demo", "Code", "Programming").slug == "programming"
    assert [(c.name, c.posts) for c in taxonomy.list_categories(actor, "demo")] == [
        ("Empty", 0),
        ("Programming", 2),
    ]
    assert taxonomy.remove_category(actor, "demo", "programming") == 2
    assert posts.get_post(actor, "demo", "a").category == ""
    with pytest.raises(Conflict, match="use 'tag merge'"):
        taxonomy.rename_tag(actor, "demo", "py", "python")
    merged = taxonomy.merge_tags(actor, "demo", "py", "Python")
    assert (merged.name, merged.posts) == ("Python", 2)
    assert [(t.name, t.posts) for t in taxonomy.list_tags(actor, "demo")] == [("Python", 2)]
    assert posts.get_post(actor, "demo", "b").tags == ("Python",)
    with pytest.raises(NotFound, match=r"no tag 'gone' \(known: Python\)"):
        taxonomy.merge_tags(actor, "demo", "gone", "Python")


def test_comment_moderation(actor, project, clock):
    posts.create_post(actor, "demo", "Post", status="PUBLISHED")
    one = moderation.add_comment(actor, "demo", "post", "Ann", "First!", at="2026-12-01 09:00")
    two = moderation.add_comment(actor, "demo", "post", "Bob", "Buy pills", at="2026-12-01 10:00")
    assert [c.id for c in moderation.list_comments(actor, "demo", "pending")] == [two.id, one.id]
    assert moderation.approve_comment(actor, "demo", one.id).status == "APPROVED"
    assert moderation.mark_spam(actor, "demo", two.id).status == "SPAM"
    assert [c.author_name for c in moderation.list_comments(actor, "demo", "APPROVED")] == ["Ann"]
    moderation.remove_comment(actor, "demo", two.id)
    assert [c.id for c in moderation.list_comments(actor, "demo")] == [one.id]
    before = counts()
    for bad, message in (
        (lambda: moderation.approve_comment(actor, "demo", "nope"), "no comment 'nope'"),
        (lambda: moderation.list_comments(actor, "demo", "hidden"), "invalid comment status"),
        (lambda: moderation.add_comment(actor, "demo", "post", "", "x"), "author is required"),
        (lambda: moderation.add_comment(actor, "demo", "nope", "A", "x"), "no post 'nope'"),
    ):
        with pytest.raises((InvalidInput, NotFound), match=message):
            bad()
    assert counts() == before


def test_viewer_reads_but_cannot_write(actor, org, project, clock):
    posts.create_post(actor, "demo", "Post", tags=["t"], category="c")
    viewer = User.create(email="viewer@example.com", name="V")
    OrganizationMember.create(organization=org, user=viewer, role=Role.VIEWER)
    assert [p.slug for p in posts.list_posts(viewer, "demo")] == ["post"]
    before = counts()
    for write in (
        lambda: posts.create_post(viewer, "demo", "X"),
        lambda: posts.publish_post(viewer, "demo", "post"),
        lambda: posts.remove_post(viewer, "demo", "post"),
        lambda: taxonomy.add_category(viewer, "demo", "Z"),
        lambda: taxonomy.merge_tags(viewer, "demo", "t", "t"),
        lambda: moderation.add_comment(viewer, "demo", "post", "A", "b"),
    ):
        with pytest.raises(
            PermissionDenied, match="needs the EDITOR role; viewer@example.com is VIEWER"
        ):
            write()
    assert counts() == before
