"""`bgpub build`: render a project into a folder, re-rendering only what changed since the last build there.

The renderer's cache (previous outputs and their dependency keys) lives in the workspace, keyed by
the output folder, so the site folder holds nothing but the site. The whole site is rendered in
memory first, so a failed render leaves the folder as it was; files are then written one by one
through a temporary name and an atomic rename, and files of the previous build that are gone are
deleted (files bgpub did not write are never touched).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bgpub.config import workspace_dir
from bgpub.db.models import Project, User
from bgpub.domain.progress import Progress, Step
from bgpub.errors import Conflict, InvalidInput
from bgpub.render import BuildInfo
from bgpub.render.output import FolderWriter
from bgpub.render.pool import keep_renderer, take_renderer
from bgpub.render.store import output_size
from bgpub.services import blobs, posts
from bgpub.services.collector import collector_paused
from bgpub.services.form_checks import snapshot_forms_going_nowhere
from bgpub.services.library import current_library, current_themes
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require
from bgpub.services.renditions import StoredImages
from bgpub.services.snapshots import snapshot_of
from bgpub.services.sources import render_workers

WRITTEN = "written.json"  # path -> size of every file the last build wrote into the folder
RENDERERS_KEPT = 4
STAGE_MIN = 400  # pages from which writing overlaps rendering


@dataclass(frozen=True)
class BuildReport:
    pages: int
    files: int
    bytes: int
    seconds: float
    rendered: int  # outputs rendered anew (the rest came from the previous build)
    written: int  # files written to the folder
    deleted: int
    out_dir: Path
    rendered_paths: tuple[str, ...] = ()
    # forms posting to a placeholder address (`form_checks`), found in the snapshot the build read
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        return (
            f"{self.pages} pages, {self.files} files, {self.bytes} bytes in {self.seconds:.2f} s "
            f"({self.rendered} rendered, {self.written} written, {self.deleted} deleted) -> {self.out_dir}"
        )


def cache_dir_for(out_dir: Path) -> Path:
    """The renderer's cache of builds into `out_dir`: `<workspace>/cache/build/<hash of the path>/`."""
    key = hashlib.sha256(str(out_dir.resolve()).encode()).hexdigest()[:20]
    return workspace_dir() / "cache" / "build" / key


_WRITTEN_MEMO: dict[
    str, tuple[tuple[Any, ...], dict[str, int]]
] = {}  # what this process last saved, by file


def _written_stamp(path: Path) -> tuple[Any, ...]:
    try:
        info = os.stat(path)
    except OSError:
        return ()
    return (info.st_mtime_ns, info.st_size, info.st_ino)


def _read_written(cache: Path) -> dict[str, int]:
    path = cache / WRITTEN
    known = _WRITTEN_MEMO.get(str(path))
    if known is not None and known[0] and known[0] == _written_stamp(path):
        return dict(known[1])  # this process wrote it last: no need to parse it again
    try:
        data = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return {p: int(n) for p, n in data.items()} if isinstance(data, dict) else {}


def _save_written(cache: Path, written: dict[str, int]) -> None:
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache / (WRITTEN + ".tmp")
    tmp.write_text(json.dumps(written, sort_keys=True, separators=(",", ":")), "utf-8")
    os.replace(tmp, cache / WRITTEN)
    _WRITTEN_MEMO[str(cache / WRITTEN)] = (_written_stamp(cache / WRITTEN), dict(written))
    while len(_WRITTEN_MEMO) > RENDERERS_KEPT:
        _WRITTEN_MEMO.pop(next(iter(_WRITTEN_MEMO)))


def _safe_target(root: str, relative: str) -> str:
    """`root/relative` for a renderer output path; refuses absolute paths and `..` (string checks only:
    this runs for every file of every build)."""
    if (
        not relative
        or relative[0] == "/"
        or "\\" in relative
        or "//" in relative
        or relative[-1] == "/"
        or any(p in (".", "..") for p in relative.split("/"))
    ):
        raise InvalidInput(f"output path {relative!r} leaves the output folder", where=root)
    return os.path.join(root, relative)


def _write_file(target: str, data: bytes, made: set[str]) -> None:
    folder, name = os.path.split(target)
    if folder not in made:
        os.makedirs(folder, exist_ok=True)
        made.add(folder)
    tmp = os.path.join(folder, f".{name}.bgpub-tmp")
    with open(tmp, "wb") as out:
        out.write(data)
    os.replace(tmp, target)


def _prune_empty_dirs(root: Path, start: Path) -> None:
    current = start
    while current != root and root in current.parents:
        try:
            current.rmdir()
        except OSError:
            return
        current = current.parent


