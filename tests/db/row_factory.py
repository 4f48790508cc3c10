"""Valid rows for any model, parents created as needed: the base of the constraint tests."""

from __future__ import annotations

import itertools
from datetime import datetime

from peewee import (
    BigIntegerField,
    BlobField,
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from bgpub.db.fields import CheckedEnumField, JSONField, TextArrayField, new_id, utcnow

_counter = itertools.count(1)


def _value(field):
    if isinstance(field, ForeignKeyField):
        return make(field.rel_model).id
    if field.primary_key:
        return new_id() if field.max_length <= 32 else ("%064x" % next(_counter))
    if field.default is not None:
        return field.default() if callable(field.default) else field.default
    if field.null:
        return None
    if isinstance(field, CheckedEnumField):
        return next(iter(field.enum_class))
    if isinstance(field, CharField):
        return f"v{next(_counter)}"[-field.max_length :]
    if isinstance(field, (IntegerField, BigIntegerField)):
        return 1
    if isinstance(field, BooleanField):
        return False
    if isinstance(field, DateTimeField):
        return utcnow()
    if isinstance(field, DateField):
        return utcnow().date()
    if isinstance(field, JSONField):
        return {}
    if isinstance(field, TextArrayField):
        return []
    if isinstance(field, BlobField):
        return b"x"
    if isinstance(field, TextField):
        return "text"
    raise TypeError(f"no sample value for {field!r}")


def values(model, **overrides) -> dict:
    """Python values for every column of a new row; foreign keys point at freshly made parents."""
    data = {f.name: _value(f) for f in model._meta.sorted_fields if f.name not in overrides}
    data.update(overrides)
    if "email" in data and isinstance(model._meta.fields["email"], CharField):
        data["email"] = (
            data["email"] if "@" in str(data["email"]) else f"u{next(_counter)}@example.com"
        )
    return data


def make(model, **overrides):
    return model.create(**values(model, **overrides))


def raw_insert(db, model, data: dict) -> None:
    """INSERT with hand-written SQL, bypassing the models' Python-side checks."""
    fields = [model._meta.fields[name] for name in data]
    cols = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([db.param] * len(fields))
    params = [_db_value(f, data[f.name]) for f in fields]
    db.execute_sql(f'INSERT INTO "{model._meta.table_name}" ({cols}) VALUES ({marks})', params)


def _db_value(field, value):
    if isinstance(field, CheckedEnumField):
        return getattr(value, "value", value)  # raw: any string goes through
    if isinstance(value, datetime):
        return value.isoformat(" ")
    return field.db_value(value)
