"""The schema built only by the migrations is exactly the schema the models describe, on both backends."""

from __future__ import annotations

from peewee import ForeignKeyField
from playhouse.schema_diff import diff_models
from schema_catalogue import describe

from bgpub.db import schema
from bgpub.db.connection import connect_url
from bgpub.db.models import MODELS


def _migrated(url):
    db = connect_url(url)
    schema.migrate(db)
    return db


def _from_models(url):
    """A reference database created straight from the models (only ever done here, to compare)."""
    db = connect_url(url)
    with db.bind_ctx(MODELS):
        db.create_tables(MODELS)
    return db


def test_schema_diff_finds_nothing_after_migrating(blank_database):
    db = _migrated(blank_database())
    with db.bind_ctx(MODELS):
        diff = diff_models(db, MODELS)
    assert not diff, f"migrations and models differ:\n{diff}"
    assert schema.pending(db) == []
    db.close()


def test_catalogue_equals_the_models(blank_database):
    """Types, nullability, defaults, foreign keys with their ON DELETE, every index and CHECK."""
    migrated = _migrated(blank_database())
    reference = _from_models(blank_database())
    got, want = describe(migrated), describe(reference)
    migrated.close()
    reference.close()
    assert sorted(got) == sorted(want), "tables differ"
    for table in want:
        for part in ("columns", "foreign_keys", "indexes", "checks"):
            assert got[table][part] == want[table][part], f"{table}: {part} differ"


def test_every_model_table_has_its_enum_checks(blank_database):
    """Guards the comparison itself: the enum columns' CHECKs are really in the migrated catalogue."""
    db = _migrated(blank_database())
    catalogue = describe(db)
    db.close()
    for model in MODELS:
        for field in model._meta.sorted_fields:
            if hasattr(field, "enum_class"):
                checks = " ".join(catalogue[model._meta.table_name]["checks"])
                for member in field.enum_class:
                    assert f"'{member.value}'" in checks, (
                        model._meta.table_name,
                        field.name,
                        member,
                    )


def test_every_foreign_key_and_the_design_time_columns_are_indexed(blank_database):
    db = _migrated(blank_database())
    leading = {(t, i.columns[0]) for t in db.get_tables() for i in db.get_indexes(t) if i.columns}
    wanted = {
        ("versions", "created_at"),
        ("page_views", "timestamp"),
        ("assets", "organization_id"),
    }
    for model in MODELS:
        for field in model._meta.sorted_fields:
            if isinstance(field, ForeignKeyField):
                wanted.add((model._meta.table_name, field.column_name))
    db.close()
    assert wanted - leading == set()
