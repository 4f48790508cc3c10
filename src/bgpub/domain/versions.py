"""Published versions as front ends show them: the history, a diff between two, a publish's outcome."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bgpub.domain.enums import DeploymentStatus


@dataclass(frozen=True)
class VersionRow:
    """One published version in the project's history."""

    number: int
    created_at: datetime | None
    author: str
    message: str
    is_live: bool = False
    page_count: int = 0
    file_count: int = 0


@dataclass(frozen=True)
class DiffSummary:
    """What differs between two versions (or a version and the draft)."""

    pages_added: tuple[str, ...] = ()
    pages_removed: tuple[str, ...] = ()
    pages_changed: tuple[str, ...] = ()
    files_added: int = 0
    files_changed: int = 0
    files_removed: int = 0
    site_changed: tuple[str, ...] = ()  # site-wide fields: theme, settings...
    files: tuple[
        tuple[str, str], ...
    ] = ()  # (mark, path) of every file that differs: + added, ~ changed, - removed


@dataclass(frozen=True)
class PublishOutcome:
    """What one publish did: the version, where it went, how much changed, how long it took."""

    version: int
    target: str
    location: str  # URL or path
    files_changed: int
    seconds: float


@dataclass
class DeploymentResult:
    """What one deploy target did in a publish or rollback."""

    target: str
    kind: str
    status: str
    files_sent: int = 0
    bytes_sent: int = 0
    seconds: float = 0.0
    error: str | None = None
    location: str = ""


@dataclass
class PublishResult:
    """What a publish, dry run or rollback did; `as_dict()` is the --json output."""

    project: str
    version: int | None
    dry_run: bool = False
    rollback: bool = False
    pages: int = 0
    files: int = 0
    bytes: int = 0
    rendered: int = 0
    new_blobs: int = 0
    new_blob_bytes: int = 0
    diff: dict[str, dict[str, list[str]]] = field(default_factory=dict)
    deployments: list[DeploymentResult] = field(default_factory=list)
    seconds: float = 0.0
    base_url: str = ""
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.dry_run or (
            bool(self.deployments)
            and all(d.status == DeploymentStatus.SUCCEEDED for d in self.deployments)
        )

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["deployments"] = [dict(d.__dict__) for d in self.deployments]
        data["ok"] = self.ok
        return data
