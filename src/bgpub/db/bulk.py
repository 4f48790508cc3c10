"""Many new rows in few statements, for imports: each row's values converted by its model's fields,
then one parameterised INSERT run over all of them (`executemany` on SQLite, `execute_values` on
PostgreSQL).

Peewee's `insert_many` builds an expression tree per value and renders it to SQL for every batch:
2.3 s of CPU of a 9-second import of 20,000 pages (bench/publish_bench.py), more than the database
spent storing them. The values still go through each field's `db_value` (JSON, enums, foreign keys,
dates), so what lands is what `insert_many` would have written."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from peewee import Model
from peewee import __exception_wrapper__ as driver_errors_as_peewees

from bgpub.db.connection import database, is_postgres

PAGE = 500  # rows per PostgreSQL statement; SQLite's executemany reuses one prepared statement


def insert_rows(model: type[Model], rows: Sequence[dict[str, Any]]) -> None:
    """Inserts `rows` (dicts keyed by field names, all with the same keys) in the current transaction."""
    if not rows:
        return
    given = list(rows[0])
    if any(row.keys() != rows[0].keys() for row in rows):
        raise ValueError(f"insert_rows({model.__name__}): every row must name the same fields")
    # fields a row leaves out get their model default, per row, as insert_many gives them
    defaulted = [
        f for f in model._meta.sorted_fields if f.name not in rows[0] and f.default is not None
    ]
    fields = [model._meta.fields[name] for name in given] + defaulted
    columns = ", ".join(f'"{field.column_name}"' for field in fields)
    table = f'"{model._meta.table_name}"'
    converters = [model._meta.fields[name].db_value for name in given]

    def default(field: Any) -> Any:
        return field.default() if callable(field.default) else field.default

    values = [
        tuple(convert(row[name]) for convert, name in zip(converters, given, strict=True))
        + tuple(field.db_value(default(field)) for field in defaulted)
        for row in rows
    ]
    cursor = database.cursor()
    with driver_errors_as_peewees:  # IntegrityError etc. as insert_many raises them
        if is_postgres():
            from psycopg2.extras import execute_values

            statement = f"INSERT INTO {table} ({columns}) VALUES %s"
            execute_values(cursor, statement, values, page_size=PAGE)
        else:
            marks = ", ".join("?" for _ in fields)
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", values)
