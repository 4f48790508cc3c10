"""A Mermaid erDiagram generated from the models, so the picture of the schema cannot drift."""

from __future__ import annotations

from peewee import Field, ForeignKeyField, Function, ModelIndex

from bgpub.db.fields import CheckedEnumField, JSONField, TextArrayField
from bgpub.db.models import MODELS

# Peewee field_type -> the word shown in the diagram (Mermaid wants one token per type).
TYPE_WORDS = {
    "VARCHAR": "varchar",
    "TEXT": "text",
    "INT": "int",
    "BIGINT": "bigint",
    "BOOL": "bool",
    "DATETIME": "timestamp",
    "BLOB": "bytes",
}


def _type_word(field) -> str:
    if isinstance(field, CheckedEnumField):
        return field.enum_class.__name__
    if isinstance(field, JSONField):
        return "json"
    if isinstance(field, TextArrayField):
        return "text_array"
    if isinstance(field, ForeignKeyField):
        return _type_word(field.rel_field)
    return TYPE_WORDS.get(field.field_type, field.field_type.lower())


def _unique_sets(model) -> list[tuple[str, ...]]:
    """Column sets with a unique index: single fields, Meta.indexes tuples, expression indexes."""
    sets = [(f.column_name,) for f in model._meta.sorted_fields if f.unique]
    for index in model._meta.indexes:
        if isinstance(index, tuple) and index[1]:
            sets.append(tuple(model._meta.fields[name].column_name for name in index[0]))
        elif isinstance(index, ModelIndex) and index._unique:
            sets.append(tuple(f.column_name for f in _fields_in(index._expressions)))
    return sets


def _fields_in(nodes) -> list[Field]:
    found = []
    for node in nodes:
        if isinstance(node, Field):
            found.append(node)
        elif isinstance(node, Function):
            found.extend(_fields_in(node.arguments))
    return found


def _attribute(field, unique_sets: list[tuple[str, ...]]) -> tuple[str, str]:
    """The key markers (PK, FK, UK) and a comment for a column."""
    keys = ["PK"] if field.primary_key else []
    if isinstance(field, ForeignKeyField):
        keys.append("FK")
    notes = []
    for columns in unique_sets:
        if field.column_name in columns and not field.primary_key:
            if len(columns) == 1:
                keys.append("UK")
            else:
                notes.append(
                    "unique with " + ", ".join(c for c in columns if c != field.column_name)
                )
    for index in field.model._meta.indexes:
        if isinstance(index, ModelIndex) and index._unique:
            for node in index._expressions:
                if isinstance(node, Function) and any(
                    f is field for f in _fields_in(node.arguments)
                ):
                    notes.append(f"unique as {node.name}({field.column_name})")
    return ", ".join(dict.fromkeys(keys)), "; ".join(notes)


def _relationship(field: ForeignKeyField) -> str:
    """parent ||--o{ child: a required key is 'exactly one' on the parent side, a nullable one 'zero or one'."""
    parent = field.rel_model._meta.table_name
    child = field.model._meta.table_name
    parent_end = "|o" if field.null else "||"
    child_end = "o|" if field.unique else "o{"
    label = f"{field.column_name} ({field.on_delete or 'NO ACTION'})"
    return f'    {parent} {parent_end}--{child_end} {child} : "{label}"'


def mermaid_erd(models=MODELS, all_columns: bool = False) -> str:
    """Every table with its key columns (all columns with `all_columns`), and every relationship."""
    lines = ["erDiagram"]
    for model in models:
        unique_sets = _unique_sets(model)
        lines.append(f"    {model._meta.table_name} {{")
        for field in model._meta.sorted_fields:
            keys, note = _attribute(field, unique_sets)
            if keys or note or all_columns:
                extra = (f" {keys}" if keys else "") + (f' "{note}"' if note else "")
                lines.append(f"        {_type_word(field)} {field.column_name}{extra}")
        lines.append("    }")
    for model in models:
        for field in model._meta.sorted_fields:
            if isinstance(field, ForeignKeyField):
                lines.append(_relationship(field))
    return "\n".join(lines) + "\n"
