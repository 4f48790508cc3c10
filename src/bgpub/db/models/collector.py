"""What `bgpub collect` keeps beside the analytics rows: the daily visitor salt, each project's form key, and
the rate-limit counts every collector process shares."""

from __future__ import annotations

from peewee import CharField, DateField, DateTimeField, ForeignKeyField, IntegerField

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

    project_id: str
    project = ForeignKeyField(Project, backref="collector_keys", on_delete="CASCADE", index=False)
    secret = CharField(max_length=64)
    created_at = DateTimeField(default=utcnow)

    class Meta:
        table_name = "collector_keys"
        indexes = ((("project",), True),)  # one key per project


class CollectorRateCount(BaseModel):
    """Hits of one client on one project's endpoint in one minute, shared by every collector process
    (per-process counts would let a flood through once per process). `key` is the scope, a keyed hash
    of the client's address (the day's salt: never the address itself) and the minute; rows of past
    minutes are deleted as the collector goes."""

    key = CharField(max_length=160, unique=True)
    window = IntegerField(index=True)  # minutes since the epoch
    hits = IntegerField(default=0)

    class Meta:
        table_name = "collector_rate_counts"
