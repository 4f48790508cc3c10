"""Page templates: a page's blocks and SEO description saved under a name, to start new pages from.

- `page_templates`: per organization (like saved components, so every project of a team can use a
  template saved in one of them), a template by name, its blocks as JSON (the shape of a page's), the
  title and SEO description a new page starts with, and where it was saved from.

On PostgreSQL the table gets row-level security like `components`: members read, an EDITOR writes.
"""

import json

from peewee import *

TABLE = "page_templates"
ORG = "organization_id"
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

    class Organization(Base):
        class Meta:
            table_name = "organizations"

    class PageTemplate(Base):
        created_at = DateTimeField()
        updated_at = DateTimeField()
        organization = ForeignKeyField(Organization, on_delete="CASCADE", index=True)
        created_by = ForeignKeyField(User, null=True, on_delete="SET NULL", index=True)
        name = CharField(max_length=63)
        description = TextField()
        title = CharField(max_length=200)
        seo_description = TextField()
        blocks = JSONColumn()
        source = CharField(max_length=300)

        class Meta:
            table_name = TABLE
            indexes = ((("organization", "name"), True),)

    return PageTemplate


def _member_logins(db):
    rows = db.execute_sql(
        "SELECT u.db_role FROM users u JOIN pg_roles r ON r.rolname = u.db_role ORDER BY u.db_role"
    ).fetchall()
    return [name for (name,) in rows]


def up(migrator, db):
    db.create_tables([frozen_models(db)], safe=False)
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
    migrator.migrate(migrator.drop_table(TABLE))
