"""Responsive images: a focal point per asset, and the cache of encoded renditions.

- `assets.focus_x`, `assets.focus_y` (null): where crops of the image centre, 0..1 from the left and
  the top; null means the middle.
- `image_renditions`: an organization's encoded image outputs (renditions, icons, share cards) by job
  key (sha256 of the source's hash, width, height, format, quality and encoder), naming the blob
  that holds the bytes, so a rebuild or a republish never encodes the same image twice.

On PostgreSQL the table gets row-level security: members of the organization read its renditions
and an EDITOR may add one (scoped per organization, so nobody can plant an image under another
organization's key). Logins granted before this migration get the privileges.
"""

from peewee import *

TABLE = "image_renditions"

POLICIES = [
    f"CREATE POLICY bgpub_read ON {TABLE} FOR SELECT USING (bgpub_may(organization_id, current_user, 0))",
    f"CREATE POLICY bgpub_insert ON {TABLE} FOR INSERT "
    "WITH CHECK (bgpub_may_write(organization_id, current_user, 1))",
]


def frozen_models(db):
    class Organization(Model):
        id = CharField(max_length=32, primary_key=True)

        class Meta:
            database = db
            table_name = "organizations"
            legacy_table_names = False

    class ImageRendition(Model):
        id = CharField(max_length=32, primary_key=True)
        organization = ForeignKeyField(Organization, on_delete="CASCADE", index=True)
        key = CharField(max_length=64)
        blob = CharField(max_length=64)
        size = IntegerField()
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = TABLE
            legacy_table_names = False
            indexes = ((("organization", "key"), True),)

    return Organization, ImageRendition


def _member_logins(db):
    rows = db.execute_sql(
        "SELECT u.db_role FROM users u JOIN pg_roles r ON r.rolname = u.db_role ORDER BY u.db_role"
    ).fetchall()
    return [name for (name,) in rows]


def up(migrator, db):
    _, rendition = frozen_models(db)
    db.create_tables([rendition], safe=False)
    migrator.migrate(
        migrator.add_column("assets", "focus_x", FloatField(null=True)),
        migrator.add_column("assets", "focus_y", FloatField(null=True)),
    )
    if not isinstance(db, PostgresqlDatabase):
        return
    db.execute_sql(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    for statement in POLICIES:
        db.execute_sql(statement)
    for login in _member_logins(db):
        db.execute_sql(f'GRANT SELECT, INSERT ON {TABLE} TO "{login}"')


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        for login in _member_logins(db):
            db.execute_sql(f'REVOKE ALL ON {TABLE} FROM "{login}"')
    migrator.migrate(
        migrator.drop_column("assets", "focus_y"),
        migrator.drop_column("assets", "focus_x"),
        migrator.drop_table(TABLE),
    )
