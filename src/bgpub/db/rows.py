"""A select's rows as plain tuples or dicts, typed as such: peewee's stubs give `.tuples()` and
`.dicts()` the query's own type, so iterating them would claim model instances."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from peewee import BaseQuery


def tuple_rows(query: BaseQuery) -> Iterator[tuple[Any, ...]]:
    """Iterates `query.tuples()`: one tuple per row, the selected columns in order."""
    rows: Iterator[tuple[Any, ...]] = iter(query.tuples())
    return rows


def dict_rows(query: BaseQuery) -> Iterator[dict[str, Any]]:
    """Iterates `query.dicts()`: one dict per row, keyed by the selected columns' names."""
    rows: Iterator[dict[str, Any]] = iter(query.dicts())
    return rows
