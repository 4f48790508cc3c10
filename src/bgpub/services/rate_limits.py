"""Rate limits every collector process shares: hits per client, project and endpoint per minute.

Per-process counters would let a flood through once per process (uvicorn's workers share one port,
and a load balancer spreads clients over machines), so the counts live in the database
(`collector_rate_counts`), added with one upsert: per request for forms and comments (rare and
written anyway), per batch of page views inside the batch's own transaction (one statement for
hundreds of views, and a retried batch never counts twice). A client is a keyed hash of its address
under the day's visitor salt, so no address is kept, and the key changes every day.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import Counter
from collections.abc import Iterable

from peewee import EXCLUDED

from bgpub.db.connection import database
from bgpub.db.fields import new_id
from bgpub.db.models import CollectorRateCount
from bgpub.db.rows import tuple_rows

WINDOW = 60  # seconds
_swept = {"window": 0}  # the last minute this process deleted old counts in


def window_of(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // WINDOW)


def seconds_left(now: float | None = None) -> int:
    now = time.time() if now is None else now
    return max(1, int(WINDOW - now % WINDOW) + 1)


def client_of(salt: str, address: str) -> str:
    return hmac.new(salt.encode(), b"rate\0" + address.encode(), hashlib.sha256).hexdigest()[:32]


def counter_key(scope: str, client: str, window: int) -> str:
    return f"{scope}|{client}|{window}"[:160]


def add_hits(keys: Iterable[str], window: int) -> dict[str, int]:
    """Adds one hit per occurrence of each key (in the caller's transaction); returns the totals."""
    counts = Counter(keys)
    if not counts:
        return {}
    rows = [{"id": new_id(), "key": k, "window": window, "hits": n} for k, n in counts.items()]
    for start in range(0, len(rows), 200):
        (
            CollectorRateCount.insert_many(rows[start : start + 200])
            .on_conflict(
                conflict_target=[CollectorRateCount.key],
                update={CollectorRateCount.hits: CollectorRateCount.hits + EXCLUDED.hits},
            )
            .execute()
        )
    totals = {}
    keys_list = list(counts)
    for start in range(0, len(keys_list), 200):
        query = CollectorRateCount.select(CollectorRateCount.key, CollectorRateCount.hits).where(
            CollectorRateCount.key.in_(keys_list[start : start + 200])
        )
        totals.update({key: hits for key, hits in tuple_rows(query)})
    return totals


def admit(keys: list[str], limit: int, window: int) -> list[bool]:
    """For hits in arrival order (a key per hit): which are within `limit` this window, counting hits
    other processes added before. Runs inside the caller's transaction."""
    if _swept["window"] != window:
        sweep(window)
        _swept["window"] = window
    totals = add_hits(keys, window)
    batch = Counter(keys)
    room = {k: max(0, limit - (totals.get(k, n) - n)) for k, n in batch.items()}
    admitted = []
    for key in keys:
        admitted.append(room[key] > 0)
        room[key] -= 1
    return admitted


def hit(key: str, limit: int, window: int) -> bool:
    """One hit (a form post or a comment): True when it is within the limit."""
    with database.atomic():
        return admit([key], limit, window)[0]


def sweep(window: int) -> int:
    """Deletes the counts of minutes before the previous one."""
    found: int = CollectorRateCount.delete().where(CollectorRateCount.window < window - 1).execute()
    return found
