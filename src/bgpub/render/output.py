"""Writing a render result into a folder: only new or changed files, stale ones removed."""

from __future__ import annotations

import os
import secrets
import shutil
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from bgpub.errors import RenderError

if TYPE_CHECKING:
    from bgpub.render.incremental import RenderResult


class FolderWriter:
    """Writes outputs into a folder, each through a temporary name and a rename (no half pages).

    With `staged=True`, files wait under `<name>.bgpub-new` until `commit()` renames them all into
    place; `abort()` removes them, so a render that fails half-way leaves the folder as it was.
    A staged writer into a folder that does not exist yet (a first build) writes the files under
    their own names into a new folder beside it, renamed into place whole by `commit()`: one rename
    instead of one a file (20,000 for a 10,000-page site, issue 18).
    """

    SUFFIX = ".bgpub-new"

    def __init__(self, root: str | Path, staged: bool = False):
        self.root = Path(root)
        self.staged = staged
        self.written: set[str] = set()
        self._base = os.fspath(self.root)
        self._made: set[str] = set()
        self._pending: list[tuple[str, str]] = []
        self._fresh: str | None = None  # the new folder beside `root` this writer fills

    def write(self, files: Mapping[str, bytes]) -> None:
        # Plain strings and os calls: pathlib's joins and parsing were a third of the parent's
        # 11 s writing 10,000 files in a cold build (bench/README.md, issue 18).
        if not files:
            return
        if self.staged and not self.written and not self._pending and self._fresh is None:
            self._start_fresh()
        base, made, staged, suffix = self._base, self._made, self.staged, self.SUFFIX
        fresh = self._fresh is not None
        for path, data in files.items():
            target = f"{base}/{path}"
            parent = target.rpartition("/")[0]
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            tmp = target if fresh else target + suffix
            try:
                with open(tmp, "wb", buffering=0) as handle:
                    handle.write(data)
                if fresh:  # the whole folder is renamed into place
                    pass
                elif staged:
                    self._pending.append((tmp, target))
                else:
                    os.replace(tmp, target)
            except OSError as exc:
                self.abort()
                raise RenderError(f"cannot write: {exc.strerror}", where=target) from exc
            self.written.add(path)

    def _start_fresh(self) -> None:
        """Writes into a new folder beside `root` when `root` does not exist yet."""
        root = os.path.abspath(self._base)
        if os.path.lexists(root):
            return
        folder, name = os.path.split(root)
        os.makedirs(folder, exist_ok=True)
        while True:
            fresh = os.path.join(folder, f".{name}{self.SUFFIX}-{secrets.token_hex(4)}")
            try:
                os.mkdir(fresh)
            except FileExistsError:
                continue
            break
        self._fresh = self._base = fresh

    def commit(self) -> None:
        fresh = self._fresh
        if fresh is not None:
            self._fresh, self._base, self._made = None, os.fspath(self.root), set()
            try:  # onto nothing, or onto an empty folder made meanwhile
                os.rename(fresh, self._base)
            except OSError:  # files appeared there meanwhile: each file into place instead
                self._pending = [(f"{fresh}/{p}", f"{self._base}/{p}") for p in self.written]
                for _, target in self._pending:
                    os.makedirs(target.rpartition("/")[0], exist_ok=True)
            else:
                return
        for tmp, target in self._pending:
            os.replace(tmp, target)
        self._pending.clear()
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)

    def abort(self) -> None:
        if self._fresh is not None:
            shutil.rmtree(self._fresh, ignore_errors=True)
            self._fresh, self._base, self._made = None, os.fspath(self.root), set()
        for tmp, _ in self._pending:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
        self._pending.clear()
        self.written.clear()


def _differs(target: str, data: bytes) -> bool:
    try:
        if os.path.getsize(target) != len(data):
            return True
        with open(target, "rb") as handle:
            return handle.read() != data
    except OSError:
        return True


def write_output(
    out_dir: str | Path,
    result: RenderResult,
    prune: bool = False,
    already: Collection[str] = (),
    verify: bool = True,
) -> int:
    """Writes `result.rendered` plus any output missing from `out_dir`, deletes `result.removed`.

    `already` names outputs written during the render (see `Renderer.render(out_dir=...)`);
    `verify` (the default) also rewrites any unchanged output whose file is missing or differs (the
    folder may hold another build); `verify=False` trusts the folder (this cache wrote it last). With
    `prune`, also deletes every other file in `out_dir` except under dot-folders (such as the render
    cache): use it when the folder may hold files of a build this renderer never saw.
    Returns the number of files written.
    """
    root = Path(out_dir)
    writer = FolderWriter(root)
    rendered = set(result.rendered)
    done = set(already)
    if verify:
        base = str(root) + os.sep
        todo = [
            p
            for p in result.files
            if p not in done and (p in rendered or _differs(base + p, result.files[p]))
        ]
    else:
        todo = [p for p in result.rendered if p not in done]
    for path in todo:
        writer.write({path: result.files[path]})
    stale = list(result.removed)
    if prune and root.is_dir():
        for found in root.rglob("*"):
            rel = found.relative_to(root)
            if (
                found.is_file()
                and not rel.parts[0].startswith(".")
                and rel.as_posix() not in result.files
            ):
                stale.append(rel.as_posix())
    for path in stale:
        target = root / path
        try:
            target.unlink(missing_ok=True)
            parent = target.parent
            while parent != root and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent
        except OSError:
            continue
    return len(todo)
