"""Where the incremental renderer keeps previous outputs: in memory, or a pack file plus a JSON index."""

from __future__ import annotations

import json
import os
from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from pathlib import Path
from typing import Any, BinaryIO

STATE_FORMAT = 1
JOURNAL = "state.log"  # JSON lines of changes since state.json was written


class OutputStore:
    """Previous output bytes by path with their dependency keys; persisted when given a folder.

    On disk: `state.json` (path -> [key, offset, length]), `state.log` (small changes since, one JSON
    line each) and `outputs.pack` (the bytes, appended; compacted when more than half is garbage).
    """

    def __init__(self, directory: str | Path | None = None):
        self.directory = Path(directory) if directory is not None else None
        self.keys: dict[str, str] = {}
        self._memory: dict[str, bytes] = {}
        self._where: dict[str, tuple[int, int]] = {}
        self.extras: dict[str, Any] = {}
        self._journal_lines = 0
        self._has_state = False
        self._reader: BinaryIO | None = None
        if self.directory is not None:
            self._load()

    @property
    def _pack(self) -> Path:
        assert self.directory is not None
        return self.directory / "outputs.pack"

    def _load(self) -> None:
        assert self.directory is not None
        try:
            state = json.loads((self.directory / "state.json").read_text("utf-8"))
            if state.get("format") != STATE_FORMAT:
                return
            outputs = {p: (k, int(o), int(n)) for p, (k, o, n) in state["outputs"].items()}
            size = self._pack.stat().st_size
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
        self.extras = dict(state.get("extras", {}))
        self._has_state = True

    def __contains__(self, path: str) -> bool:
        return path in self.keys

    def read(self, path: str) -> bytes:
        if path in self._memory:
            return self._memory[path]
        offset, length = self._where[path]
        if self._reader is None:
            self._reader = open(self._pack, "rb")  # noqa: SIM115 - kept open for many reads, closed on update
        self._reader.seek(offset)
        return self._reader.read(length)

    def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None

    def read_many(self, paths: list[str]) -> dict[str, bytes]:
        """Bytes of many outputs in one pass over the pack (sorted by offset)."""
        result = {p: self._memory[p] for p in paths if p in self._memory}
        rest = sorted((self._where[p][0], p) for p in paths if p not in result)
        if rest:
            with open(self._pack, "rb") as pack:
                for offset, path in rest:
                    pack.seek(offset)
                    result[path] = pack.read(self._where[path][1])
        return result

    def update(self, keys: dict[str, str], fresh: Mapping[str, bytes]) -> None:
        """The new key set; `fresh` holds the bytes of outputs that changed."""
        self.close()
        previous = self.keys
        self.keys = dict(keys)
        if self.directory is None:
            for path in list(self._memory):
                if path not in keys:
                    del self._memory[path]
            self._memory.update(fresh)
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        removed = [path for path in self._where if path not in keys]
        for path in removed:
            del self._where[path]
        live = sum(n for _, n in self._where.values())
        size = self._pack.stat().st_size if self._pack.exists() else 0
        compacted = size > 2 * max(live, 1) and size > 1_000_000
        if compacted:
            self._compact()
        with open(self._pack, "ab") as pack:
            offset = pack.tell()
            for path, data in fresh.items():
                pack.write(data)
                self._where[path] = (offset, len(data))
                offset += len(data)
        changed = {p for p in keys if previous.get(p) != keys[p]} | set(fresh)
        if (
            compacted
            or not self._has_state
            or len(changed) > max(100, len(keys) // 5)
            or self._journal_lines > 200
        ):
            self._write_state()
        else:  # a small change: one journal line instead of rewriting the whole index
            line = {
                "set": {p: [keys[p], *self._where[p]] for p in sorted(changed) if p in self._where},
                "removed": removed,
            }
            with open(self.directory / JOURNAL, "a", encoding="utf-8") as journal:
                journal.write(json.dumps(line, separators=(",", ":")) + "\n")
            self._journal_lines += 1

    def _compact(self) -> None:
        keep = self.read_many(list(self._where))
        tmp = self._pack.with_suffix(".tmp")
        where = {}
        with open(tmp, "wb") as pack:
            for path in sorted(keep):
                where[path] = (pack.tell(), len(keep[path]))
                pack.write(keep[path])
        os.replace(tmp, self._pack)
        self._where = where

    def _write_state(self) -> None:
        assert self.directory is not None
        outputs = {
            p: [self.keys[p], *self._where[p]] for p in sorted(self.keys) if p in self._where
        }
        state = {"format": STATE_FORMAT, "extras": self.extras, "outputs": outputs}
        tmp = self.directory / "state.json.tmp"
        tmp.write_text(json.dumps(state, separators=(",", ":")), "utf-8")
        os.replace(tmp, self.directory / "state.json")
        (self.directory / JOURNAL).unlink(missing_ok=True)
        self._journal_lines = 0
        self._has_state = True


class SiteFiles(Mapping[str, bytes]):
    """Every output of a render: fresh bytes in memory, unchanged ones read from the store on demand."""

    def __init__(self, paths: list[str], fresh: Mapping[str, bytes], store: OutputStore):
        self._paths = paths
        self._set = frozenset(paths)
        self._fresh = fresh
        self._store = store

    def __getitem__(self, path: str) -> bytes:
        if path not in self._set:
            raise KeyError(path)
        if path in self._fresh:
            return self._fresh[path]
        return self._store.read(path)

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)

    def __contains__(self, path: object) -> bool:
        return path in self._set

    def items(self) -> ItemsView[str, bytes]:
        """(path, bytes) for every output, reading the store in one pass."""
        return self.materialise().items()

    def values(self) -> ValuesView[bytes]:
        return self.materialise().values()

    def materialise(self) -> dict[str, bytes]:
        """All bytes as a plain dict (one pass over the pack)."""
        rest = self._store.read_many([p for p in self._paths if p not in self._fresh])
        return {p: self._fresh[p] if p in self._fresh else rest[p] for p in self._paths}
