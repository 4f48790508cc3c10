"""The collector's knobs, shared by the CLI, the app factory and the tests."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

ENV_PREFIX = "BGPUB_COLLECT_"
T = TypeVar("T")


@dataclass(frozen=True)
class CollectorSettings:
    """Defaults suit one small site; every field can be set by `BGPUB_COLLECT_<NAME>` (for workers)."""

    database_url: str | None = None  # None: the process already opened the database (tests)
    min_fill_seconds: float = 3.0  # a form sent sooner after the page loaded is a bot's
    max_body_bytes: int = 64 * 1024  # forms and comments; beacons get 4 KiB
    form_rate: int = 10  # submissions per client and project per minute
    view_rate: int = 240  # page views per client and project per minute
    flush_rows: int = 500  # a batch of page views is written at this size...
    flush_seconds: float = 0.05  # ...or this long after its first row (at most 1 s)
    retry_seconds: float = 15.0  # how long a write is retried while the database is away
    site_cache_seconds: float = 30.0  # a project's origins and key are re-read this often
    db_threads: int = 8  # threads (so database connections) for calls other than the view writer's
    geoip_db: str | None = None  # a MaxMind .mmdb country database; without one no country is kept

    def __post_init__(self) -> None:
        if not 0 < self.flush_seconds <= 1:
            raise ValueError("flush_seconds must be in (0, 1]")

    @classmethod
    def from_environment(cls) -> CollectorSettings:
        """Settings for a worker process uvicorn started (it cannot be handed Python objects)."""
        default = cls()
        return cls(
            database_url=_read("database_url", str, os.environ.get("BGPUB_DATABASE_URL")),
            min_fill_seconds=_read("min_fill_seconds", float, default.min_fill_seconds),
            max_body_bytes=_read("max_body_bytes", int, default.max_body_bytes),
            form_rate=_read("form_rate", int, default.form_rate),
            view_rate=_read("view_rate", int, default.view_rate),
            flush_rows=_read("flush_rows", int, default.flush_rows),
            flush_seconds=_read("flush_seconds", float, default.flush_seconds),
            retry_seconds=_read("retry_seconds", float, default.retry_seconds),
            site_cache_seconds=_read("site_cache_seconds", float, default.site_cache_seconds),
            db_threads=_read("db_threads", int, default.db_threads),
            geoip_db=_read("geoip_db", str, os.environ.get("BGPUB_GEOIP_DB") or None),
        )

    def environment(self) -> dict[str, str]:
        return {
            ENV_PREFIX + name.upper(): str(getattr(self, name))
            for name in self.__dataclass_fields__
            if getattr(self, name) is not None
        }


def _read(name: str, kind: Callable[[str], T], default: T) -> T:
    """The field `name` from `BGPUB_COLLECT_<NAME>`, converted by `kind`; `default` when unset."""
    raw = os.environ.get(ENV_PREFIX + name.upper())
    return default if raw is None else kind(raw)
