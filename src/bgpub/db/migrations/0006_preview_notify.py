"""Preview change signal: PostgreSQL sends NOTIFY bgpub_project_changed when a project's revision moves.

Every content-changing service bumps `projects.revision`, so one trigger on that column tells every
listening preview (on this machine or another) which project changed, whoever made the change.
SQLite has no NOTIFY; the preview polls the same counter there, so this migration does nothing on it.
"""

from peewee import PostgresqlDatabase

CHANNEL = "bgpub_project_changed"


def up(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    db.execute_sql(
        """
        CREATE OR REPLACE FUNCTION bgpub_notify_project_changed() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('bgpub_project_changed', NEW.id::text);
            RETURN NULL;
        END;
        $$
        """
    )
    db.execute_sql(
        """
        CREATE TRIGGER projects_revision_notify
        AFTER UPDATE OF revision ON projects
        FOR EACH ROW WHEN (OLD.revision IS DISTINCT FROM NEW.revision)
        EXECUTE FUNCTION bgpub_notify_project_changed()
        """
    )


def down(migrator, db):
    if not isinstance(db, PostgresqlDatabase):
        return
    db.execute_sql("DROP TRIGGER IF EXISTS projects_revision_notify ON projects")
    db.execute_sql("DROP FUNCTION IF EXISTS bgpub_notify_project_changed()")
