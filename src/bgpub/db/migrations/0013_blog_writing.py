"""Writing posts in bgpub: a post keeps its earlier slugs and the time of its last edit after publishing.

- `blog_posts.aliases`: the slugs a post had before (TEXT[] on PostgreSQL, a JSON array on SQLite),
  each rendered as a redirect to the post's URL; existing rows get an empty list.
- `blog_posts.edited_at` (null): the last content edit after the post was published (the "updated"
  date readers and feeds see); null means never edited since publishing.
"""

from peewee import *


def _is_pg(db) -> bool:
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)


def _text_array(db):
    pg = _is_pg(db)

    class TextArrayColumn(Field):
        def ddl_datatype(self, ctx):  # literal: immune to the database's field_types mapping
            return SQL("TEXT[]" if pg else "JSON")

    return TextArrayColumn


def up(migrator, db):
    # Added nullable, filled with an empty array literal, then made NOT NULL (an empty Python list
    # would be sent as "()" to PostgreSQL).
    empty = "'{}'" if _is_pg(db) else "'[]'"
    migrator.migrate(
        migrator.add_column("blog_posts", "aliases", _text_array(db)(null=True)),
        migrator.sql(f"UPDATE blog_posts SET aliases = {empty}"),
        migrator.add_not_null("blog_posts", "aliases"),
        migrator.add_column("blog_posts", "edited_at", DateTimeField(null=True)),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("blog_posts", "edited_at"),
        migrator.drop_column("blog_posts", "aliases"),
    )
