"""History: the versions of a project, the diff between two, and pruning old versions and their bytes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from peewee import JOIN

from bgpub.db.connection import database
from bgpub.db.models import Asset, Blob, Project, User, Version
from bgpub.db.rows import tuple_rows
from bgpub.errors import InvalidInput, NotFound
from bgpub.publish.diff import diff_pages
from bgpub.publish.history import record_hashes, restore_snapshot
from bgpub.publish.manifest import diff_manifests, manifest_hashes
from bgpub.services import audit, blobs
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require
from bgpub.services.publishing import blob_store_lock, project_lock
from bgpub.services.targets import live_versions
from bgpub.snapshot import ProjectSnapshot

DELETE_BATCH = 500


@dataclass(frozen=True)
class VersionView:
    number: int
    created_at: datetime
    author: str
    message: str
    pages: int
    files: int
    bytes: int
    live_on: list[str]

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["created_at"] = self.created_at.isoformat(timespec="seconds") + "Z"
        return data


@dataclass(frozen=True)
class VersionDiff:
    old: int
    new: int
    pages: dict[str, list[str]]
    files: dict[str, list[str]]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class PruneReport:
    versions_removed: list[int]
    blobs_removed: int
    bytes_freed: int


def list_versions(actor: User, project: str | Project) -> list[VersionView]:
    """Newest first, with the targets each version is live on."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    live: dict[int, list[str]] = {}
    for target, number in live_versions(project).items():
        live.setdefault(number, []).append(target)
    rows = tuple_rows(
        Version.select(
            Version.number,
            Version.created_at,
            Version.message,
            Version.page_count,
            Version.file_count,
            Version.total_bytes,
            User.email,
        )
        .join(User, on=(Version.author == User.id), join_type=JOIN.LEFT_OUTER)
        .where(Version.project == project)
        .order_by(Version.number.desc())
    )
    return [
        VersionView(n, created, email or "", message, pages, files, size, sorted(live.get(n, [])))
        for n, created, message, pages, files, size, email in rows
    ]


def get_version(project: Project, number: int) -> Version:
    version = Version.get_or_none((Version.project == project) & (Version.number == number))
    if version is None:
        raise NotFound(
            f"no version {number} (see 'bgpub versions {project.name}')",
            where=f"project {project.name}",
        )
    return version


def version_snapshot(actor: User, project: str | Project, number: int) -> ProjectSnapshot:
    """The full snapshot version `number` was rendered from."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    return restore_snapshot(get_version(project, number).snapshot, blobs.get_many)


def diff_versions(actor: User, project: str | Project, old: int, new: int) -> VersionDiff:
    """Pages added, removed and changed between two versions' snapshots, and the files that differ."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    a, b = get_version(project, old), get_version(project, new)
    pages = diff_pages(a.snapshot, b.snapshot)
    files = diff_manifests(a.manifest, b.manifest).as_dict()
    return VersionDiff(old, new, pages, files)


def _referenced_hashes() -> set[str]:
    """Every blob a remaining version (of any project) or any asset still needs."""
    needed = {h for (h,) in tuple_rows(Asset.select(Asset.hash))}
    for manifest, record in tuple_rows(Version.select(Version.manifest, Version.snapshot)):
        needed.update(manifest_hashes(manifest or {}))
        needed.update(record_hashes(record))
    return needed


def prune_versions(actor: User, project: str | Project, keep: int) -> PruneReport:
    """Removes all but the newest `keep` versions (never one that is live) and the blobs nothing needs."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.PUBLISH)
    if keep < 1:
        raise InvalidInput("--keep must be at least 1", where=f"project {project.name}")
    with project_lock(project), blob_store_lock(shared=False):
        live = set(live_versions(project).values())
        numbers = [
            n
            for (n,) in tuple_rows(
                Version.select(Version.number)
                .where(Version.project == project)
                .order_by(Version.number.desc())
            )
        ]
        doomed = [n for n in numbers[keep:] if n not in live]
        if not doomed:
            return PruneReport([], 0, 0)
        rows = list(
            Version.select(Version.id, Version.manifest, Version.snapshot).where(
                (Version.project == project) & (Version.number.in_(doomed))
            )
        )
        candidates = set().union(
            *(manifest_hashes(r.manifest or {}) | record_hashes(r.snapshot) for r in rows)
        )
        with database.atomic():
            ids = {r.id for r in rows}
            Version.delete().where(Version.id.in_(list(ids))).execute()
            unused = sorted(candidates - _referenced_hashes())
            freed = 0
            for start in range(0, len(unused), DELETE_BATCH):
                chunk = unused[start : start + DELETE_BATCH]
                freed += sum(
                    s for (s,) in tuple_rows(Blob.select(Blob.size).where(Blob.id.in_(chunk)))
                )
                Blob.delete().where(Blob.id.in_(chunk)).execute()
            audit.record(
                actor,
                project.organization,
                "versions.prune",
                "project",
                project.id,
                {"project": project.name, "removed": sorted(doomed), "blobs": len(unused)},
            )
    return PruneReport(sorted(doomed), len(unused), freed)
