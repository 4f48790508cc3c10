"""Migration 0013 (blog_posts.aliases, edited_at): existing posts get an empty alias list and no edit
time; down and up again keep the posts, on both databases."""

from __future__ import annotations

from bgpub.db import schema
from bgpub.services import posts

NAME = "0013_blog_writing"


def _columns(db) -> set[str]:
    return {c.name for c in db.get_columns("blog_posts")}


def test_0013_down_and_up_keeps_the_posts(db, actor, project):
    posts.create_post(actor, "demo", "Hello", body="Hi", status="PUBLISHED")
    posts.update_post(actor, "demo", "hello", new_slug="hi", body="Edited")
    later = [name for name in schema.applied(db) if name > NAME]
    assert schema.rollback(db, len(later) + 1)[-1] == NAME  # any later migration first
    assert {"aliases", "edited_at"}.isdisjoint(_columns(db))
    assert db.execute_sql("SELECT slug, body FROM blog_posts").fetchall() == [("hi", "Edited")]

    assert schema.migrate(db, NAME) == [NAME]
    view = posts.get_post(actor, "demo", "hi")
    assert (view.aliases, view.edited_at, view.body) == (
        (),
        None,
        "Edited",
    )  # existing rows: empty, none
    posts.update_post(actor, "demo", "hi", new_slug="again")
    assert posts.get_post(actor, "demo", "again").aliases == ("hi",)
    schema.migrate(db)
