"""The content-addressed blob store: same behaviour on SQLite and PostgreSQL, idempotent, batched."""

import hashlib

import pytest

from bgpub.db.models import Blob
from bgpub.errors import InvalidInput, NotFound
from bgpub.services import blobs


def test_put_get_round_trip_and_dedup(db):
    data = b"\x00\x01binary\xffdata"
    key = blobs.put(data)
    assert key == hashlib.sha256(data).hexdigest()
    assert blobs.put(data) == key
    assert Blob.select().count() == 1
    assert blobs.get(key) == data
    assert isinstance(blobs.get(key), bytes)


def test_get_missing_names_the_hash(db):
    with pytest.raises(NotFound, match="no blob " + "0" * 64):
        blobs.get("0" * 64)


def test_has_many_and_put_many_in_batches(db, monkeypatch):
    monkeypatch.setattr(blobs, "ROW_BATCH", 7)
    monkeypatch.setattr(blobs, "KEY_BATCH", 11)
    items = {blobs.digest(b"x%d" % i): b"x%d" % i for i in range(40)}
    first = dict(list(items.items())[:5])
    assert blobs.put_many(first) == 5
    assert blobs.has_many(items) == set(first)
    assert blobs.put_many(items) == 35  # only the missing ones are sent
    assert blobs.put_many(items) == 0
    assert blobs.has_many(list(items) + ["f" * 64]) == set(items)
    assert Blob.select().count() == 40
    assert blobs.get_many(items) == items
    assert {b.id: b.size for b in Blob.select()} == {k: len(v) for k, v in items.items()}


def test_put_many_refuses_a_wrong_hash_and_writes_nothing(db):
    with pytest.raises(InvalidInput, match="does not match"):
        blobs.put_many({blobs.digest(b"a"): b"a", "1" * 64: b"b"})
    assert Blob.select().count() == 0


def test_get_many_reports_missing(db):
    key = blobs.put(b"here")
    with pytest.raises(NotFound, match="and 1 more"):
        blobs.get_many([key, "a" * 64, "b" * 64])


def test_byte_batch_bounds_big_inserts(db, monkeypatch):
    monkeypatch.setattr(blobs, "BYTE_BATCH", 1000)
    items = {blobs.digest(bytes([i]) * 700): bytes([i]) * 700 for i in range(5)}
    assert blobs.put_many(items) == 5
    assert blobs.get_many(items) == items
