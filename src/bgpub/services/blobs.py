"""The content-addressed blob store: bytes kept once by sha256 in the `blobs` table.

Assets and published files share it, across versions and projects, and it behaves the same on
SQLite and PostgreSQL (insert-or-ignore on the primary key), so a team-mate can restore any version.
Bulk calls work in batches bounded by row count and bytes, skipping blobs already stored.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from bgpub.db.connection import database
from bgpub.db.models import Blob
from bgpub.db.rows import tuple_rows
from bgpub.errors import InvalidInput, NotFound

HASH_RE = re.compile(r"^[0-9a-f]{64}$")
KEY_BATCH = 500  # ids per IN (...) lookup: well under SQLite's variable limit
ROW_BATCH = 200  # rows per INSERT (4 parameters each)
BYTE_BATCH = 16 * 1024 * 1024  # bytes per INSERT, so a batch of big files stays a sane statement


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
    """The subset of `keys` already stored (one query per 500 keys)."""
    wanted = sorted(set(keys))
    present: set[str] = set()
    for start in range(0, len(wanted), KEY_BATCH):
        chunk = wanted[start : start + KEY_BATCH]
        present.update(key for (key,) in tuple_rows(Blob.select(Blob.id).where(Blob.id.in_(chunk))))
    return present


def put_many(items: Mapping[str, bytes], *, verify: bool = True) -> int:
    """Stores every blob not yet present; returns how many were new.

    Each key must be the sha256 of its bytes (checked unless `verify=False`, for callers that just
    computed it). Inserts ignore conflicts, so two writers storing the same blob both succeed.
    """
    if verify:
        for key, data in items.items():
            if digest(data) != key:
                raise InvalidInput(
                    f"blob {key} does not match the sha256 of its {len(data)} bytes",
                    where="blob store",
                )
    missing = sorted(set(items) - has_many(items))
    if not missing:
        return 0
    with database.atomic():
        batch: list[dict[str, Any]] = []
        size = 0
        for key in missing:
            data = items[key]
            batch.append({"id": key, "size": len(data), "data": data})
            size += len(data)
            if len(batch) >= ROW_BATCH or size >= BYTE_BATCH:
                Blob.insert_many(batch).on_conflict_ignore().execute()
                batch, size = [], 0
        if batch:
            Blob.insert_many(batch).on_conflict_ignore().execute()
    return len(missing)
