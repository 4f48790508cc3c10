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

from bgpub.errors import Conflict

LOCK_CLASS = 0x6267  # "bg": the first key of bgpub's two-key advisory locks


def lock_key(name: str) -> int:
    """A signed 32-bit key for a lock name (PostgreSQL's two-int advisory lock form)."""
    value = zlib.crc32(name.encode())
    return value - (1 << 32) if value >= (1 << 31) else value


def _holder() -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname(), "since": time.strftime("%Y-%m-%d %H:%M:%S")}


def _describe(info: dict | None) -> str:
    if not info:
        return ""
    return f" (pid {info.get('pid')} on {info.get('host')} since {info.get('since')})"


@contextmanager
def file_lock(path: Path, busy_message: str, *, shared: bool = False, where: str | None = None
              ) -> Iterator[None]:
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
        yield
    finally:
        os.close(fd)  # closing releases the flock


@contextmanager
def advisory_lock(connection, name: str, busy_message: str, *, shared: bool = False, where: str | None = None
                  ) -> Iterator[None]:
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
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT pg_advisory_unlock{suffix}(%s, %s)", (LOCK_CLASS, key))
            connection.commit()
        except Exception:  # a broken connection: closing it releases the lock anyway
            pass
