"""The stored blocks of a project's pages, kept in the workspace between processes.

A new process (`bgpub build` after a one-page edit) still reads every page's small columns, but takes
the blocks of pages whose stamp is unchanged from here instead of the database: at 100,000 pages
the blocks are ~230 MB of JSON text, most of a one-page rebuild's snapshot. An entry is keyed by
the page's id and its stamp (`StoredPage.source_token`, a hash of every column read with the page,
revision and updated_at included), so a changed page is always read from the database again.

Layout, under `<workspace>/cache/snapshot/<database>/<project id>/`: `index` (marshal: page id ->
(stamp, segment, offset, length, component keys)) and immutable `blocks-*` segments holding the
JSON text one page after another. An update writes a new segment with only the pages read from the
database and a new index (temporary name, then rename); once the segments hold twice the live bytes
they are rewritten as one. Segments are mapped, not read: a page's text is copied out only when
something decodes its blocks. An exclusive lock on the folder orders processes.
"""

from __future__ import annotations

import fcntl
import hashlib
import marshal
import mmap
import os
import secrets
from array import array
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bgpub.config import workspace_dir

FORMAT = 2
INDEX = "index"
SEGMENT = "blocks-"
LOCK = "lock"
KEEP_FACTOR = 2  # segments are rewritten once they hold this many times the live bytes
SLACK = 1_000_000  # ... plus this many (a small site's cache is never worth rewriting)

# page id -> (stamp, segment, offset, length, component keys)
Entry = tuple[str, str, int, int, tuple[str, ...]]


# what the cache knows of an unchanged page: its blocks' JSON text (a view into a mapped segment,
# copied out only when decoded) and the component keys they use
CachedBlocks = tuple[memoryview, tuple[str, ...]]


def folder_for(database_url: str, project_id: str) -> Path:
    """The cache of one project in one database (two databases never share entries)."""
    key = hashlib.sha256(database_url.encode("utf-8")).hexdigest()[:16]
    return workspace_dir() / "cache" / "snapshot" / key / project_id


