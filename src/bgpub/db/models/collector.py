"""What `bgpub collect` keeps beside the analytics rows: the daily visitor salt and each project's form key."""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField

from bgpub.db.fields import utcnow
from bgpub.db.models.base import BaseModel
from bgpub.db.models.core import Project


class VisitorSalt(BaseModel):
    """Today's random salt for visitor hashes; yesterday's is deleted, so a hash cannot be linked across
    days nor recomputed from an address afterwards (GoatCounter's and Plausible's scheme)."""

    day = DateField(unique=True)
    salt = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "visitor_salts"


class CollectorKey(BaseModel):
    """A project's HMAC key: signs the stamp built into its forms, which the collector checks."""

    project = ForeignKeyField(Project, backref="collector_keys", on_delete="CASCADE", index=False)
    secret = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "collector_keys"
        indexes = ((("project",), True),)  # one key per project
