"""Pages' order index covers the columns that tell a running process which pages changed.

A preview or editor holding a project's pages checks, before each render, every page's id, revision,
updated_at and home flag in the site's order (`services.snapshots`). Ordered by (position, slug) and
filtered by project, that read went to the table, whose rows carry the blocks: at 100,000 pages it
cost more than the render of the one edited page. The index on (project_id, position) becomes one on
(project_id, position, slug, id, revision, updated_at, is_home): the same order, with what the check
reads, so it is answered from the index alone. Every query the old index served, the new one serves
(its leading columns are the old ones), so the old one is dropped.
"""

from peewee import *

OLD = ("project_id", "position")
OLD_NAME = "pages_project_id_position"
NEW = ("project_id", "position", "slug", "id", "revision", "updated_at", "is_home")
NEW_NAME = "pages_project_id_position_slug_id_revision_updated_at_is_home"


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("pages", NEW, name=NEW_NAME),
        migrator.drop_index("pages", OLD_NAME),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.add_index("pages", OLD, name=OLD_NAME),
        migrator.drop_index("pages", NEW_NAME),
    )
