"""Migrations: each atomic (a failure changes nothing), reversible, and upgrades keep the data."""

from __future__ import annotations

import textwrap

import pytest
from peewee import SqliteDatabase
from schema_catalogue import describe

from bgpub.db import schema
from bgpub.db.connection import connect_url
from bgpub.errors import DatabaseUnavailable

NOTES = """
from peewee import *

def up(migrator, db):
    class Note(Model):
        body = TextField()
        class Meta:
            database = db
            table_name = "notes"
    db.create_tables([Note], safe=False)
    db.execute_sql("INSERT INTO notes (body) VALUES ('kept')")

def down(migrator, db):
    migrator.migrate(migrator.drop_table("notes"))
"""

BROKEN_UP = """
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_column("notes", "flag", BooleanField(default=True)))
    db.execute_sql("CREATE TABLE extra (x INTEGER)")
    db.execute_sql("UPDATE notes SET body = 'changed'")
    db.execute_sql("SELECT * FROM no_such_table")

def down(migrator, db):
    pass
"""

BROKEN_DOWN = """
from peewee import *

def up(migrator, db):
    migrator.migrate(migrator.add_column("notes", "flag", BooleanField(default=True)))

def down(migrator, db):
    migrator.migrate(migrator.drop_column("notes", "flag"))
    db.execute_sql("DELETE FROM notes")
    raise RuntimeError("boom")
"""

ORPHAN = """
from peewee import *

def up(migrator, db):
    db.execute_sql("CREATE TABLE child (id INTEGER PRIMARY KEY, note_id INTEGER NOT NULL REFERENCES notes (id))")
    db.execute_sql("INSERT INTO child (note_id) VALUES (999)")
"""


def _folder(tmp_path, **files):
    folder = tmp_path / "migrations"
    folder.mkdir()
    for name, body in files.items():
        (folder / f"{name}.py").write_text(textwrap.dedent(body))
    return folder


def _state(db):
    return describe(db), db.execute_sql("SELECT id, body FROM notes ORDER BY id").fetchall()


def test_a_failing_migration_leaves_the_database_as_it_was(blank_database, tmp_path):
    folder = _folder(tmp_path, **{"0001_notes": NOTES, "0002_broken": BROKEN_UP})
    db = connect_url(blank_database())
    assert schema.migrate(db, "0001_notes", directory=folder) == ["0001_notes"]
    before = _state(db)
    with pytest.raises(DatabaseUnavailable, match="0002_broken.*nothing was changed"):
        schema.migrate(db, directory=folder)
    assert _state(db) == before
    assert "extra" not in db.get_tables()
    assert schema.pending(db, directory=folder) == ["0002_broken"]
    if isinstance(db, SqliteDatabase):
        assert db.pragma("foreign_keys") == 1
    db.close()


def test_a_failing_rollback_leaves_the_migration_applied(blank_database, tmp_path):
    folder = _folder(tmp_path, **{"0001_notes": NOTES, "0002_flag": BROKEN_DOWN})
    db = connect_url(blank_database())
    schema.migrate(db, directory=folder)
    before = _state(db)
    with pytest.raises(DatabaseUnavailable, match="0002_flag.*reverting failed.*boom"):
        schema.rollback(db, 1, directory=folder)
    assert _state(db) == before
    assert list(schema.applied(db, directory=folder)) == ["0001_notes", "0002_flag"]
    db.close()


def test_sqlite_migrations_cannot_leave_orphans(tmp_path):
    """SQLite runs migrations with foreign keys off; the runner checks them before committing."""
    folder = _folder(tmp_path, **{"0001_notes": NOTES, "0002_orphan": ORPHAN})
    db = connect_url(f"sqlite:///{tmp_path / 'orphan.db'}")
    schema.migrate(db, "0001_notes", directory=folder)
    with pytest.raises(DatabaseUnavailable, match="0002_orphan.*foreign key"):
        schema.migrate(db, directory=folder)
    assert "child" not in db.get_tables()
    db.close()


def _frozen_0001(db):
    module = next(m for m in schema.runner(db).migrations() if m.name == "0001_initial").load()
    return {m.__name__: m for m in module.frozen_models(db)}


def _seed_0001(db):
    """Rows written against the 0001 schema with 0001's own frozen models."""
    m = _frozen_0001(db)
    now = "2026-01-01 00:00:00"
    stamp = {"created_at": now, "updated_at": now}
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
        revision=3,
        **stamp,
    )
    for n, slug in enumerate(["home", "about", "contact"]):
        m["Page"].create(
            id=f"pg{n}",
            project="prj1",
            slug=slug,
            title=slug.title(),
            seo_title="",
            seo_description="",
            position=n,
            show_in_nav=True,
            is_home=n == 0,
            blocks=[{"component": "hero", "props": {"heading": slug}}],
            revision=1,
            **stamp,
        )
    for n in range(5):
        m["PageView"].create(id=f"pv{n}", project="prj1", path="/", timestamp=now)


def _pages(db):
    return db.execute_sql(
        "SELECT id, slug, title, position, blocks FROM pages ORDER BY id"
    ).fetchall()


