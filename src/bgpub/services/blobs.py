"""The content-addressed blob store: bytes kept once by sha256 in the `blobs` table.

Assets and published files share it, across versions and projects, and it behaves the same on
SQLite and PostgreSQL (insert-or-ignore on the primary key), so a team-mate can restore any version.
Bulk calls work in batches bounded by row count and bytes, skipping blobs already stored.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime

from peewee import __exception_wrapper__ as driver_errors_as_peewees  # type: ignore[attr-defined]  # peewee stubs: not exported

from bgpub.db.connection import database, is_postgres
from bgpub.db.fields import utcnow
from bgpub.db.models import Blob
from bgpub.db.rows import tuple_rows
from bgpub.errors import InvalidInput, NotFound
from bgpub.publish.crashpoints import crashpoint

HASH_RE = re.compile(r"^[0-9a-f]{64}$")
KEY_BATCH = 500  # ids per IN (...) lookup: well under SQLite's variable limit
ROW_BATCH = 1000  # rows per INSERT batch (one prepared statement on SQLite, one statement on PG)
BYTE_BATCH = 16 * 1024 * 1024  # bytes per batch, so a batch of big files stays a sane statement
_ID = f'"{Blob.id.column_name}"'


def _table() -> str:
    return f'"{Blob._meta.table_name}"'


def digest(data: bytes) -> str:
    """The blob id of `data`: sha256 hex."""
    return hashlib.sha256(data).hexdigest()


def is_hash(value: object) -> bool:
    return isinstance(value, str) and HASH_RE.fullmatch(value) is not None


def _as_bytes(value: bytes | memoryview) -> bytes:
    return value if isinstance(value, bytes) else bytes(value)


def put(data: bytes) -> str:
    """Stores `data` (once) and returns its hash."""
    key = digest(data)
    put_many({key: data})
    return key


def get(key: str) -> bytes:
    data = Blob.select(Blob.data).where(Blob.id == key).scalar()
    if data is None:
        raise NotFound(f"no blob {key}", where="blob store")
    return _as_bytes(data)


def get_many(keys: Iterable[str]) -> dict[str, bytes]:
    """The stored bytes of each key; a missing key raises NotFound naming it."""
    wanted = sorted(set(keys))
    found: dict[str, bytes] = {}
    for start in range(0, len(wanted), KEY_BATCH):
        chunk = wanted[start : start + KEY_BATCH]
        for key, data in tuple_rows(Blob.select(Blob.id, Blob.data).where(Blob.id.in_(chunk))):
            found[key] = _as_bytes(data)
    missing = [k for k in wanted if k not in found]
    if missing:
        raise NotFound(
            f"no blob {missing[0]}"
            + (f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""),
            where="blob store",
        )
    return found


def has_many(keys: Iterable[str]) -> set[str]:
    """The subset of `keys` already stored: one query on PostgreSQL (`= ANY` of an array), one per
    500 keys on SQLite, in plain SQL (Peewee's IN expression of 500 parameters cost more to build
    than the query took to run)."""
    wanted = sorted(set(keys))
    if not wanted:
        return set()
    table = _table()
    if is_postgres():
        query = f"SELECT {_ID} FROM {table} WHERE {_ID} = ANY(%s)"
        return {key for (key,) in database.execute_sql(query, (wanted,)).fetchall()}
    present: set[str] = set()
    for start in range(0, len(wanted), KEY_BATCH):
        chunk = wanted[start : start + KEY_BATCH]
        marks = ", ".join("?" * len(chunk))
        query = f"SELECT {_ID} FROM {table} WHERE {_ID} IN ({marks})"
        present.update(key for (key,) in database.execute_sql(query, chunk).fetchall())
    return present


def put_many(items: Mapping[str, bytes], *, verify: bool = True, absent: bool = False) -> int:
    """Stores every blob not yet present; returns how many were new.

    Each key must be the sha256 of its bytes (checked unless `verify=False`, for callers that just
    computed it). Inserts ignore conflicts, so two writers storing the same blob both succeed, and
    a caller that has just asked `has_many` says `absent=True` rather than have it asked again.
    """
    if verify:
        for key, data in items.items():
            if digest(data) != key:
                raise InvalidInput(
                    f"blob {key} does not match the sha256 of its {len(data)} bytes",
                    where="blob store",
                )
    missing = sorted(items) if absent else sorted(set(items) - has_many(items))
    if not missing:
        return 0
    with database.atomic():  # all or nothing: a process killed between batches leaves no row
        for batch in _batches(missing, items):
            insert_blobs(batch)
            crashpoint("blob-batch-stored")
    return len(missing)


def _batches(keys: list[str], items: Mapping[str, bytes]) -> Iterator[list[tuple[str, bytes]]]:
    """`keys` with their bytes in runs of at most ROW_BATCH rows and about BYTE_BATCH bytes."""
    batch: list[tuple[str, bytes]] = []
    size = 0
    for key in keys:
        data = items[key]
        batch.append((key, data))
        size += len(data)
        if len(batch) >= ROW_BATCH or size >= BYTE_BATCH:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def insert_blobs(batch: Sequence[tuple[str, bytes]]) -> None:
    """Inserts (sha256, bytes) rows, ignoring those already stored, in the current transaction.

    One prepared statement for the whole batch (`executemany` on SQLite, `execute_values` pages on
    PostgreSQL): Peewee's `insert_many` rendered an expression tree of every value to SQL, half the
    time of storing a 10,000-page site's files (bench/publish_bench.py)."""
    if not batch:
        return
    # each value as the model's fields convert it (bytes wrapped for the driver), as insert_many did
    stamp: Callable[[datetime], object] = Blob.created_at.db_value
    binary: Callable[[bytes], object] = Blob.data.db_value
    created = stamp(utcnow())
    rows = [(key, len(data), binary(data), created) for key, data in batch]
    columns = ", ".join(
        f'"{f.column_name}"' for f in (Blob.id, Blob.size, Blob.data, Blob.created_at)
    )
    statement = f"INSERT INTO {_table()} ({columns}) VALUES %s ON CONFLICT ({_ID}) DO NOTHING"
    cursor = database.cursor()
    with driver_errors_as_peewees:  # IntegrityError etc. as insert_many raised them
        if is_postgres():
            from psycopg2.extras import execute_values

            execute_values(cursor, statement, rows, page_size=len(rows))
        else:
            cursor.executemany(statement.replace("%s", "(?, ?, ?, ?)"), rows)
