"""What the collector caches and records: a project as it sees it and a page view ready to insert;
plain values, so no row crosses into the collector's request handlers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class CollectorSite:
    """A project as the collector sees it (a plain value: cached across requests)."""

    id: str
    name: str
    organization: str
    origins: frozenset[str]  # scheme://host[:port] the project's pages are served from; empty: any
    secret: str
    collector_url: str

    @property
    def ref(self) -> str:
        return f"{self.organization}/{self.name}"


@dataclass(frozen=True)
class ViewRecord:
    """One accepted page view, ready to insert (its id is fixed before the first write attempt)."""

    id: str
    project_id: str
    path: str
    referrer: str | None
    utm_source: str | None
    device: str
    visitor: str
    timestamp: datetime
    country: str | None = None  # ISO code from a local GeoIP database, when one is configured
    rate_key: str | None = None  # the client's counter this minute (services.rate_limits)
