"""Deploy anywhere: `s3` and `rclone` target kinds, the commit a deployment pushed, a version's base URL.

- `deploy_targets.kind` accepts `s3` and `rclone` (the CHECK is replaced: on PostgreSQL dropped and
  added by name; on SQLite the column is redefined, which rebuilds the table with its indexes).
- `deployments.remote_ref` (null): what a deployment left on its target that the next one must find
  there (a git target's pushed commit: the next push leases against it).
- `versions.base_url` ('' for existing rows): the public URL the version was rendered for, so a
  promotion to a target with another URL can say so.
"""

from peewee import *

OLD_KINDS = ("dir", "git", "rsync")
NEW_KINDS = ("dir", "git", "rsync", "s3", "rclone")


def _kind_field(kinds):
    """The column as CheckedEnumField declares it: VARCHAR(16) NOT NULL CHECK ("kind" IN (...))."""
    return CharField(
        max_length=16, constraints=[Check('"kind" IN (%s)' % ", ".join("'%s'" % k for k in kinds))]
    )


def _replace_kind_check(migrator, db, kinds):
    if isinstance(db, PostgresqlDatabase):
        names = [
            row[0]
            for row in db.execute_sql(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'deploy_targets'::regclass AND contype = 'c' "
                "AND position('kind' in pg_get_constraintdef(oid)) > 0"
            ).fetchall()
        ]
        for name in names:
            db.execute_sql(f'ALTER TABLE deploy_targets DROP CONSTRAINT "{name}"')
        values = ", ".join("'%s'" % k for k in kinds)
        db.execute_sql(
            f"ALTER TABLE deploy_targets ADD CONSTRAINT deploy_targets_kind_check "
            f'CHECK ("kind" IN ({values}))'
        )
    else:
        migrator.migrate(migrator.alter_column_type("deploy_targets", "kind", _kind_field(kinds)))


def up(migrator, db):
    _replace_kind_check(migrator, db, NEW_KINDS)
    migrator.migrate(
        migrator.add_column("deployments", "remote_ref", CharField(max_length=64, null=True)),
        migrator.add_column("versions", "base_url", CharField(max_length=2000, default="")),
    )


def down(migrator, db):
    in_use = db.execute_sql(
        "SELECT count(*) FROM deploy_targets WHERE kind NOT IN ('dir', 'git', 'rsync')"
    )
    if in_use.fetchone()[0]:
        raise ValueError(
            "s3 or rclone targets exist; remove them ('bgpub target remove') before reverting"
        )
    migrator.migrate(
        migrator.drop_column("versions", "base_url"),
        migrator.drop_column("deployments", "remote_ref"),
    )
    _replace_kind_check(migrator, db, OLD_KINDS)
