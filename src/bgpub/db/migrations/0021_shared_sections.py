"""Shared sections: a project's site header, site footer and named reusable sections, defined once.

- `shared_sections`: per project, a section by name (`header` and `footer` are the site-wide regions,
  other names are sections a page places with a `section` block), its blocks as JSON (the same shape
  as a page's) and an optimistic revision.
- `pages.show_header`, `pages.show_footer` (default true): a page shows the site header and footer
  unless it opts out.

On PostgreSQL the table gets row-level security like `pages`: members read, an EDITOR writes.
"""

import json

from peewee import *

TABLE = "shared_sections"
ORG = "bgpub_project_org(project_id)"
POLICIES = [
    f"CREATE POLICY bgpub_read ON {TABLE} FOR SELECT USING (bgpub_may({ORG}, current_user, 0))",
    f"CREATE POLICY bgpub_insert ON {TABLE} FOR INSERT WITH CHECK (bgpub_may_write({ORG}, current_user, 1))",
    f"CREATE POLICY bgpub_update ON {TABLE} FOR UPDATE USING (bgpub_may_write({ORG}, current_user, 1)) "
    f"WITH CHECK (bgpub_may_write({ORG}, current_user, 1))",
    f"CREATE POLICY bgpub_delete ON {TABLE} FOR DELETE USING (bgpub_may_write({ORG}, current_user, 1))",
]


def _is_pg(db) -> bool:
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)


def frozen_models(db):
    pg = _is_pg(db)

    class JSONColumn(Field):
        def ddl_datatype(self, ctx):  # literal: immune to the database's field_types mapping
            return SQL("JSONB" if pg else "JSON")

        def db_value(self, value):
            return (
                None if value is None else json.dumps(value, sort_keys=True, separators=(",", ":"))
            )

    class Base(Model):
        id = CharField(max_length=32, primary_key=True)

        class Meta:
            database = db
            legacy_table_names = False

    class User(Base):
        class Meta:
            table_name = "users"

    class Project(Base):
        class Meta:
            table_name = "projects"

    class SharedSection(Base):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        project = ForeignKeyField(Project, on_delete="CASCADE", index=True)
        name = CharField(max_length=63)
        blocks = JSONColumn()
        revision = IntegerField()
        updated_by = ForeignKeyField(User, null=True, on_delete="SET NULL", index=True)

        class Meta:
            table_name = TABLE
            indexes = ((("project", "name"), True),)

    return SharedSection


def _member_logins(db):
    rows = db.execute_sql(
        "SELECT u.db_role FROM users u JOIN pg_roles r ON r.rolname = u.db_role ORDER BY u.db_role"
    ).fetchall()
    return [name for (name,) in rows]


def up(migrator, db):
    db.create_tables([frozen_models(db)], safe=False)
    migrator.migrate(
        migrator.add_column("pages", "show_header", BooleanField(default=True)),
        migrator.add_column("pages", "show_footer", BooleanField(default=True)),
    )
    if not _is_pg(db):
        return
    db.execute_sql(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    for statement in POLICIES:
        db.execute_sql(statement)
    for login in _member_logins(db):
        db.execute_sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON {TABLE} TO "{login}"')


def down(migrator, db):
    if _is_pg(db):
        for login in _member_logins(db):
            db.execute_sql(f'REVOKE ALL ON {TABLE} FROM "{login}"')
    migrator.migrate(
        migrator.drop_column("pages", "show_footer"),
        migrator.drop_column("pages", "show_header"),
        migrator.drop_table(TABLE),
    )
