"""A project's visit statistics as the editor and the API show them: plain values."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Ranked:
    """A page, referrer, source, device or country with its views and visitors."""

    name: str
    views: int
    visitors: int


@dataclass(frozen=True)
class DayCount:
    """One day's visitors and page views."""

    day: str  # YYYY-MM-DD (UTC)
    visits: int  # distinct visitors that day
    views: int


@dataclass(frozen=True)
class ProjectStats:
    """What `bgpub stats`, the editor and the API report for a span of days."""

    project: str
    days: int
    since: str
    views: int
    visitors: int  # the sum of each day's distinct visitors (hashes do not link days)
    per_day: list[DayCount]
    pages: list[Ranked]
    referrers: list[Ranked]
    sources: list[Ranked]
    devices: list[Ranked]
    countries: list[Ranked]
    forms: dict[str, int] = field(default_factory=dict)
    comments_pending: int = 0

    def as_json(self) -> dict[str, Any]:
        return asdict(self)
