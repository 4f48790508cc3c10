"""One published file compared between two versions: a unified text diff (or sizes, for binary files),
read from the versions' manifests and the blob store."""

from __future__ import annotations

import difflib

from bgpub.db.models import Project, User
from bgpub.errors import NotFound
from bgpub.services import blobs
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require
from bgpub.services.versions import get_version

MAX_LINES = 2000  # of diff shown; a longer one says how much was left out


def _text(data: bytes | None) -> list[str] | None:
    if data is None:
        return []
    try:
        return data.decode("utf-8").splitlines(keepends=True)
    except UnicodeDecodeError:
        return None


def file_diff(actor: User, project: str | Project, old: int, new: int, path: str) -> str:
    """The diff of `path` from version `old` to version `new` (added or removed files too)."""
    record = find_project(actor, project)
    require(actor, record.organization, Action.READ)
    before = (get_version(record, old).manifest or {}).get(path)
    after = (get_version(record, new).manifest or {}).get(path)
    if before is None and after is None:
        raise NotFound(
            f"no file {path!r} in version {old} or {new}", where=f"project {record.name}"
        )
    old_bytes = blobs.get(before[0]) if before else None
    new_bytes = blobs.get(after[0]) if after else None
    old_lines, new_lines = _text(old_bytes), _text(new_bytes)
    if old_lines is None or new_lines is None:
        sizes = [f"{len(b)} bytes" if b is not None else "absent" for b in (old_bytes, new_bytes)]
        return f"binary file {path}: version {old} {sizes[0]}, version {new} {sizes[1]}\n"
    lines = list(difflib.unified_diff(old_lines, new_lines, f"v{old}/{path}", f"v{new}/{path}"))
    if not lines:
        return f"{path}: the same in versions {old} and {new}\n"
    shown = "".join(line if line.endswith("\n") else line + "\n" for line in lines[:MAX_LINES])
    if len(lines) > MAX_LINES:
        shown += f"… {len(lines) - MAX_LINES} more diff line(s) not shown\n"
    return shown
