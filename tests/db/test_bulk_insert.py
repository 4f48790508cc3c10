"""`insert_rows` (imports' bulk insert) stores exactly what Peewee's `insert_many` stores, for every
model of the schema, on both databases: the same converted values, the same defaults filled in."""

from __future__ import annotations

import pytest
from peewee import IntegrityError
from playhouse.shortcuts import model_to_dict
from row_factory import make, values

from bgpub.db.bulk import insert_rows
from bgpub.db.connection import database
from bgpub.db.models import MODELS, Page


def _stored(model, key) -> dict:
    return model_to_dict(model.get_by_id(key), recurse=False)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_stores_what_insert_many_stores(db, model):
    data = values(model)
    key = data[model._meta.primary_key.name]
    with database.atomic() as transaction:
        model.insert_many([data]).execute()
        expected = _stored(model, key)
        transaction.rollback()
    insert_rows(model, [data])
    assert _stored(model, key) == expected


def test_left_out_fields_get_their_model_defaults(db):
    project = make(Page).project  # a project to put pages in
    rows = [
        {"id": f"p{i:023d}", "project": project.id, "slug": f"page-{i}", "title": f"Page {i}"}
        for i in range(3)
    ]
    insert_rows(Page, rows)
    pages = list(Page.select().where(Page.slug.startswith("page-")).order_by(Page.slug))
    assert [p.title for p in pages] == ["Page 0", "Page 1", "Page 2"]
    default = Page._meta.fields["revision"].default
    assert all(p.revision == default and p.created_at is not None for p in pages)
    assert all(p.blocks == Page._meta.fields["blocks"].default() for p in pages)


def test_rows_must_agree_and_errors_are_peewees(db):
    project = make(Page).project
    with pytest.raises(ValueError, match="same fields"):
        insert_rows(Page, [{"project": project.id, "slug": "a"}, {"project": project.id}])
    row = {"id": "p" + "0" * 23, "project": project.id, "slug": "dup", "title": "Dup"}
    with pytest.raises(IntegrityError), database.atomic():
        insert_rows(Page, [row, {**row, "id": "p" + "1" * 23}])  # the same slug twice
    assert not Page.select().where(Page.slug == "dup").exists()
