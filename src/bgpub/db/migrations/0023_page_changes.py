"""The page change feed: `page_changes`, written by triggers on every update or deletion of a page.

A running preview or editor holding a project's pages needs, before each render, to know which
pages changed. It read every page's key for that (0022): at 100,000 pages, the largest part of a
save. Now the database tells it: each update of a page row, and each deletion, upserts the row
of (project_id, page_id) in `page_changes` with a `serial` that orders the project's changes by commit,
and a reader asks only for the rows past what it last saw. New pages are not recorded (an import of
100,000 pages pays nothing): a reader sees them in the project's page count, and a deletion leaves
its row behind as a tombstone, so a deletion and an insertion together are still seen.

- SQLite has one writer at a time: `serial` is the project's highest plus one, and a reader asks
  for `serial > ` the highest it saw.
- PostgreSQL commits concurrent writers in any order, so a counter taken at write time can be seen
  after a higher one: `serial` is the writing transaction's id (`pg_current_xact_id()`), and a
  reader asks for the ids its last snapshot (`pg_current_snapshot()`) did not see as committed.
  No lock is taken: two members saving different pages never wait on each other.

Only the triggers write the table: on PostgreSQL their function is SECURITY DEFINER and member
logins may only read it (row-level security: members of the project's organization). A deletion
cascaded from the project's own deletion records nothing (the project is gone).
"""

from peewee import *

TABLE = "page_changes"
SQLITE_NOTE = """
    INSERT INTO page_changes (id, project_id, page_id, serial)
    SELECT {row}.project_id || '/' || {row}.id, {row}.project_id, {row}.id,
           (SELECT coalesce(max(serial), 0) + 1 FROM page_changes WHERE project_id = {row}.project_id)
    WHERE {when}
    ON CONFLICT (id) DO UPDATE SET serial = excluded.serial;
"""
SQLITE_TRIGGERS = [
    # an update notes the page in its old project, and in the new one if it moved
    "CREATE TRIGGER pages_changed_update AFTER UPDATE ON pages BEGIN"
    + SQLITE_NOTE.format(row="OLD", when="1")
    + SQLITE_NOTE.format(row="NEW", when="NEW.project_id IS NOT OLD.project_id")
    + "END",
    "CREATE TRIGGER pages_changed_delete AFTER DELETE ON pages BEGIN"
    + SQLITE_NOTE.format(
        row="OLD", when="EXISTS (SELECT 1 FROM projects WHERE id = OLD.project_id)"
    )
    + "END",
]
PG_NOTE = """
    INSERT INTO page_changes (id, project_id, page_id, serial)
    SELECT {row}.project_id || '/' || {row}.id, {row}.project_id, {row}.id, pg_current_xact_id()::text::bigint
    WHERE EXISTS (SELECT 1 FROM projects WHERE id = {row}.project_id)
    ON CONFLICT (id) DO UPDATE SET serial = excluded.serial;
"""
PG_FUNCTION = (
    """
CREATE OR REPLACE FUNCTION bgpub_page_changed() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_catalog AS $$
BEGIN"""
    + PG_NOTE.format(row="OLD")
    + """
    IF TG_OP = 'UPDATE' THEN
        IF NEW.project_id IS DISTINCT FROM OLD.project_id THEN"""
    + PG_NOTE.format(row="NEW")
    + """
        END IF;
    END IF;
    RETURN NULL;
END;
$$
"""
)
PG_TRIGGER = (
    "CREATE TRIGGER pages_changed AFTER UPDATE OR DELETE ON pages "
    "FOR EACH ROW EXECUTE FUNCTION bgpub_page_changed()"
)
READ_POLICY = (
    f"CREATE POLICY bgpub_read ON {TABLE} FOR SELECT "
    "USING (bgpub_may(bgpub_project_org(project_id), current_user, 0))"
)


def _is_pg(db) -> bool:
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)


def frozen_models(db):
    class Project(Model):
        id = CharField(max_length=32, primary_key=True)

        class Meta:
            database = db
            table_name = "projects"

    class PageChange(Model):
        id = CharField(max_length=65, primary_key=True)
        project = ForeignKeyField(Project, on_delete="CASCADE")
        page_id = CharField(max_length=32)
        serial = BigIntegerField()

        class Meta:
            database = db
            table_name = TABLE
            legacy_table_names = False
            indexes = ((("project", "serial"), False),)

    return PageChange


def _member_logins(db):
    rows = db.execute_sql(
        "SELECT u.db_role FROM users u JOIN pg_roles r ON r.rolname = u.db_role ORDER BY u.db_role"
    ).fetchall()
    return [name for (name,) in rows]


def up(migrator, db):
    db.create_tables([frozen_models(db)], safe=False)
    if not _is_pg(db):
        for statement in SQLITE_TRIGGERS:
            db.execute_sql(statement)
        return
    db.execute_sql(PG_FUNCTION)
    db.execute_sql(PG_TRIGGER)
    db.execute_sql(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    db.execute_sql(READ_POLICY)
    for login in _member_logins(db):
        db.execute_sql(f'GRANT SELECT ON {TABLE} TO "{login}"')


def down(migrator, db):
    if _is_pg(db):
        db.execute_sql("DROP TRIGGER IF EXISTS pages_changed ON pages")
        db.execute_sql("DROP FUNCTION IF EXISTS bgpub_page_changed()")
        for login in _member_logins(db):
            db.execute_sql(f'REVOKE ALL ON {TABLE} FROM "{login}"')
    else:
        db.execute_sql("DROP TRIGGER IF EXISTS pages_changed_update")
        db.execute_sql("DROP TRIGGER IF EXISTS pages_changed_delete")
    migrator.migrate(migrator.drop_table(TABLE))