def check_out_dir(out_dir: str | Path) -> Path:
    root = Path(out_dir).expanduser()
    if root.exists() and not root.is_dir():
        raise InvalidInput("exists and is not a folder", where=str(root))
    if root.resolve() == Path.home().resolve() or root.resolve() == Path("/"):
        raise InvalidInput(
            "refusing to build into your home folder or /; choose a site folder", where=str(root)
        )
    return root


def build_project(
    actor: User,
    project: str | Project,
    out_dir: str | Path,
    *,
    progress: Progress | None = None,
    base_url: str | None = None,
    cache_dir: str | Path | None = None,
) -> BuildReport:
    """Renders the project into `out_dir`; a second build there re-renders only what changed."""
    started = time.perf_counter()
    report = progress or _ignore
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    root = check_out_dir(out_dir)
    cache = Path(cache_dir) if cache_dir is not None else cache_dir_for(root)
    with _exclusive(cache, root), collector_paused():
        return _build(project, root, cache, report, base_url, started)


def _ignore(step: Step) -> None:
    """The progress of a build nobody watches."""


@contextmanager
def _exclusive(cache: Path, root: Path) -> Iterator[None]:
    """One build at a time into a folder (an OS lock on the cache, released even if the process dies)."""
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / "lock", "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise Conflict("another build into this folder is running", where=str(root)) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(
    project: Project,
    root: Path,
    cache: Path,
    report: Progress,
    base_url: str | None,
    started: float,
) -> BuildReport:
    report(Step("snapshot", 0, 1))
    snapshot = snapshot_of(project)
    report(Step("render", 0, 1))
    # a running process keeps its Renderer (compiled templates, page keys, output index) between builds
    renderer = take_renderer(
        current_library(),
        current_themes(),
        blobs.get,
        cache / "render",
        # encoded images cached in the workspace database, except drawn share cards: remade in the
        # workers for less than storing them costs here (services/renditions.py)
        images=StoredImages(project.organization_id, keep_drawn=False),
        workers=render_workers(),
    )
    base = str(root)
    # pages are written (under temporary names) while the next ones render; renamed into place only
    # once the whole render succeeded, so a failed render leaves the folder as it was
    staged = FolderWriter(root, staged=True)

    def stage(chunk: dict[str, bytes]) -> None:
        for path in chunk:
            _safe_target(base, path)
        staged.write(chunk)

    try:
        result = renderer.render(
            snapshot,
            BuildInfo(base_url=base_url or "", now=posts.build_time()),
            on_rendered=stage if len(snapshot.pages) >= STAGE_MIN else None,
        )
    except BaseException:
        staged.abort()
        raise
    keep_renderer(renderer)
    previous = _read_written(cache)
    rendered = set(result.rendered)
    paths = list(result.files)
    todo = []
    stat = os.stat
    prefix = base + os.sep
    for path in paths:
        size = previous.get(path)
        if path in rendered or size is None:
            todo.append(path)
            continue
        try:  # the renderer's own paths; checked by _safe_target before anything is written
            if stat(prefix + path).st_size != size:
                todo.append(path)
        except OSError:
            todo.append(path)
    root.mkdir(parents=True, exist_ok=True)
    written = {p: n for p, n in previous.items() if p in result.files}
    gone = sorted(set(previous) - set(result.files))
    if (
        todo or gone
    ):  # until this build completes, the folder's state is unknown: rewrite all next time
        (cache / WRITTEN).unlink(missing_ok=True)
    report(Step("write", 0, len(todo)))
    staged.commit()
    made: set[str] = set()
    for done, path in enumerate(todo, start=1):
        if path in staged.written:  # its length is enough: no need to read its bytes back
            written[path] = output_size(result.files, path)
        else:
            data = result.files[path]
            _write_file(_safe_target(base, path), data, made)
            written[path] = len(data)
        if done % 200 == 0 or done == len(todo):
            report(Step("write", done, len(todo)))
    for path in gone:
        target = Path(_safe_target(base, path))
        try:
            target.unlink()
        except FileNotFoundError:
            pass
        _prune_empty_dirs(root, target.parent)
    _save_written(cache, written)
    total = sum(written.values())
    report(Step("done", 1, 1))
    return BuildReport(
        pages=len(snapshot.pages) + len(snapshot.posts),
        files=len(paths),
        bytes=total,
        seconds=time.perf_counter() - started,
        rendered=len(result.rendered),
        written=len(todo),
        deleted=len(gone),
        out_dir=root,
        rendered_paths=tuple(result.rendered),
        warnings=tuple(snapshot_forms_going_nowhere(snapshot, project.settings or {})),
    )
