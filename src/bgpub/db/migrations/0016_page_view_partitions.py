"""Page views partitioned by month on PostgreSQL, and rate-limit counts every collector process shares.

- PostgreSQL: `page_views` becomes a table partitioned by range of `timestamp` (declarative
  partitioning), one partition a month in the schema `bgpub_partitions` (so the public schema lists only
  bgpub's tables). Existing rows are copied into partitions covering their months; partitions for this
  month and the next ones are made too, and the collector keeps making them ahead
  (services.page_view_partitions). Retention drops whole partitions. PostgreSQL requires the partition
  key in every unique constraint, so the primary key is (`id`, `timestamp`); ids stay unique (CUIDs).
  Policies, row-level security and privileges granted to member logins are carried over as they were.
- SQLite keeps one `page_views` table.
- `collector_rate_counts` (both): hits per client, project, endpoint and minute (no policy on
  PostgreSQL: only the owner connection, the collector's, sees it).

Down reverses both, keeping every page view.
"""

from datetime import UTC, datetime

from peewee import *

PARTITION_SCHEMA = "bgpub_partitions"
AHEAD = 3  # months after the current one made at once
INDEXES = (
    ("page_views_project_id", '"project_id"'),
    ("page_views_timestamp", '"timestamp"'),
    ("page_views_project_id_timestamp", '"project_id", "timestamp"'),
)


def _is_pg(db) -> bool:
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)


def frozen_models(db):
    class CollectorRateCount(Model):
        id = CharField(max_length=32, primary_key=True)
        key = CharField(max_length=160, unique=True)
        window = IntegerField(index=True)
        hits = IntegerField()

        class Meta:
            database = db
            table_name = "collector_rate_counts"
            legacy_table_names = False

    return CollectorRateCount


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _months(first: datetime, last: datetime):
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        yield year, month
        year, month = _next_month(year, month)


def _make_partition(db, year: int, month: int) -> None:
    upper = _next_month(year, month)
    db.execute_sql(
        f'CREATE TABLE IF NOT EXISTS "{PARTITION_SCHEMA}"."page_views_{year:04d}_{month:02d}" '
        f"PARTITION OF page_views FOR VALUES FROM ('{year:04d}-{month:02d}-01') "
        f"TO ('{upper[0]:04d}-{upper[1]:02d}-01')"
    )


def _saved_access(db):
    """Policies, RLS flags and privileges of `page_views`, to give the new table the same."""
    policies = db.execute_sql(
        "SELECT policyname, permissive, roles, cmd, qual, with_check FROM pg_policies "
        "WHERE schemaname = current_schema() AND tablename = 'page_views'"
    ).fetchall()
    flags = db.execute_sql(
        "SELECT relrowsecurity, relforcerowsecurity FROM pg_class "
        "WHERE oid = 'page_views'::regclass"
    ).fetchone()
    grants = db.execute_sql(
        "SELECT grantee, privilege_type FROM information_schema.role_table_grants "
        "WHERE table_schema = current_schema() AND table_name = 'page_views' "
        "AND grantee <> (SELECT tableowner FROM pg_tables WHERE schemaname = current_schema() "
        "AND tablename = 'page_views')"
    ).fetchall()
    return policies, flags, grants


def _restore_access(db, saved) -> None:
    policies, (rls, force), grants = saved
    if rls:
        db.execute_sql("ALTER TABLE page_views ENABLE ROW LEVEL SECURITY")
    if force:
        db.execute_sql("ALTER TABLE page_views FORCE ROW LEVEL SECURITY")
    for name, permissive, roles, cmd, qual, check in policies:
        roles = roles if isinstance(roles, list) else str(roles).strip("{}").split(",")
        shown = ", ".join("PUBLIC" if r == "public" else f'"{r}"' for r in roles)
        sql = f'CREATE POLICY "{name}" ON page_views AS {permissive} FOR {cmd} TO {shown}'
        if qual:
            sql += f" USING ({qual})"
        if check:
            sql += f" WITH CHECK ({check})"
        db.execute_sql(sql)
    for grantee, privilege in grants:
        who = "PUBLIC" if grantee == "PUBLIC" else f'"{grantee}"'
        db.execute_sql(f"GRANT {privilege} ON page_views TO {who}")


def _finish_table(db, primary_key: str) -> None:
    db.execute_sql(
        f"ALTER TABLE page_views ADD CONSTRAINT page_views_pkey PRIMARY KEY ({primary_key})"
    )
    db.execute_sql(
        "ALTER TABLE page_views ADD CONSTRAINT page_views_project_id_fkey FOREIGN KEY (project_id) "
        "REFERENCES projects (id) ON DELETE CASCADE"
    )
    for name, columns in INDEXES:
        db.execute_sql(f'CREATE INDEX "{name}" ON page_views ({columns})')


def up(migrator, db):
    db.create_tables([frozen_models(db)], safe=False)
    if not _is_pg(db):
        return
    db.execute_sql("ALTER TABLE collector_rate_counts ENABLE ROW LEVEL SECURITY")
    saved = _saved_access(db)
    db.execute_sql(f'CREATE SCHEMA IF NOT EXISTS "{PARTITION_SCHEMA}"')
    db.execute_sql(
        "CREATE TABLE page_views_by_month (LIKE page_views INCLUDING DEFAULTS INCLUDING CONSTRAINTS) "
        'PARTITION BY RANGE ("timestamp")'
    )
    first, last = db.execute_sql(
        'SELECT min("timestamp"), max("timestamp") FROM page_views'
    ).fetchone()
    now = datetime.now(UTC).replace(tzinfo=None)
    first = min(first or now, now)
    year, month = now.year, now.month
    for _ in range(AHEAD):
        year, month = _next_month(year, month)
    last = max(last or now, datetime(year, month, 1))
    db.execute_sql("DROP TABLE IF EXISTS page_views_moved")
    db.execute_sql("ALTER TABLE page_views RENAME TO page_views_moved")
    db.execute_sql("ALTER TABLE page_views_by_month RENAME TO page_views")
    for y, m in _months(first, last):
        _make_partition(db, y, m)
    db.execute_sql("INSERT INTO page_views SELECT * FROM page_views_moved")
    db.execute_sql("DROP TABLE page_views_moved")
    _finish_table(db, 'id, "timestamp"')
    _restore_access(db, saved)


def down(migrator, db):
    if _is_pg(db):
        saved = _saved_access(db)
        db.execute_sql(
            "CREATE TABLE page_views_single (LIKE page_views INCLUDING DEFAULTS INCLUDING CONSTRAINTS)"
        )
        db.execute_sql("INSERT INTO page_views_single SELECT * FROM page_views")
        db.execute_sql("DROP TABLE page_views")
        db.execute_sql(f'DROP SCHEMA IF EXISTS "{PARTITION_SCHEMA}" CASCADE')
        db.execute_sql("ALTER TABLE page_views_single RENAME TO page_views")
        _finish_table(db, "id")
        _restore_access(db, saved)
    migrator.migrate(migrator.drop_table("collector_rate_counts"))
