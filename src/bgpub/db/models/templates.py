"""Page templates: a page's blocks saved under a name, to start new pages from (migration 0019)."""

from __future__ import annotations

from peewee import CharField, ForeignKeyField, TextField

from bgpub.db.fields import JSONField
from bgpub.db.models.base import TimestampedModel
from bgpub.db.models.core import Organization, User


class PageTemplate(TimestampedModel):
    """A template belongs to an organization, like a saved component, so a layout saved in one of a
    team's sites starts pages in all of them (Webflow's shared Libraries, Publii's theme templates)."""

    organization_id: str
    organization = ForeignKeyField(
        Organization, backref="page_templates", on_delete="CASCADE", index=True
    )
    created_by_id: str | None
    created_by = ForeignKeyField(
        User, backref="saved_page_templates", null=True, on_delete="SET NULL", index=True
    )
    name = CharField(max_length=63)  # unique per organization, [a-z0-9-]
    description = TextField(default="")
    title = CharField(max_length=200)  # the title a new page starts with
    seo_description = TextField(default="")
    blocks = JSONField(default=list)  # [{"component": key, "props": {...}}, ...] as on a page
    source = CharField(max_length=300, default="")  # "project/page" it was saved from

    class Meta:
        table_name = "page_templates"
        indexes = ((("organization", "name"), True),)