def test_0002_up_down_up_keeps_the_data(blank_database):
    db = connect_url(blank_database())
    schema.migrate(db, "0001_initial")
    _seed_0001(db)
    at_0001, pages = describe(db), _pages(db)

    assert schema.migrate(db, "0002_page_noindex_and_view_index") == [
        "0002_page_noindex_and_view_index"
    ]
    assert _pages(db) == pages
    assert [r[0] for r in db.execute_sql("SELECT noindex FROM pages")] == [False] * 3
    db.execute_sql("UPDATE pages SET noindex = %s WHERE slug = 'about'" % db.param, [True])
    at_0002 = describe(db)
    assert "noindex" in at_0002["pages"]["columns"]
    assert any(i[0] == "page_views_project_id_timestamp" for i in at_0002["page_views"]["indexes"])

    assert schema.rollback(db, 1) == ["0002_page_noindex_and_view_index"]
    assert describe(db) == at_0001
    assert _pages(db) == pages
    assert db.execute_sql("SELECT count(*) FROM page_views").fetchone()[0] == 5

    schema.migrate(db, "0002_page_noindex_and_view_index")
    assert describe(db) == at_0002
    assert _pages(db) == pages
    assert [r[0] for r in db.execute_sql("SELECT noindex FROM pages")] == [
        False
    ] * 3  # dropped by down()

    schema.migrate(db)
    assert schema.pending(db) == []
    assert _pages(db) == pages
    db.close()


def test_rollback_of_nothing_and_bad_steps(blank_database):
    db = connect_url(blank_database())
    assert schema.rollback(db, 3) == []
    with pytest.raises(Exception, match="1 or more"):
        schema.rollback(db, 0)
    with pytest.raises(Exception, match="unknown migration"):
        schema.migrate(db, "9999_nope")
    db.close()


def test_a_database_newer_than_this_bgpub(blank_database):
    """A migration applied by a newer bgpub shows up in status, is not pending, and blocks rollback."""
    db = connect_url(blank_database())
    schema.migrate(db)
    history = schema.runner(db).History
    history.create(name="0099_from_the_future", applied=history.applied.default())
    rows = {m.name: m for m in schema.status(db)}
    assert rows["0099_from_the_future"].path is None and rows["0099_from_the_future"].applied
    assert schema.pending(db) == []
    with pytest.raises(Exception, match="0099_from_the_future.*missing"):
        schema.rollback(db, 1)
    db.close()


def test_an_up_to_date_database_is_not_touched_by_migrate(db, monkeypatch):
    """Nothing pending: no history table is created (a member's login may not create tables)."""
    from peewee import Model

    def refuse(*args, **kwargs):
        raise AssertionError("create_table called with nothing pending")

    monkeypatch.setattr(Model, "create_table", classmethod(refuse))
    assert schema.pending(db) == []
    assert schema.migrate(db) == []


def test_migrating_without_schema_rights_names_the_owner(fresh_pg_database):
    """A login that may not create tables gets one readable error, and nothing is applied."""
    import uuid

    from peewee import PostgresqlDatabase

    owner = connect_url(fresh_pg_database)
    login = f"bgpub_t_{uuid.uuid4().hex[:10]}"
    owner.execute_sql(f'CREATE ROLE "{login}" LOGIN')
    owner.execute_sql("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
    try:
        limited = PostgresqlDatabase(
            owner.database,
            user=login,
            host=owner.connect_params.get("host"),
            port=owner.connect_params.get("port"),
        )
        with pytest.raises(DatabaseUnavailable, match="owner") as caught:
            schema.migrate(limited)
        assert "permission denied" in str(caught.value)
        limited.close()
        assert schema.is_empty(owner)  # not even the history table was created
    finally:
        owner.execute_sql(f'DROP ROLE "{login}"')
        owner.close()


def test_0007_blog_author_name_up_down_up_keeps_the_posts(blank_database):
    db = connect_url(blank_database())
    schema.migrate(db, "0001_initial")
    _seed_0001(db)
    _frozen_0001(db)["BlogPost"].create(
        id="bp1",
        project="prj1",
        title="Hello",
        slug="hello",
        excerpt="",
        body="Hi",
        keywords=[],
        status="PUBLISHED",
        created_at="2026-01-01 00:00:00",
        updated_at="2026-01-01 00:00:00",
    )
    schema.migrate(db, "0006_preview_notify")
    before = describe(db)
    posts = db.execute_sql("SELECT id, title, body FROM blog_posts").fetchall()

    assert schema.migrate(db, "0007_blog_author_name") == ["0007_blog_author_name"]
    assert "author_name" in describe(db)["blog_posts"]["columns"]
    assert db.execute_sql("SELECT author_name FROM blog_posts").fetchall() == [("",)]
    db.execute_sql("UPDATE blog_posts SET author_name = %s" % db.param, ["Ellen Marsh"])
    at_0007 = describe(db)

    assert schema.rollback(db, 1) == ["0007_blog_author_name"]
    assert describe(db) == before
    assert db.execute_sql("SELECT id, title, body FROM blog_posts").fetchall() == posts

    schema.migrate(db, "0007_blog_author_name")  # later migrations add tables of their own
    assert describe(db) == at_0007
    assert db.execute_sql("SELECT author_name FROM blog_posts").fetchall() == [
        ("",)
    ]  # dropped by down()
    assert all(name > "0007" for name in schema.pending(db))
    db.close()
