"""The base model: every table gets a CUID key and lives behind the one database proxy."""

from __future__ import annotations

from typing import Any

from peewee import DateTimeField, Model

from bgpub.db.connection import database
from bgpub.db.fields import CuidField, new_id, utcnow


class BaseModel(Model):
    id = CuidField(primary_key=True, default=new_id)

    class Meta:
        database = database
        legacy_table_names = False


class TimestampedModel(BaseModel):
    """Rows people edit: created_at and an updated_at that save() keeps current."""

    created_at = DateTimeField(default=utcnow)
    updated_at = DateTimeField(default=utcnow)

    def save(self, *args: Any, **kwargs: Any) -> int:
        self.updated_at = utcnow()
        return super().save(*args, **kwargs)
