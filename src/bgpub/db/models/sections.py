"""Shared sections: blocks defined once per project and shown on many pages (migration 0021)."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, IntegerField

from bgpub.db.fields import JSONField
from bgpub.db.models.base import TimestampedModel
from bgpub.db.models.core import Project, User


class SharedSection(TimestampedModel):
    """A section by name: `header` and `footer` are the site-wide regions every page shows unless it
    opts out; any other name is placed on pages by a `section` block (a reference, never a copy)."""

    project_id: str
    project = ForeignKeyField(Project, backref="shared_sections", on_delete="CASCADE", index=True)
    name = CharField(max_length=63)
    blocks = JSONField(default=list)  # [{"component": key, "props": {...}}, ...] as on a page
    revision = IntegerField(default=1)  # optimistic concurrency, as a page's
    updated_by_id: str | None
    updated_by = ForeignKeyField(
        User, backref="edited_sections", null=True, on_delete="SET NULL", index=True
    )

    class Meta:
        table_name = "shared_sections"
        indexes = ((("project", "name"), True),)
