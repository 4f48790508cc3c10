"""Published versions as front ends show them: the history, a diff between two, a publish's outcome."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


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
