"""Writing a render result into a folder: only new or changed files, stale ones removed."""

from __future__ import annotations

import os
from pathlib import Path

from bgpub.errors import RenderError
from bgpub.render.incremental import RenderResult


def write_output(out_dir: str | Path, result: RenderResult, prune: bool = False) -> int:
    """Writes `result.rendered` plus any output missing from `out_dir`, deletes `result.removed`.

    With `prune`, also deletes every other file in `out_dir` except under dot-folders (such as the
    render cache): use it when the folder may hold files of a build this renderer never saw.
    Each file is written to a temporary name and renamed, so a reader never sees half a page.
    Returns the number of files written.
    """
    root = Path(out_dir)
    written = 0
    rendered = set(result.rendered)
    made: set[Path] = set()
    for path in result.files:
        target = root / path
        if path not in rendered and target.exists():
            continue
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        tmp = target.with_name(target.name + ".tmp")
        try:
            tmp.write_bytes(result.files[path])
            os.replace(tmp, target)
        except OSError as exc:
            raise RenderError(f"cannot write: {exc.strerror}", where=str(target)) from exc
        written += 1
    stale = list(result.removed)
    if prune and root.is_dir():
        for found in root.rglob("*"):
            rel = found.relative_to(root)
            if found.is_file() and not rel.parts[0].startswith(".") and rel.as_posix() not in result.files:
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
    return written
