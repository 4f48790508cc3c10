"""The teams world built once per worker and backend, then put back before each test that asks for it.

`build_world` (members, a published site, a blog, a shop, an export) is the slow part of most teams
tests; putting back what it left costs milliseconds. A test gets exactly what a fresh build left: the
same rows (ids, timestamps, sequences), the same page-view partitions and the same workspace files at
the same path (the default target stores its folder's absolute path, so the teams tests' workspace is
one folder per worker, emptied before each test: see `home` in conftest.py).
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from bgpub.db.connection import database

SYSTEM_SCHEMAS = "('pg_catalog', 'information_schema', 'pg_toast')"


@dataclass
class PostgresRows:
    """Every row of every table (partitioned tables through their parent), the sequences' positions
    and the partitions, read after the build."""

    rows: dict[str, str] = field(default_factory=dict)  # table -> JSON array of its rows
    sequences: dict[str, tuple[int, bool]] = field(default_factory=dict)
    partitions: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (parent, bound)

    @classmethod
    def read(cls) -> PostgresRows:
        image = cls()
        tables = database.execute_sql(
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            f" WHERE c.relkind IN ('r', 'p') AND NOT c.relispartition AND n.nspname NOT IN {SYSTEM_SCHEMAS}"
        ).fetchall()
        for (table,) in tables:
            rows = database.execute_sql(f"SELECT json_agg(t) FROM {table} t").fetchone()[0]
            if rows:
                image.rows[table] = json.dumps(rows)
        sequences = database.execute_sql(
            "SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            f" WHERE c.relkind = 'S' AND n.nspname NOT IN {SYSTEM_SCHEMAS}"
        ).fetchall()
        for (sequence,) in sequences:
            image.sequences[sequence] = database.execute_sql(
                f"SELECT last_value, is_called FROM {sequence}"
            ).fetchone()
        image.partitions = {
            name: (parent, bound)
            for name, parent, bound in database.execute_sql(
                "SELECT c.oid::regclass::text, i.inhparent::regclass::text,"
                " pg_get_expr(c.relpartbound, c.oid)"
                " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
                " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relkind = 'p'"
            ).fetchall()
        }
        return image

    def write(self) -> None:
        """Into the test's database, which holds the template's rows (the worker database was reset)."""
        with database.atomic():
            # no triggers, so neither foreign keys nor the "keep an owner" guards see half a world
            database.execute_sql("SET LOCAL session_replication_role = replica")
            for name, (parent, bound) in self.partitions.items():
                database.execute_sql(
                    f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {parent} {bound}"
                )
            for table, rows in self.rows.items():
                database.execute_sql(f"DELETE FROM {table}")
                database.execute_sql(
                    f"INSERT INTO {table} SELECT * FROM json_populate_recordset(NULL::{table}, %s)",
                    (rows,),
                )
            for sequence, (last_value, is_called) in self.sequences.items():
                database.execute_sql(
                    "SELECT setval(%s::regclass, %s, %s)", (sequence, last_value, is_called)
                )


class WorldImage:
    """What `build_world` left in one backend's database and in the workspace folder."""

    def __init__(self, folder: Path, kind: str):
        self.folder = folder
        self.kind = kind
        self.postgres: PostgresRows | None = None

    def capture(self, sqlite_path: Path | None, home: Path) -> None:
        shutil.copytree(home, self.folder / "home", symlinks=True)
        if self.kind == "sqlite":
            assert sqlite_path is not None
            database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            shutil.copyfile(sqlite_path, self.folder / "world.db")
        else:
            self.postgres = PostgresRows.read()

    def restore(self, sqlite_path: Path | None, home: Path) -> None:
        shutil.copytree(self.folder / "home", home, symlinks=True, dirs_exist_ok=True)
        if self.kind == "sqlite":
            assert sqlite_path is not None
            database.close()
            for suffix in ("-wal", "-shm"):
                Path(f"{sqlite_path}{suffix}").unlink(missing_ok=True)
            shutil.copyfile(self.folder / "world.db", sqlite_path)
            database.connect()
        else:
            assert self.postgres is not None
            self.postgres.write()
