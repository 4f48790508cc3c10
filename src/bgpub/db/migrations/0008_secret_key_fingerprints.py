"""`secret_key_fingerprints`: which keys the stored secrets are under, so no workspace forks the key.

A fingerprint is an HMAC of a fixed label under a key, never the key. The first secret written
records its key's fingerprint; `bgpub secrets rotate` adds the new key's (vouched by a known key)
and retires the old ones. Existing databases start with no row: the first workspace that writes a
secret with a key that decrypts every stored secret registers it.

On PostgreSQL the table gets row-level security like the others: every member's login reads it (a
team-mate's workspace must be able to tell its key is unknown), an ADMIN of some organization may
register a first key, nobody but the owner connection retires or deletes one. Logins granted before
this migration get the same table privileges as on the other tables.
"""

from peewee import *

TABLE = "secret_key_fingerprints"

POLICIES = [
    f"CREATE POLICY bgpub_read ON {TABLE} FOR SELECT USING (true)",
    f"CREATE POLICY bgpub_insert ON {TABLE} FOR INSERT WITH CHECK (bgpub_best_rank(current_user) >= 2)",
]


def frozen_model(db):
    class SecretKeyFingerprint(Model):
        id = CharField(max_length=32, primary_key=True)
        fingerprint = CharField(max_length=64, unique=True)
        vouched_by = CharField(max_length=64, unique=True)
        created_at = DateTimeField()
        retired_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = TABLE
            legacy_table_names = False

    return SecretKeyFingerprint


def _member_logins(db) -> list[str]:
    rows = db.execute_sql(
        "SELECT u.db_role FROM users u JOIN pg_roles r ON r.rolname = u.db_role ORDER BY u.db_role"
    ).fetchall()
    return [name for (name,) in rows]


def up(migrator, db):
    db.create_tables([frozen_model(db)], safe=False)
    if not isinstance(db, PostgresqlDatabase):
        return
    db.execute_sql(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    for statement in POLICIES:
        db.execute_sql(statement)
    for login in _member_logins(db):
        db.execute_sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON {TABLE} TO "{login}"')


def down(migrator, db):
    if isinstance(db, PostgresqlDatabase):
        for login in _member_logins(db):
            db.execute_sql(f'REVOKE ALL ON {TABLE} FROM "{login}"')
    migrator.migrate(migrator.drop_table(TABLE))
