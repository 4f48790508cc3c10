"""`bgpub collect`: visitor salts, per-project form keys, and the columns the collector fills.

- `visitor_salts`: one random salt per UTC day; the collector deletes older ones, so yesterday's visitor
  hashes can no longer be recomputed from an address.
- `collector_keys`: a project's HMAC key, signing the stamp built into its published forms.
- `page_views.utm_source` and `page_views.device` (null); `page_views.session_id` keeps the day's visitor
  hash and `referrer` the referring host only (no address, no user agent is stored).
- `form_submissions.handled_at` (null): a person marked the submission handled.
- `api_keys.project_id` (null, CASCADE): a key restricted to one project.

On PostgreSQL both new tables get row-level security: members of a project's organization read its
form key (a member's build signs its forms) and an EDITOR may create it; salts have no policy at all,
so only the owner connection (the collector's) sees them. Logins granted before get the privileges.
"""

from peewee import *

KEYS_POLICIES = [
    "CREATE POLICY bgpub_read ON collector_keys FOR SELECT "
    "USING (bgpub_may(bgpub_project_org(project_id), current_user, 0))",
    "CREATE POLICY bgpub_insert ON collector_keys FOR INSERT "
    "WITH CHECK (bgpub_may_write(bgpub_project_org(project_id), current_user, 1))",
]


def frozen_models(db):
    class Project(Model):
        id = CharField(max_length=32, primary_key=True)

        class Meta:
            database = db
            table_name = "projects"
            legacy_table_names = False

    class VisitorSalt(Model):
        id = CharField(max_length=32, primary_key=True)
        day = DateField(unique=True)
        salt = CharField(max_length=64)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "visitor_salts"
            legacy_table_names = False

    class CollectorKey(Model):
        id = CharField(max_length=32, primary_key=True)
        project = ForeignKeyField(Project, on_delete="CASCADE", index=False)
        secret = CharField(max_length=64)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "collector_keys"
            legacy_table_names = False
            indexes = ((("project",), True),)

    return Project, VisitorSalt, CollectorKey


def _member_logins(db):
    rows = db.execute_sql(
        "SELECT u.db_role FROM users u JOIN pg_roles r ON r.rolname = u.db_role ORDER BY u.db_role"
    ).fetchall()
    return [name for (name,) in rows]


def up(migrator, db):
    project, salt, key = frozen_models(db)
    db.create_tables([salt, key], safe=False)
    migrator.migrate(
        migrator.add_column("page_views", "utm_source", CharField(max_length=100, null=True)),
        migrator.add_column("page_views", "device", CharField(max_length=16, null=True)),
        migrator.add_column("form_submissions", "handled_at", DateTimeField(null=True)),
        migrator.add_column(
            "api_keys",
            "project_id",
            ForeignKeyField(project, null=True, on_delete="CASCADE", field=project.id),
        ),
    )
    if not isinstance(db, PostgresqlDatabase):
        return
    db.execute_sql("ALTER TABLE visitor_salts ENABLE ROW LEVEL SECURITY")
    db.execute_sql("ALTER TABLE collector_keys ENABLE ROW LEVEL SECURITY")
    for statement in KEYS_POLICIES:
        db.execute_sql(statement)
    for login in _member_logins(db):
        db.execute_sql(f'GRANT SELECT, INSERT ON collector_keys TO "{login}"')


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        for login in _member_logins(db):
            db.execute_sql(f'REVOKE ALL ON collector_keys FROM "{login}"')
    migrator.migrate(
        # SQLite rebuilds the table on drop_column and refuses while an index names the column
        migrator.drop_index("api_keys", "api_keys_project_id"),
        migrator.drop_column("api_keys", "project_id"),
        migrator.drop_column("form_submissions", "handled_at"),
        migrator.drop_column("page_views", "device"),
        migrator.drop_column("page_views", "utm_source"),
        migrator.drop_table("collector_keys"),
        migrator.drop_table("visitor_salts"),
    )
