"""The page change feed (migration 0023): which pages of a project were written since a serial.

Only database triggers write it, so every writer (a service, another member's session, raw SQL) is
seen. A running preview or editor reads the rows past the last serial it saw instead of every page's
key: at 100,000 pages that read was the largest part of a save.
"""

from __future__ import annotations

from peewee import BigIntegerField, CharField, ForeignKeyField

from bgpub.db.models.base import BaseModel
from bgpub.db.models.core import Project


class PageChange(BaseModel):
    """A page's last change in its project's feed: updated, deleted (a tombstone that stays: its id
    no longer names a page of the project) or moved out of the project. A new page has no row; a
    reader sees it in the project's page count."""

    # "<project_id>/<page_id>": one row per page and project (a page moved to another project has a
    # row in each), under the single key every table has
    id = CharField(max_length=65, primary_key=True)
    project_id: str
    project = ForeignKeyField(Project, backref="page_changes", on_delete="CASCADE")
    page_id = CharField(max_length=32)  # no foreign key: a deleted page's row is the news
    # grows with each change in the project's commit order (SQLite: the project's highest plus one;
    # PostgreSQL: a sequence, taken under a per-project lock held to commit)
    serial = BigIntegerField()

    class Meta:
        table_name = "page_changes"
        indexes = ((("project", "serial"), False),)
