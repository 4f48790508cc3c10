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


@pytest.mark.parametrize("extra", [-1, 0, 1, 6])
def test_put_many_batch_boundaries(db, monkeypatch, extra):
    """One INSERT batch per ROW_BATCH rows, whatever the count's remainder; every row lands once."""
    monkeypatch.setattr(blobs, "ROW_BATCH", 5)
    batches: list[int] = []
    real = blobs.insert_blobs
    monkeypatch.setattr(blobs, "insert_blobs", lambda rows: batches.append(len(rows)) or real(rows))
    items = {blobs.digest(b"row%d" % i): b"row%d" % i for i in range(5 + extra)}
    assert blobs.put_many(items) == len(items)
    assert sum(batches) == len(items) and max(batches) <= 5
    assert len(batches) == -(-len(items) // 5)
    assert blobs.get_many(items) == items
    assert {b.id: b.size for b in Blob.select()} == {k: len(v) for k, v in items.items()}


def test_put_many_absent_skips_the_lookup_and_ignores_rows_already_there(db, monkeypatch):
    """A caller that just asked `has_many` says so; a blob another writer stored meanwhile is kept,
    not duplicated nor refused."""
    items = {blobs.digest(b"a%d" % i): b"a%d" % i for i in range(6)}
    early = dict(list(items.items())[:2])
    blobs.put_many(early)
    asked: list[object] = []
    monkeypatch.setattr(blobs, "has_many", lambda keys: asked.append(keys) or set())
    assert blobs.put_many(items, verify=False, absent=True) == 6  # the caller's count
    assert asked == []
    assert Blob.select().count() == 6
    assert blobs.get_many(items) == items


def test_bulk_rows_read_back_like_model_rows(db):
    """The plain-SQL insert stores what Blob.create would: bytes, size and a readable timestamp."""
    data = bytes(range(256)) * 3
    made = Blob.create(id=blobs.digest(b"model"), size=5, data=b"model")
    blobs.put_many({blobs.digest(data): data})
    row = Blob.get(Blob.id == blobs.digest(data))
    assert bytes(row.data) == data and row.size == len(data)
    assert type(row.created_at) is type(Blob.get(Blob.id == made.id).created_at)
    assert abs((row.created_at - made.created_at).total_seconds()) < 60


def test_has_many_of_many_keys(db, monkeypatch):
    """More keys than one lookup holds, present and absent mixed, duplicates in the request."""
    monkeypatch.setattr(blobs, "KEY_BATCH", 3)
    stored = {blobs.digest(b"k%d" % i): b"k%d" % i for i in range(10)}
    blobs.put_many(stored)
    asked = list(stored) + list(stored)[:4] + ["e" * 64, "f" * 64]
    assert blobs.has_many(asked) == set(stored)
    assert blobs.has_many([]) == set()
