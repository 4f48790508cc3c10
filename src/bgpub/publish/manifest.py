"""Manifests ({path: [sha256, size]}) and the file-level diff between two of them."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

Manifest = dict[str, list[Any]]  # output path -> [sha256 hex, size in bytes]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_manifest(files: Mapping[str, bytes]) -> Manifest:
    """The manifest of a rendered site: every output path with the hash and size of its bytes."""
    return {path: [digest(data), len(data)] for path, data in sorted(files.items())}


def manifest_hashes(manifest: Mapping[str, list[Any]]) -> set[str]:
    return {entry[0] for entry in manifest.values()}


def manifest_bytes(manifest: Mapping[str, list[Any]]) -> int:
    return sum(entry[1] for entry in manifest.values())


@dataclass(frozen=True)
class FileDiff:
    """What changes on a site going from one manifest to another."""

    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.changed or self.removed)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.changed) + len(self.removed)

    def as_dict(self) -> dict[str, list[str]]:
        return {
            "added": list(self.added),
            "changed": list(self.changed),
            "removed": list(self.removed),
        }


def diff_manifests(old: Mapping[str, list[Any]] | None, new: Mapping[str, list[Any]]) -> FileDiff:
    """Paths added, changed (other bytes) and removed from `old` to `new`; `None` means nothing live."""
    old = old or {}
    added = sorted(p for p in new if p not in old)
    changed = sorted(p for p in new if p in old and old[p][0] != new[p][0])
    removed = sorted(p for p in old if p not in new)
    return FileDiff(tuple(added), tuple(changed), tuple(removed))
