"""Blog posts keep their byline as text: `blog_posts.author_name`.

An imported post's author ("Ellen Marsh" in the blog starter) is rarely a user of the importing
organization; the link to a user (`author_id`) then stays empty and the name used to be lost. The
snapshot reads `author_name`, falling back to the linked user's name. Existing rows get ''.
"""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("blog_posts", "author_name", CharField(max_length=200, default=""))
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column("blog_posts", "author_name"))
