"""One PostgreSQL database per test worker, emptied before each test instead of created and dropped.

A CREATE DATABASE ... TEMPLATE plus a DROP ... WITH (FORCE) per test writes the whole catalog
(megabytes of WAL, fsyncs) and cost 1.5-5 s a test on a busy machine; about half the suite runs on
PostgreSQL. Emptying the tables the last test wrote costs milliseconds. Isolation is kept by checking,
before every test, that nothing but table rows differs from the freshly migrated template:

- rows: every table a test left rows in is emptied (DELETE with triggers off, so foreign keys and the
  "keep an owner" triggers do not get in the way); tables the migrations seeded (today only
  `schema_migrations`) are put back to the template's exact rows when they differ; sequences restart.
- partitions: a partition a test added to a partitioned table (page views of a month the template
  has none for) is dropped, and a template partition a test dropped (retention) is made again with
  its bounds; a new copy of the database for that cost ~3 s a test.
- anything else (a role's grants, a policy, a table or column a test created, a migration run down):
  a fingerprint of the catalog differs from the template's, and the database is replaced by a fresh
  copy of the template, as every test used to get.
- sessions: any connection a test left open (a server thread, a killed subprocess) is terminated first,
  as DROP ... WITH (FORCE) did, so no lock, LISTEN or open transaction reaches the next test.

Autovacuum is off on the worker's tables so that rows inserted after a DELETE still come back from a
scan in insertion order, as in a new database (vacuum would hand earlier pages' free space to new
rows); every `TRUNCATE_EVERY` resets the tables are truncated, which also returns the dead rows' space.
`BGPUB_TEST_DB_PER_TEST=1` brings back one new database per test (to rule this out when hunting a leak).
"""

from __future__ import annotations

import json
import os
import re
import time
import uuid
from collections.abc import Callable

import psycopg2
from psycopg2 import sql

SYSTEM_SCHEMAS = ("pg_catalog", "information_schema", "pg_toast")
TRUNCATE_EVERY = 50

# Everything a test could change in a database besides table rows.
CATALOG_FINGERPRINT = """
SELECT md5(string_agg(x, E'\\n' ORDER BY x)) FROM (
  SELECT format('rel %s %s %s %s %s %s', c.oid::regclass, c.relkind, c.relacl, c.relrowsecurity,
                c.relforcerowsecurity, c.reloptions) AS x
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  UNION ALL
  SELECT format('col %s %s %s %s %s %s', a.attrelid::regclass, a.attname, a.atttypid, a.attnotnull,
                a.attacl, pg_get_expr(d.adbin, d.adrelid))
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
     AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT format('pol %s %s %s %s %s %s', polname, polrelid::regclass, polcmd, polroles,
                pg_get_expr(polqual, polrelid), pg_get_expr(polwithcheck, polrelid)) FROM pg_policy
  UNION ALL
  -- a foreign key's internal triggers are named after their oid: the constraint (below) stands for them
  SELECT format('trg %s %s %s %s', CASE WHEN tgisinternal THEN 'internal' ELSE tgname END,
                tgrelid::regclass, tgenabled, tgfoid) FROM pg_trigger
  UNION ALL
  SELECT format('fn %s %s %s %s %s', p.oid::regprocedure, md5(p.prosrc), p.proacl, p.prosecdef,
                p.proconfig)
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
  UNION ALL
  SELECT format('ns %s %s', nspname, nspacl) FROM pg_namespace
  UNION ALL
  SELECT format('con %s %s %s', conname, conrelid::regclass, pg_get_constraintdef(oid))
    FROM pg_constraint
  UNION ALL
  SELECT format('ext %s %s', extname, extversion) FROM pg_extension
  UNION ALL
  SELECT format('type %s', t.oid::regtype) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  UNION ALL
  SELECT format('db %s %s', d.datacl, s.setconfig) FROM pg_database d
    LEFT JOIN pg_db_role_setting s ON s.setdatabase = d.oid AND s.setrole = 0
   WHERE d.datname = current_database()
) catalog
"""


def owned_name(prefix: str) -> str:
    """A database name carrying this process's id, so a later run can tell it was left behind."""
    return f"{prefix}_p{os.getpid()}_{uuid.uuid4().hex[:8]}"


def drop_abandoned(admin_url: str) -> None:
    """Drops test databases whose process is gone (a run killed before its teardown), on a local server.

    Only names made by `owned_name`, only when their process no longer exists on this machine, and
    never with FORCE: a database someone is connected to stays."""
    if not re.match(r"postgres(ql)?://([^@/]*@)?(127\.0\.0\.1|localhost)[:/]", admin_url):
        return
    conn = _connect(admin_url)
    try:
        cur = conn.cursor()
        cur.execute("SELECT datname FROM pg_database WHERE datname ~ '^bgpub_(w|tpl)_p[0-9]+_'")
        for (name,) in cur.fetchall():
            pid = int(name.split("_p", 1)[1].split("_", 1)[0])
            try:
                os.kill(pid, 0)
                continue  # still running (or the id was reused): leave it
            except ProcessLookupError:
                pass
            except PermissionError:
                continue
            try:
                cur.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
            except psycopg2.Error:  # in use after all
                pass
    finally:
        conn.close()


