"""A page's canonical address: `pages.canonical_url` (an absolute http(s) address, '' for none).

A page that copies one published elsewhere names the original, and its `<link rel="canonical">`
and `og:url` point there instead of at itself. Existing rows get '' (their own address, as before).
"""

from peewee import *


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("pages", "canonical_url", CharField(max_length=2000, default=""))
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column("pages", "canonical_url"))
