"""Pages can ask search engines to stay away; page views get a (project, time) index for analytics.

`pages.noindex` is added NOT NULL: existing rows are backfilled with FALSE first (the migrator adds
the column as nullable, updates every row, then sets NOT NULL; on SQLite before 3.53 that last step
rebuilds the table, indexes included). The index serves "views of this project in the last N days".
"""

from peewee import *

VIEW_INDEX = "page_views_project_id_timestamp"


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("pages", "noindex", BooleanField(default=False)),
        migrator.add_index("page_views", ("project_id", "timestamp"), name=VIEW_INDEX),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_index("page_views", VIEW_INDEX),
        migrator.drop_column("pages", "noindex"),
    )
