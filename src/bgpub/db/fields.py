"""Column types shared by both backends: CUID keys, checked enums, JSON and string arrays."""

from __future__ import annotations

import json
import secrets
import string
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from peewee import SQL, CharField, Check, DateTimeField, Field, PostgresqlDatabase
from playhouse.fields import EnumField

_BASE36 = string.digits + string.ascii_lowercase
_ID_LENGTH = 24
_SPACE = 36 ** (_ID_LENGTH - 1)  # the 23 characters after the letter: 118.9 bits


def new_id() -> str:
    """A key in the design document's CUID2 shape (24 characters of a-z0-9, a letter first),
    collision-resistant across machines so two team-mates never mint the same key: 118.9 random
    bits from the OS after the letter.

    Made here rather than with the cuid2 package, whose SHA-3 per key took 44 us against 3 us for
    this; an import of 100,000 pages mints over 100,000 keys (bench/publish_bench.py)."""
    number = secrets.randbelow(_SPACE)
    digits = []
    for _ in range(_ID_LENGTH - 1):
        number, digit = divmod(number, 36)
        digits.append(_BASE36[digit])
    return secrets.choice(string.ascii_lowercase) + "".join(digits)


def utcnow() -> datetime:
    """Naive UTC timestamps: identical on SQLite (text) and PostgreSQL (timestamp without time zone)."""
    return datetime.now(UTC).replace(tzinfo=None)


class CuidField(CharField):
    """A 24-character CUID2 primary or foreign key value."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 32)
        super().__init__(*args, **kwargs)


class CheckedEnumField(EnumField):
    """An enum stored as its value, with a CHECK constraint so raw SQL cannot store anything else."""

    def bind(self, model, name, set_attribute=True):
        super().bind(model, name, set_attribute)
        allowed = ", ".join("'%s'" % m.value for m in self.enum_class)
        self.constraints = [Check('"%s" IN (%s)' % (self.column_name, allowed))]

    if TYPE_CHECKING:  # playhouse has no types: a row's attribute holds the enum member

        def __get__(self, instance: Any, owner: Any) -> Any: ...

        def __set__(self, instance: Any, value: Any) -> None: ...


class JSONField(Field):
    """JSONB on PostgreSQL, JSON text on SQLite; values are plain dicts and lists."""

    field_type = "JSONB"

    def db_value(self, value):
        if value is None:
            return None
        return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)

    def python_value(self, value):
        if value is None or not isinstance(value, (str, bytes)):
            return value  # psycopg2 decodes JSONB itself
        return json.loads(value)


class TextArrayField(Field):
    """TEXT[] on PostgreSQL, a JSON array on SQLite."""

    field_type = "TEXTARRAY"

    def _is_pg(self) -> bool:
        db = self.model._meta.database
        return isinstance(getattr(db, "obj", db), PostgresqlDatabase)

    def db_value(self, value: Any) -> Any:
        if value is None:
            return None
        items = [str(v) for v in value]
        return items if self._is_pg() else json.dumps(items)

    def python_value(self, value: Any) -> Any:
        if value is None:
            return None
        if isinstance(value, list):
            return value
        return json.loads(value)


def created_at_field(**kwargs) -> DateTimeField:
    return DateTimeField(default=utcnow, **kwargs)


__all__ = [
    "SQL",
    "CheckedEnumField",
    "CuidField",
    "JSONField",
    "TextArrayField",
    "created_at_field",
    "new_id",
    "utcnow",
]
