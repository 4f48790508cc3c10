"""A page's own share image: `pages.social_image` (an asset name, '' for none).

A page with a social image shows a 1200x630 crop of it as its `og:image`; without one it keeps the
site's `seo_image` card or its drawn card, as before. Existing rows get ''.
"""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("pages", "social_image", CharField(max_length=200, default=""))
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column("pages", "social_image"))