class BlocksCache:
    """One project's cached blocks: `lookup` what is still valid, `update` with what was read anew.

    The index is column-wise (ids, stamps, then offsets and lengths as packed integers, component
    lists as numbers into a table of distinct ones): 100,000 entries load in a few marshal and
    array reads instead of 100,000 tuples."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._entries: dict[str, Entry] = {}
        self._columns: tuple[Any, ...] | None = None
        self._maps: dict[str, memoryview] = {}

    @contextmanager
    def locked(self) -> Iterator[BlocksCache]:
        """Holds the folder's lock while the snapshot is read (a concurrent update waits)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / LOCK, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                self._columns = self._read_index()
                yield self
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read_index(self) -> tuple[Any, ...] | None:
        try:
            data = marshal.loads((self.folder / INDEX).read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return None
        if not isinstance(data, tuple) or len(data) != 9 or data[0] != FORMAT:
            return None
        _, ids, stamps, segments, where, offsets, lengths, table, used = data
        try:
            columns = (
                ids,
                stamps,
                segments,
                array("i", where),
                array("q", offsets),
                array("q", lengths),
                table,
                array("i", used),
            )
        except (TypeError, ValueError):
            return None
        if any(len(c) != len(ids) for c in (stamps, *columns[3:6], columns[7])):
            return None
        return columns

    def _map(self, segment: str) -> memoryview | None:
        found = self._maps.get(segment)
        if found is None:
            try:
                with open(self.folder / segment, "rb") as handle:
                    found = memoryview(mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ))
            except (OSError, ValueError):
                return None
            self._maps[segment] = found
        return found

    def lookup(self, stamps: dict[str, str]) -> dict[str, CachedBlocks]:
        """The cached blocks of pages (id -> stamp) whose stored stamp is the same."""
        columns = self._columns
        if columns is None:
            return {}
        ids, stored, segments, where, offsets, lengths, table, used = columns
        maps = [self._map(name) for name in segments]
        found: dict[str, CachedBlocks] = {}
        for n, page_id in enumerate(ids):
            if stamps.get(page_id) != stored[n]:
                continue
            view, start, length = maps[where[n]], offsets[n], lengths[n]
            if view is None or start + length > len(view):
                continue
            found[page_id] = (view[start : start + length], table[used[n]])
        return found

    def update(
        self, live: dict[str, str], fresh: dict[str, tuple[Any, tuple[str, ...]]]
    ) -> dict[str, memoryview]:
        """Keeps the entries of `live` pages (id -> stamp) whose stamp is unchanged and adds `fresh`
        ones (id -> (blocks as read, see `encoded`; component keys)) read from the database; drops
        the rest. Returns the fresh pages' text as mapped from the new segment: a caller that
        swaps it in for the text it read holds file pages the kernel shares and may drop, not heap
        (a cold build's 100,000 pages read ~0.25 GB of text, each page's copied again into every
        render worker that touches it, issue 18)."""
        kept: dict[str, Entry] = {}
        columns = self._columns
        if columns is not None:
            ids, stored, segments, where, offsets, lengths, table, used = columns
            for n, page_id in enumerate(ids):
                if live.get(page_id) == stored[n] and page_id not in fresh:
                    kept[page_id] = (
                        stored[n], segments[where[n]], offsets[n], lengths[n], table[used[n]]
                    )  # fmt: skip
            if not fresh and len(kept) == len(ids):
                return {}
        mapped: dict[str, memoryview] = {}
        if fresh:
            name = f"{SEGMENT}{secrets.token_hex(8)}"
            offset = 0
            places = {}
            with open(self.folder / (name + ".tmp"), "wb") as out:
                for page_id, (raw, components) in fresh.items():
                    text = encoded(raw)  # one page's bytes at a time, not every page's at once
                    out.write(text)
                    kept[page_id] = (live[page_id], name, offset, len(text), components)
                    places[page_id] = (offset, len(text))
                    offset += len(text)
            os.replace(self.folder / (name + ".tmp"), self.folder / name)
            view = self._map(name)
            if view is not None and len(view) == offset:
                mapped = {i: view[o : o + n] for i, (o, n) in places.items()}
        self._entries = kept
        if self._stored_bytes() > KEEP_FACTOR * sum(e[3] for e in kept.values()) + SLACK:
            self._compact()
        self._write_index()
        self._drop_unused()
        return mapped

    def _stored_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.folder.iterdir() if p.name.startswith(SEGMENT))

    def _compact(self) -> None:
        """Rewrites every live entry into one segment (old ones go once the index no longer names them)."""
        name = f"{SEGMENT}{secrets.token_hex(8)}"
        moved: dict[str, Entry] = {}
        offset = 0
        with open(self.folder / (name + ".tmp"), "wb") as out:
            for page_id, (stamp, segment, start, length, components) in self._entries.items():
                source = self._map(segment)
                if source is None:
                    continue
                out.write(source[start : start + length])
                moved[page_id] = (stamp, name, offset, length, components)
                offset += length
        os.replace(self.folder / (name + ".tmp"), self.folder / name)
        self._entries = moved

    def _write_index(self) -> None:
        entries = self._entries
        segments = sorted({e[1] for e in entries.values()})
        number = {name: n for n, name in enumerate(segments)}
        table: dict[tuple[str, ...], int] = {}
        for entry in entries.values():
            table.setdefault(tuple(entry[4]), len(table))
        data = (
            FORMAT,
            list(entries),
            [e[0] for e in entries.values()],
            segments,
            array("i", [number[e[1]] for e in entries.values()]).tobytes(),
            array("q", [e[2] for e in entries.values()]).tobytes(),
            array("q", [e[3] for e in entries.values()]).tobytes(),
            list(table),
            array("i", [table[tuple(e[4])] for e in entries.values()]).tobytes(),
        )
        tmp = self.folder / (INDEX + ".tmp")
        tmp.write_bytes(marshal.dumps(data, 4))
        os.replace(tmp, self.folder / INDEX)

    def _drop_unused(self) -> None:
        """Deletes segments the index no longer names (a mapping still open keeps its bytes)."""
        used = {e[1] for e in self._entries.values()}
        for path in self.folder.iterdir():
            if path.name.startswith(SEGMENT) and path.name not in used:
                path.unlink(missing_ok=True)


def blocks_cache(database_url: str | None, project_id: str) -> BlocksCache | None:
    """The project's cache, or None when the workspace has no folder to keep it in."""
    if not database_url:
        return None
    return BlocksCache(folder_for(database_url, project_id))


def encoded(raw: Any) -> bytes:
    """A page's blocks text as the cache stores it (UTF-8)."""
    if isinstance(raw, bytes):
        return raw
    if isinstance(raw, memoryview):
        return raw.tobytes()
    if isinstance(raw, str):
        return raw.encode("utf-8")
    import json

    return json.dumps(raw).encode("utf-8")
