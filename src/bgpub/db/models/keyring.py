"""Fingerprints of the keys that encrypt stored secrets: which keys this database's secrets are under.

Never a key: an HMAC of a fixed label under it (see `bgpub.services.secrets.fingerprint`). A workspace
whose key is not listed here (a team-mate's fresh workspace on the same PostgreSQL database, a lost
key file replaced by a new one) is refused instead of writing secrets nobody else can read.
"""

from __future__ import annotations

from peewee import CharField, DateTimeField

from bgpub.db.fields import utcnow
from bgpub.db.models.base import BaseModel


class SecretKeyFingerprint(BaseModel):
    """One key of the database's lineage: the first key, then one per rotation, each vouched by its predecessor.

    `vouched_by` is unique: the first key ("" there) exists once and a key vouches for one successor,
    so two workspaces racing to register a first key, or to rotate from the same key, cannot fork it.
    """

    fingerprint = CharField(max_length=64, unique=True)
    vouched_by = CharField(max_length=64, unique=True)
    created_at = DateTimeField(default=utcnow)
    retired_at = DateTimeField(null=True)

    class Meta:
        table_name = "secret_key_fingerprints"
