"""A comparable description of a live schema: columns, foreign keys, indexes and CHECK constraints.

playhouse.schema_diff compares only column names and plain indexes; this reads what it leaves out
(types, nullability, defaults, deletion rules, expression indexes, CHECKs) from the catalogue.
"""

from __future__ import annotations

import re

from peewee import PostgresqlDatabase

IGNORED_TABLES = {"schema_migrations"}


def describe(db) -> dict[str, dict]:
    """{table: {"columns", "foreign_keys", "indexes", "checks"}} for every table but the history."""
    db = getattr(db, "obj", None) or db
    reader = _postgres if isinstance(db, PostgresqlDatabase) else _sqlite
    return {t: reader(db, t) for t in sorted(db.get_tables()) if t not in IGNORED_TABLES}


def _squash(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).replace("IF NOT EXISTS ", "").strip()


def _checks_in(create_sql: str) -> list[str]:
    """Every CHECK (...) clause of a SQLite CREATE TABLE, parentheses balanced."""
    found = []
    for match in re.finditer(r"\bCHECK\s*\(", create_sql, re.I):
        depth, start = 0, match.end() - 1
        for pos in range(start, len(create_sql)):
            depth += {"(": 1, ")": -1}.get(create_sql[pos], 0)
            if depth == 0:
                found.append(_squash(create_sql[start + 1 : pos]))
                break
    return sorted(found)


def _sqlite(db, table: str) -> dict:
    q = db.execute_sql
    columns = {
        name: (ctype.upper(), bool(notnull), default, bool(pk))
        for _, name, ctype, notnull, default, pk in q(f'PRAGMA table_info("{table}")')
    }
    fks = {
        (row[3], row[2], row[4], row[6].upper()) for row in q(f'PRAGMA foreign_key_list("{table}")')
    }
    indexes = set()
    for _, name, unique, origin, _partial in q(f'PRAGMA index_list("{table}")'):
        if origin == "pk":
            continue
        cols = tuple(r[2] for r in q(f'PRAGMA index_info("{name}")'))
        if None in cols:  # an expression index: compare its definition
            (sql,) = q("SELECT sql FROM sqlite_master WHERE name = ?", (name,)).fetchone()
            cols = (_squash(sql.split(" ON ", 1)[1]),)
        indexes.add((name, cols, bool(unique)))
    (create,) = q(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return {
        "columns": columns,
        "foreign_keys": fks,
        "indexes": indexes,
        "checks": _checks_in(create),
    }


def _postgres(db, table: str) -> dict:
    q = db.execute_sql
    columns = {
        name: (f"{udt}({length})" if length else udt, nullable == "NO", default, False)
        for name, udt, length, nullable, default in q(
            "SELECT column_name, udt_name, character_maximum_length, is_nullable, column_default "
            "FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = %s",
            (table,),
        )
    }
    # a partitioned table's primary key must hold its partition key (page_views: id, timestamp; 0016)
    partition_keys = {
        name
        for (name,) in q(
            "SELECT a.attname FROM pg_partitioned_table p JOIN pg_attribute a ON a.attrelid = p.partrelid "
            "AND a.attnum = ANY(p.partattrs) WHERE p.partrelid = %s::regclass",
            (f'"{table}"',),
        )
    }
    for (name,) in q(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
        "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
        (f'"{table}"',),
    ):
        if name not in partition_keys:
            columns[name] = columns[name][:3] + (True,)
    constraints = q(
        "SELECT contype, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype IN ('c', 'f')",
        (f'"{table}"',),
    ).fetchall()
    indexes = {
        (name, (_squash(defn.split(" USING ", 1)[1]),), defn.startswith("CREATE UNIQUE"))
        for name, defn in q(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "AND tablename = %s AND indexname NOT LIKE %s",
            (table, "%\\_pkey"),
        )
    }
    return {
        "columns": columns,
        "foreign_keys": {d for kind, d in constraints if kind == "f"},
        "indexes": indexes,
        "checks": sorted(d for kind, d in constraints if kind == "c"),
    }
