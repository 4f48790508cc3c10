"""Encoded image outputs (renditions, icons, share cards) of an organization, by job key."""

from __future__ import annotations

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField

from bgpub.db.fields import utcnow
from bgpub.db.models.base import BaseModel
from bgpub.db.models.core import Organization


class ImageRendition(BaseModel):
    """One encoded image: `key` names the job (source hash, size, format, quality, encoder); the bytes
    are the blob `blob` in the content-addressed store, kept once however many versions use them."""

    organization_id: str
    organization = ForeignKeyField(
        Organization, backref="image_renditions", on_delete="CASCADE", index=True
    )
    key = CharField(max_length=64)
    blob = CharField(max_length=64)
    size = IntegerField()
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "image_renditions"
        indexes = ((("organization", "key"), True),)
