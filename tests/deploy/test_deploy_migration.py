"""Migration 0011 on both backends: the new target kinds, `deployments.remote_ref` and `versions.base_url`
go in and out again with every existing row kept."""

from __future__ import annotations

import pytest
from peewee import IntegrityError
from tests.db.conftest import blank_database  # noqa: F401  (the fixture: empty databases of each kind)
from tests.db.schema_catalogue import describe

from bgpub.db import schema
from bgpub.db.connection import connect_url
from bgpub.errors import DatabaseUnavailable

BEFORE = "0010_webhook_hardening"
MINE = "0011_deploy_targets"
NOW = "2026-01-01 00:00:00"


def _frozen_0001(db):
    module = next(m for m in schema.runner(db).migrations() if m.name == "0001_initial").load()
    return {m.__name__: m for m in module.frozen_models(db)}


def _rows(db):
    return (
        db.execute_sql("SELECT id, kind, name FROM deploy_targets ORDER BY id").fetchall(),
        db.execute_sql("SELECT id, number FROM versions ORDER BY id").fetchall(),
        db.execute_sql("SELECT id, target_id, status FROM deployments ORDER BY id").fetchall(),
    )


def test_0011_up_down_up_keeps_targets_versions_and_deployments(blank_database):  # noqa: F811
    db = connect_url(blank_database())
    schema.migrate(db, "0001_initial")
    m = _frozen_0001(db)
    stamp = {"created_at": NOW, "updated_at": NOW}
    m["Organization"].create(
        id="org1",
        name="Acme",
        slug="acme",
        tier="FREE",
        subscription_status="ACTIVE",
        is_personal=False,
        **stamp,
    )
    m["Project"].create(
        id="prj1",
        organization="org1",
        name="site",
        title="Site",
        description="",
        language="en",
        theme="aurora",
        theme_overrides={},
        settings={},
        status="DRAFT",
        revision=1,
        **stamp,
    )
    m["DeployTarget"].create(
        id="dt1",
        project="prj1",
        name="pages",
        kind="git",
        config={"repo": "/srv/x.git"},
        created_at=NOW,
        updated_at=NOW,
    )
    m["Version"].create(
        id="v1",
        project="prj1",
        number=1,
        message="",
        snapshot={},
        manifest={},
        page_count=0,
        file_count=0,
        total_bytes=0,
        created_at=NOW,
    )
    m["Deployment"].create(
        id="d1",
        project="prj1",
        version="v1",
        target="dt1",
        target_name="pages",
        status="SUCCEEDED",
        started_at=NOW,
        files_sent=0,
        bytes_sent=0,
        is_rollback=False,
    )
    schema.migrate(db, BEFORE)
    before, rows = describe(db), _rows(db)

    assert schema.migrate(db, MINE) == [MINE]
    assert _rows(db) == rows
    assert db.execute_sql("SELECT base_url FROM versions").fetchall() == [("",)]
    assert db.execute_sql("SELECT remote_ref FROM deployments").fetchall() == [(None,)]
    insert = (
        "INSERT INTO deploy_targets (id, created_at, updated_at, project_id, name, kind, config) "
        "VALUES (%s, %s, %s, 'prj1', %s, %s, '{}')" % ((db.param,) * 5)
    )
    db.execute_sql(insert, ["dt2", NOW, NOW, "cdn", "s3"])
    with (
        pytest.raises(IntegrityError),
        db.atomic(),
    ):  # the CHECK still refuses a kind nobody registered
        db.execute_sql(insert, ["dt3", NOW, NOW, "ftp", "ftp"])
    at_0011 = describe(db)

    with pytest.raises(DatabaseUnavailable, match="s3 or rclone targets exist"):
        schema.rollback(db, 1)
    assert describe(db) == at_0011  # nothing changed
    db.execute_sql("DELETE FROM deploy_targets WHERE id = 'dt2'")
    assert schema.rollback(db, 1) == [MINE]
    assert describe(db) == before and _rows(db) == rows

    schema.migrate(db, MINE)
    assert describe(db) == at_0011 and _rows(db) == rows
    db.close()
