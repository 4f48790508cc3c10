"""Where the incremental renderer keeps previous outputs: a pack file of bytes plus an index.

Rendered bytes go to the pack as each chunk of pages arrives, so the parent of a big render holds
offsets, not pages (at 100,000 pages the bytes were 2.2 GB of a 4.1 GB peak, issue 18). With a
folder the pack and its index persist; without one the pack is an unnamed temporary file.
"""

from __future__ import annotations

import itertools
import json
import operator
import os
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

STATE_FORMAT = 1
JOURNAL = "state.log"  # JSON lines of changes since state.json was written
PACK = (
    "outputs.pack"  # the pack's name until its first compaction (state.json names the current one)
)
PACKS = (PACK, "outputs.1.pack", "outputs.2.pack")  # compaction alternates between the last two
COPY_BLOCK = 1 << 20  # bytes copied at a time when compacting


class OutputStore:
    """Previous output bytes by path with their dependency keys; persisted when given a folder.

    On disk: `state.json` (path -> [key, offset, length], and the pack's name), `state.log` (small
    changes since, one JSON line each) and the pack (the bytes, appended; compacted into a new file
    when more than half is garbage). Crash safety comes from the order of writes: bytes are
    appended first and indexed only once all of a render's bytes are written, so the index never
    names bytes that are not there; bytes of a render that failed stay unindexed until compacted.
    """

    def __init__(self, directory: str | Path | None = None):
        self.directory = Path(directory) if directory is not None else None
        self.keys: dict[str, str] = {}
        self._where: dict[str, tuple[int, int]] = {}
        self._live = 0  # bytes of the pack the index names (the rest is garbage until compaction)
        self._pending: dict[str, tuple[int, int]] = {}  # appended by this render, not indexed yet
        self.extras: dict[str, Any] = {}
        self._journal_lines = 0
        self._has_state = False
        self._pack_name = PACK
        self._file: BinaryIO | None = None  # the open pack (closed with the store, if not before)
        self._end = 0  # the pack's size: where the next bytes go
        if self.directory is not None:
            self._load()

    def _load(self) -> None:
        assert self.directory is not None
        try:
            state = json.loads((self.directory / "state.json").read_text("utf-8"))
            if state.get("format") != STATE_FORMAT:
                return
            outputs = {p: (k, int(o), int(n)) for p, (k, o, n) in state["outputs"].items()}
            name = str(state.get("pack", PACK))
            size = (self.directory / name).stat().st_size
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return  # no usable cache: the next render is a full one
        try:
            journal = (self.directory / JOURNAL).read_text("utf-8").splitlines()
        except OSError:
            journal = []
        for line in journal:
            try:
                change = json.loads(line)
                updates = {p: (k, int(o), int(n)) for p, (k, o, n) in change["set"].items()}
                removed = list(change["removed"])
            except (ValueError, KeyError, TypeError, AttributeError):
                break  # a torn last line: the changes it held are rendered again
            outputs.update(updates)
            for path in removed:
                outputs.pop(path, None)
            self._journal_lines += 1
        if any(o + n > size for _, o, n in outputs.values()):
            return
        self.keys = {p: k for p, (k, _, _) in outputs.items()}
        self._where = {p: (o, n) for p, (_, o, n) in outputs.items()}
        self._live = sum(n for _, _, n in outputs.values())
        self.extras = dict(state.get("extras", {}))
        self._pack_name = name
        self._has_state = True

    def _pack(self) -> int:
        """The pack's file descriptor (opened on first use; reads and writes are positional)."""
        if self._file is None:
            if self.directory is None:
                self._file = tempfile.TemporaryFile(buffering=0)
            else:
                self.directory.mkdir(parents=True, exist_ok=True)
                self._file = _open_pack(self.directory / self._pack_name, truncate=False)
            self._end = os.fstat(self._file.fileno()).st_size
        return self._file.fileno()

    def __contains__(self, path: str) -> bool:
        return path in self.keys

    def read(self, path: str) -> bytes:
        """An output's bytes: this render's if it wrote them, else the indexed ones."""
        offset, length = self._pending.get(path) or self._where[path]
        return _read_exactly(self._pack(), offset, length)

    def size(self, path: str) -> int:
        """An output's length in bytes, without reading it."""
        return (self._pending.get(path) or self._where[path])[1]

    def places(self, paths: list[str]) -> dict[str, tuple[int, int]]:
        """(offset, length) of each output in the current pack; `paths` are distinct outputs of it."""
        if not self._pending and len(paths) == len(self._where):
            # every output (a render's result after `update`): the index copied whole, in ~10 ms
            # at 200,000 outputs where looking each up in sorted order took ~130 ms
            return self._where.copy()
        if not self._pending:  # after `update`: looked up at C speed
            return dict(zip(paths, map(self._where.__getitem__, paths), strict=True))
        return {p: self._pending.get(p) or self._where[p] for p in paths}

    def handle(self) -> int:
        """A new file descriptor on the current pack, for a reader that outlives it (the caller
        closes it)."""
        return os.dup(self._pack())

    def close(self) -> None:
        """Closes a persisted pack (reopened on the next read); the temporary one is the data, so stays."""
        if self._file is not None and self.directory is not None:
            self._file.close()
            self._file = None

    def read_many(self, paths: list[str]) -> dict[str, bytes]:
        """Bytes of many outputs, read in the pack's order."""
        fd = self._pack()
        places = {p: self._pending.get(p) or self._where[p] for p in paths}
        return {p: _read_exactly(fd, *places[p]) for p in sorted(paths, key=places.__getitem__)}

    def append(self, outputs: Mapping[str, bytes]) -> None:
        """Writes a render's outputs to the end of the pack, to be indexed by `update` (a render
        that fails leaves them unindexed: `abandon`)."""
        if not outputs:
            return
        fd = self._pack()
        offset = self._end
        for path, data in outputs.items():
            self._pending[path] = (offset, len(data))
            offset += len(data)
        _write_exactly(fd, b"".join(outputs.values()), self._end)
        self._end = offset

    def abandon(self) -> None:
        """Forgets what a failed render appended (the bytes stay, unindexed, until compaction)."""
        self._pending.clear()

    def update(
        self,
        keys: dict[str, str],
        fresh: Mapping[str, bytes],
        changed: Iterable[str] | None = None,
        removed: list[str] | None = None,
    ) -> None:
        """The new key set, kept as the store's own (the caller leaves it alone afterwards: a copy
        of 200,000 keys was ~10 ms of a save); the outputs that changed are those `append`ed during
        the render plus `fresh`. Only now does the index name them. When the caller already knows
        them (a render does), `changed` names every path whose key differs from the last update's
        and `removed` every path of the last update's keys not in `keys`, so 200,000 keys are not
        compared again (each pass ~7% of a save at 100,000 pages)."""
        self._pack()  # opened first: its size decides compaction
        self.append(fresh)
        previous = self.keys
        self.keys = keys
        if removed is None:
            removed = []
            if not all(map(keys.__contains__, self._where)):  # at C speed: a save removes nothing
                removed = [path for path in self._where if path not in keys]
        removed = [path for path in removed if path in self._where]
        for path in removed:
            self._live -= self._where.pop(path)[1]
        changed_bytes = [p for p in self._pending if p in keys]
        for path in changed_bytes:
            place = self._pending[path]
            self._live += place[1] - self._where.get(path, (0, 0))[1]
            self._where[path] = place
        self._pending.clear()
        compacted = self._end > 2 * max(self._live, 1) and self._end > 1_000_000
        if compacted:
            self._compact()
        if self.directory is None:
            return
        if changed is None:  # new or re-keyed outputs, compared at C speed
            changed = itertools.compress(
                keys, map(operator.ne, map(previous.get, keys), keys.values())
            )
        rekeyed = set(changed)
        rekeyed.update(changed_bytes)
        if (
            compacted
            or not self._has_state
            or len(rekeyed) > max(100, len(keys) // 5)
            or self._journal_lines > 200
        ):
            self._write_state()
        else:  # a small change: one journal line instead of rewriting the whole index
            line = {
                "set": {p: [keys[p], *self._where[p]] for p in sorted(rekeyed) if p in self._where},
                "removed": removed,
            }
            with open(self.directory / JOURNAL, "a", encoding="utf-8") as journal:
                journal.write(json.dumps(line, separators=(",", ":")) + "\n")
            self._journal_lines += 1

    def _compact(self) -> None:
        """Copies the live outputs into a new pack, a block at a time (never all bytes in memory);
        a persisted one gets a new name, so the old index stays valid until the new one replaces it."""
        old = self._pack()
        name = PACKS[1] if self._pack_name != PACKS[1] else PACKS[2]
        if self.directory is None:
            new_file: BinaryIO = tempfile.TemporaryFile(buffering=0)
        else:
            new_file = _open_pack(self.directory / name, truncate=True)
        new = new_file.fileno()
        where = {}
        offset = 0
        try:
            for path in sorted(self._where, key=self._where.__getitem__):
                start, length = self._where[path]
                where[path] = (offset, length)
                while length:
                    block = _read_exactly(old, start, min(length, COPY_BLOCK))
                    _write_exactly(new, block, offset)
                    start, offset, length = (
                        start + len(block),
                        offset + len(block),
                        length - len(block),
                    )
        except BaseException:
            new_file.close()
            raise
        assert self._file is not None
        self._file.close()
        self._file, self._end, self._where = new_file, offset, where
        if self.directory is not None:
            self._pack_name = name

    def _write_state(self) -> None:
        assert self.directory is not None
        outputs = {
            p: [self.keys[p], *self._where[p]] for p in sorted(self.keys) if p in self._where
        }
        state = {
            "format": STATE_FORMAT,
            "pack": self._pack_name,
            "extras": self.extras,
            "outputs": outputs,
        }
        tmp = self.directory / "state.json.tmp"
        tmp.write_text(json.dumps(state, separators=(",", ":")), "utf-8")
        os.replace(tmp, self.directory / "state.json")
        (self.directory / JOURNAL).unlink(missing_ok=True)
        self._journal_lines = 0
        self._has_state = True
        for name in PACKS:  # nothing names the others any more (a crash may have left one)
            if name != self._pack_name:
                (self.directory / name).unlink(missing_ok=True)


def _open_pack(path: Path, truncate: bool) -> BinaryIO:
    """A pack file for positional reads and writes (never O_APPEND: `os.pwrite` ignores the offset
    under it on Linux)."""
    flags = os.O_RDWR | os.O_CREAT | (os.O_TRUNC if truncate else 0)
    return os.fdopen(os.open(path, flags, 0o644), "r+b", buffering=0)


def _read_exactly(fd: int, offset: int, length: int) -> bytes:
    data = os.pread(fd, length, offset)
    while len(data) < length:  # a short read: rare, but allowed
        more = os.pread(fd, length - len(data), offset + len(data))
        if not more:
            raise OSError(f"the render cache's pack ends before byte {offset + length}")
        data += more
    return data


def _write_exactly(fd: int, data: bytes, offset: int) -> None:
    view = memoryview(data)
    while view:
        done = os.pwrite(fd, view, offset)
        view, offset = view[done:], offset + done


class SiteFiles(Mapping[str, bytes]):
    """Every output of one render, read from the pack on demand (never all in memory).

    It keeps its own handle on the pack and its own copy of where each output lies, so it reads
    this render's bytes even after later renders replaced, removed or compacted them (the old
    pack stays readable through the handle until this object is dropped).
    """

    def __init__(self, paths: list[str], store: OutputStore):
        self._paths = paths
        self._where = store.places(paths)
        self._fd = store.handle()
        self._pack_inode = os.fstat(self._fd).st_ino
        weakref.finalize(self, os.close, self._fd)

    def __getitem__(self, path: str) -> bytes:
        return _read_exactly(self._fd, *self._where[path])

    def size(self, path: str) -> int:
        """An output's length, without reading its bytes."""
        return self._where[path][1]

    def location(self, path: str) -> tuple[int, int, int]:
        """Where an output's bytes lie (the pack's inode, offset, length). Two results that place an
        output at the same location hold the same bytes: a pack only grows, a compaction writes a
        new file, and a reader's open handle keeps its pack's inode from being reused. The preview
        compares locations instead of reading every output of every rebuild."""
        return (self._pack_inode, *self._where[path])

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, path: object) -> bool:
        return path in self._where

    def materialise(self) -> dict[str, bytes]:
        """All bytes as a plain dict, read in the pack's order: only for callers that need every
        output at once (`render_site`); the others read one at a time."""
        found = {p: self[p] for p in sorted(self._paths, key=self._where.__getitem__)}
        return {p: found[p] for p in self._paths}


def output_size(files: Mapping[str, bytes], path: str) -> int:
    """The length of one output of a render result, read from the index when it has one."""
    return files.size(path) if isinstance(files, SiteFiles) else len(files[path])