def _connect(url: str):
    conn = psycopg2.connect(url)
    conn.autocommit = True
    return conn


class WorkerDatabase:
    """This worker's database: a copy of the template, handed to one test at a time."""

    def __init__(self, admin_url: str, template: str, url_for: Callable[[str], str]):
        self._admin_url = admin_url
        self._template = template
        self._url_for = url_for
        self.name = owned_name("bgpub_w")
        self.url = url_for(self.name)
        self._conn = None
        self._resets = 0
        self.replaced = 0  # how many times a test's schema change cost a new copy
        self._create()

    # -- the database itself ------------------------------------------------------------------------
    def _admin(self, statement: sql.Composable) -> None:
        conn = _connect(self._admin_url)
        try:
            conn.cursor().execute(statement)
        finally:
            conn.close()

    def _create(self) -> None:
        self._admin(
            sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(self.name), sql.Identifier(self._template)
            )
        )
        self._connect_here()
        cur = self._conn.cursor()
        cur.execute(
            "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN %s",
            (SYSTEM_SCHEMAS,),
        )
        self._tables = [sql.Identifier(schema, table) for schema, table in cur.fetchall()]
        cur.execute(  # plain tables only: a partitioned parent stores no rows and takes no such option
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE c.relkind = 'r' AND n.nspname NOT IN %s",
            (SYSTEM_SCHEMAS,),
        )
        for schema, name in cur.fetchall():
            table = sql.Identifier(schema, name)
            cur.execute(
                sql.SQL(
                    "ALTER TABLE {} SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)"
                ).format(table)
            )
        # rows the migrations put in (restored when a test changed them)
        self._seeded: dict[int, str] = {}
        for index, table in enumerate(self._tables):
            cur.execute(sql.SQL("SELECT coalesce(json_agg(t), '[]') FROM {} t").format(table))
            rows = cur.fetchone()[0]
            if rows:
                self._seeded[index] = json.dumps(rows)
        cur.execute(
            "SELECT s.oid::regclass::text FROM pg_class s JOIN pg_namespace n ON n.oid = s.relnamespace"
            " WHERE s.relkind = 'S' AND n.nspname NOT IN %s ORDER BY 1",
            (SYSTEM_SCHEMAS,),
        )
        self._sequences = [name for (name,) in cur.fetchall()]
        self._sequence_state = self._read_sequences(cur)
        self._check = sql.SQL(" UNION ALL ").join(
            sql.SQL("SELECT {} WHERE EXISTS (SELECT 1 FROM {})").format(sql.Literal(index), table)
            for index, table in enumerate(self._tables)
            if index not in self._seeded
        )
        self._seeded_digest = {index: self._digest(cur, index) for index in self._seeded}
        self._partitions = self._read_partitions(cur)
        cur.execute(CATALOG_FINGERPRINT)
        self._fingerprint = cur.fetchone()[0]

    def _drop(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._admin(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(self.name))
        )

    def close(self) -> None:
        self._drop()

    # -- between tests ------------------------------------------------------------------------------
    def _digest(self, cur, index: int) -> str:
        cur.execute(
            sql.SQL(
                "SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM {} t"
            ).format(self._tables[index])
        )
        return cur.fetchone()[0]

    def _read_sequences(self, cur) -> list[tuple]:
        if not self._sequences:
            return []
        cur.execute(
            sql.SQL(" UNION ALL ").join(
                sql.SQL("SELECT last_value, is_called FROM {}").format(sql.SQL(name))
                for name in self._sequences
            )
        )
        return cur.fetchall()

    def _connect_here(self) -> None:
        self._conn = _connect(self.url)
        # a lock nobody releases makes the reset fail, and the database is replaced instead
        self._conn.cursor().execute("SET lock_timeout = '20s'")

    def fresh(self) -> str:
        """Returns the URL of this worker's database, exactly as the template left it."""
        try:
            self._conn.cursor().execute("SELECT 1")
        except psycopg2.Error:  # a test terminated every session on its database, this one too
            self._conn.close()
            self._connect_here()
        cur = self._conn.cursor()
        # sessions the last test left (threads, servers, killed subprocesses) end before anything else
        if not self._end_other_sessions(cur):  # a session that will not end: start anew
            self.replaced += 1
            self._drop()
            self._create()
            return self.url
        cur.execute(CATALOG_FINGERPRINT)
        if cur.fetchone()[0] != self._fingerprint and not self._restore_partitions(cur):
            self.replaced += 1
            self._drop()
            self._create()
            return self.url
        self._resets += 1
        try:
            if self._resets % TRUNCATE_EVERY == 0:
                self._truncate(cur)
            else:
                self._empty(cur)
        except psycopg2.Error:  # a lock left behind, a foreign key TRUNCATE refuses: start anew
            self.replaced += 1
            self._drop()
            self._create()
        return self.url

    @staticmethod
    def _end_other_sessions(cur) -> bool:
        """Terminates every other session on this database and waits until they are gone.

        `pg_terminate_backend(pid, timeout)` would wait too, but it looks in 100 ms steps, so every
        test that left a connection open paid 100-200 ms here (a third of a short PostgreSQL test).
        The sessions end in a millisecond or two; this looks every 2 ms, for at most 10 s (False
        then: the caller replaces the database, whose DROP ... WITH (FORCE) ends them)."""
        cur.execute(
            "SELECT array_agg(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        pids = cur.fetchone()[0]
        if not pids:
            return True
        cur.execute("SELECT pg_terminate_backend(pid) FROM unnest(%s::int[]) AS pid", (pids,))
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            cur.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = ANY(%s)", (pids,))
            if cur.fetchone()[0] == 0:
                return True
            time.sleep(0.002)
        return False

    @staticmethod
    def _read_partitions(cur) -> dict[str, tuple[str, str]]:
        """Every partition of a partitioned table: its name -> (parent, bound clause)."""
        cur.execute(
            "SELECT c.oid::regclass::text, i.inhparent::regclass::text,"
            " pg_get_expr(c.relpartbound, c.oid)"
            " FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid"
            " JOIN pg_class p ON p.oid = i.inhparent WHERE p.relkind = 'p'"
        )
        return {name: (parent, bound) for name, parent, bound in cur.fetchall()}

    def _restore_partitions(self, cur) -> bool:
        """Puts the template's partitions back (dropping added ones, making dropped ones again);
        True when the catalog is then the template's, so emptying the rows is enough."""
        now = self._read_partitions(cur)
        added = [name for name in now if name not in self._partitions]
        gone = [name for name in self._partitions if name not in now]
        if not added and not gone:
            return False
        statements: list[sql.Composable] = [
            sql.SQL("DROP TABLE {}").format(sql.SQL(name)) for name in added
        ]
        for name in gone:
            parent, bound = self._partitions[name]
            statements.append(
                sql.SQL("CREATE TABLE {} PARTITION OF {} {}").format(
                    sql.SQL(name), sql.SQL(parent), sql.SQL(bound)
                )
            )
            statements.append(
                sql.SQL(
                    "ALTER TABLE {} SET (autovacuum_enabled = false, toast.autovacuum_enabled = false)"
                ).format(sql.SQL(name))
            )
        try:
            self._run(cur, statements)
        except psycopg2.Error:
            return False
        cur.execute(CATALOG_FINGERPRINT)
        return cur.fetchone()[0] == self._fingerprint

    def _empty(self, cur) -> None:
        cur.execute(self._check)
        dirty = [self._tables[index] for (index,) in cur.fetchall()]
        changed_seeds = [
            index
            for index in self._seeded
            if self._digest(cur, index) != self._seeded_digest[index]
        ]
        statements = [sql.SQL("SET LOCAL session_replication_role = replica")]
        statements += [sql.SQL("DELETE FROM {}").format(table) for table in dirty]
        for index in changed_seeds:
            table = self._tables[index]
            statements.append(sql.SQL("DELETE FROM {}").format(table))
            statements.append(
                sql.SQL(
                    "INSERT INTO {t} SELECT * FROM json_populate_recordset(NULL::{t}, {rows})"
                ).format(t=table, rows=sql.Literal(self._seeded[index]))
            )
        self._run(cur, statements)
        self._restart_sequences(cur)

    def _truncate(self, cur) -> None:
        emptied = [table for index, table in enumerate(self._tables) if index not in self._seeded]
        statements = [sql.SQL("TRUNCATE {}").format(sql.SQL(", ").join(emptied))] if emptied else []
        self._run(cur, statements)
        self._empty(cur)  # the seeded tables, and any table TRUNCATE's rules left

    def _run(self, cur, statements: list[sql.Composable]) -> None:
        if not statements:
            return
        cur.execute("BEGIN")
        try:
            for statement in statements:
                cur.execute(statement)
        except BaseException:
            cur.execute("ROLLBACK")
            raise
        cur.execute("COMMIT")

    def _restart_sequences(self, cur) -> None:
        if not self._sequences or self._read_sequences(cur) == self._sequence_state:
            return
        for name, (last_value, is_called) in zip(
            self._sequences, self._sequence_state, strict=True
        ):
            cur.execute("SELECT setval(%s::regclass, %s, %s)", (name, last_value, is_called))
