"""Locks that keep two publishes of one project apart, released by the system when a process dies.

SQLite: an `flock` on a file beside the database (the kernel drops it with the process, so a killed
publish leaves no stale lock). PostgreSQL: a session advisory lock held on its own connection (the
server drops it with the connection). Both can be shared, so many publishes run while a prune of the
blob store waits for all of them (and the other way round).
"""

from __future__ import annotations

import fcntl
import json
import os
import socket
import time
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bgpub.errors import Conflict, PublishError

LOCK_CLASS = 0x6267  # "bg": the first key of bgpub's two-key advisory locks


class HeldLock:
    """A lock this process holds; `check()` proves it is still held right before an irreversible step."""

    def __init__(self, label: str, where: str | None):
        self.label, self.where = label, where

    def check(self) -> None:
        """An flock lives as long as its file descriptor, so it cannot be lost while held."""

    def lost(self, detail: str) -> PublishError:
        return PublishError(
            f"the database connection holding the {self.label} was lost ({detail}), so another publish could"
            " start; stopped before going live, the live site is unchanged. Run the command again",
            where=self.where,
        )


class AdvisoryLock(HeldLock):
    """A session advisory lock: held exactly as long as the server keeps its connection."""

    def __init__(self, connection: Any, key: int, label: str, where: str | None) -> None:
        super().__init__(label, where)
        self.connection, self.key = connection, key

    def check(self) -> None:
        """Asks the server, on the lock's own connection, whether this session still holds the lock."""
        try:
            with self.connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()"
                    " AND granted AND classid = %s::bigint AND objid = %s::bigint AND objsubid = 2",
                    (LOCK_CLASS, self.key & 0xFFFFFFFF),
                )  # pg_locks shows the int4 keys as unsigned oids
                held = cursor.fetchone()[0]
            self.connection.commit()
        except Exception as exc:  # psycopg2's errors: the connection is gone, and the lock with it
            raise self.lost((str(exc).strip().splitlines() or [type(exc).__name__])[0]) from exc
        if not held:
            raise self.lost("the server no longer lists the lock")


def lock_key(name: str) -> int:
    """A signed 32-bit key for a lock name (PostgreSQL's two-int advisory lock form)."""
    value = zlib.crc32(name.encode())
    return value - (1 << 32) if value >= (1 << 31) else value


def _holder() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "since": time.strftime("%Y-%m-%d %H:%M:%S"),
    }


def _describe(info: dict[str, Any] | None) -> str:
    if not info:
        return ""
    return f" (pid {info.get('pid')} on {info.get('host')} since {info.get('since')})"


@contextmanager
def file_lock(
    path: Path,
    busy_message: str,
    *,
    shared: bool = False,
    where: str | None = None,
    label: str | None = None,
) -> Iterator[HeldLock]:
    """Holds an flock on `path`; raises Conflict(busy_message) at once if another process holds it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, (fcntl.LOCK_SH if shared else fcntl.LOCK_EX) | fcntl.LOCK_NB)
        except BlockingIOError:
            info = None
            try:
                info = json.loads(os.pread(fd, 4096, 0) or b"null")
            except (ValueError, OSError):
                pass
            raise Conflict(busy_message + _describe(info), where=where or path.name) from None
        if not shared:
            os.ftruncate(fd, 0)
            os.pwrite(fd, json.dumps(_holder()).encode(), 0)
        yield HeldLock(label or f"lock {path.name}", where or path.name)
    finally:
        os.close(fd)  # closing releases the flock


@contextmanager
def advisory_lock(
    connection: Any,
    name: str,
    busy_message: str,
    *,
    shared: bool = False,
    where: str | None = None,
    label: str | None = None,
) -> Iterator[AdvisoryLock]:
    """Holds a PostgreSQL session advisory lock on a DB-API `connection` dedicated to it."""
    key = lock_key(name)
    suffix = "_shared" if shared else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_try_advisory_lock{suffix}(%s, %s)", (LOCK_CLASS, key))
        got = cursor.fetchone()[0]
    connection.commit()
    if not got:
        raise Conflict(busy_message, where=where or name)
    try:
        yield AdvisoryLock(connection, key, label or f"lock {name}", where or name)
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT pg_advisory_unlock{suffix}(%s, %s)", (LOCK_CLASS, key))
            connection.commit()
        except Exception:  # a broken connection: closing it releases the lock anyway
            pass
