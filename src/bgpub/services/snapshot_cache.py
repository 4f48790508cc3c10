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
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bgpub.config import workspace_dir

FORMAT = 1
INDEX = "index"
SEGMENT = "blocks-"
LOCK = "lock"
KEEP_FACTOR = 2  # segments are rewritten once they hold this many times the live bytes
SLACK = 1_000_000  # ... plus this many (a small site's cache is never worth rewriting)

# page id -> (stamp, segment, offset, length, component keys)
Entry = tuple[str, str, int, int, tuple[str, ...]]


@dataclass(frozen=True)
class StoredText:
    """A page's blocks as JSON text inside a mapped segment; `read()` copies it out."""

    segment: mmap.mmap
    offset: int
    length: int

    def read(self) -> bytes:
        return self.segment[self.offset : self.offset + self.length]

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickles as the bytes themselves (a mapping cannot cross processes)."""
        return bytes, (self.read(),)


@dataclass(frozen=True)
class CachedBlocks:
    """What the cache knows of an unchanged page: its blocks' text and the component keys they use."""

    text: StoredText
    components: tuple[str, ...]


def folder_for(database_url: str, project_id: str) -> Path:
    """The cache of one project in one database (two databases never share entries)."""
    key = hashlib.sha256(database_url.encode("utf-8")).hexdigest()[:16]
    return workspace_dir() / "cache" / "snapshot" / key / project_id


class BlocksCache:
    """One project's cached blocks: `lookup` what is still valid, `update` with what was read anew."""

    def __init__(self, folder: Path):
        self.folder = folder
        self._entries: dict[str, Entry] = {}
        self._maps: dict[str, mmap.mmap] = {}

    @contextmanager
    def locked(self) -> Iterator[BlocksCache]:
        """Holds the folder's lock while the snapshot is read (a concurrent update waits)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with open(self.folder / LOCK, "a+b") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                self._entries = self._read_index()
                yield self
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def _read_index(self) -> dict[str, Entry]:
        try:
            data = marshal.loads((self.folder / INDEX).read_bytes())
        except (OSError, ValueError, EOFError, TypeError):
            return {}
        if not isinstance(data, tuple) or len(data) != 2 or data[0] != FORMAT:
            return {}
        entries: dict[str, Entry] = data[1]
        return entries

    def _map(self, segment: str) -> mmap.mmap | None:
        found = self._maps.get(segment)
        if found is None:
            try:
                with open(self.folder / segment, "rb") as handle:
                    found = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):
                return None
            self._maps[segment] = found
        return found

    def lookup(self, stamps: dict[str, str]) -> dict[str, CachedBlocks]:
        """The cached blocks of pages (id -> stamp) whose stored stamp is the same."""
        found: dict[str, CachedBlocks] = {}
        entries = self._entries
        for page_id, stamp in stamps.items():
            entry = entries.get(page_id)
            if entry is None or entry[0] != stamp:
                continue
            segment = self._map(entry[1])
            if segment is None or entry[2] + entry[3] > len(segment):
                continue
            found[page_id] = CachedBlocks(StoredText(segment, entry[2], entry[3]), entry[4])
        return found

    def update(self, live: dict[str, str], fresh: dict[str, tuple[bytes, tuple[str, ...]]]) -> None:
        """Keeps the entries of `live` pages (id -> stamp) and adds `fresh` ones (id -> (JSON text,
        component keys)) read from the database; drops the rest."""
        kept = {i: e for i, e in self._entries.items() if i in live and e[0] == live[i]}
        if not fresh and len(kept) == len(self._entries):
            return
        if fresh:
            name = f"{SEGMENT}{secrets.token_hex(8)}"
            offset = 0
            with open(self.folder / (name + ".tmp"), "wb") as out:
                for page_id, (text, components) in fresh.items():
                    out.write(text)
                    kept[page_id] = (live[page_id], name, offset, len(text), components)
                    offset += len(text)
            os.replace(self.folder / (name + ".tmp"), self.folder / name)
        self._entries = kept
        if self._stored_bytes() > KEEP_FACTOR * sum(e[3] for e in kept.values()) + SLACK:
            self._compact()
        self._write_index()
        self._drop_unused()

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
        tmp = self.folder / (INDEX + ".tmp")
        tmp.write_bytes(marshal.dumps((FORMAT, self._entries), 4))
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
    if isinstance(raw, str):
        return raw.encode("utf-8")
    import json

    return json.dumps(raw).encode("utf-8")
