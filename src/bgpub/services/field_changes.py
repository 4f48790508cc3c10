"""Partial updates: the `update_*` services take every field as a keyword defaulting to `UNCHANGED`,
then write only the fields that were given and really differ from the row (one audit row naming them)."""

from __future__ import annotations

from typing import Any

from peewee import Model

UNCHANGED: Any = object()  # the default of an update's fields: leave that field as it is


def given_fields(**fields: Any) -> dict[str, Any]:
    """The fields a caller gave, in the order named (every one not left at `UNCHANGED`)."""
    return {name: value for name, value in fields.items() if value is not UNCHANGED}


def differing(row: Model, changes: dict[str, Any]) -> list[str]:
    """The names of the `changes` the row does not already hold, sorted (as the audit row lists them)."""
    return sorted(name for name, value in changes.items() if getattr(row, name) != value)


def write_changes(row: Model, changes: dict[str, Any], changed: list[str]) -> None:
    """Sets the `changed` fields and saves the row (inside the caller's transaction)."""
    for name in changed:
        setattr(row, name, changes[name])
    row.save()
