"""The collector's per-process state (`app.state.collector`) and the typed way a handler reaches it.

Kept out of `app` so the handler modules `app` routes to can import its type without a cycle.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import TypeVar

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from bgpub.collector.batching import WriteBuffer, write_with_retry
from bgpub.collector.guards import RateLimits
from bgpub.collector.settings import CollectorSettings
from bgpub.domain.api_keys import ApiPrincipal
from bgpub.domain.collector import CollectorSite, ViewRecord
from bgpub.errors import NotFound
from bgpub.services import (
    collector_sites,
    comments,
    geoip,
    notifications,
    page_views,
    rate_limits,
    submissions,
)

T = TypeVar("T")
log = logging.getLogger("bgpub.collect")


class Services:
    """The service calls the collector makes (one place to see them; tests may replace one)."""

    find_site = staticmethod(collector_sites.find_site)
    record_submission = staticmethod(submissions.record_submission)
    record_comment = staticmethod(comments.record_comment)
    record_views = staticmethod(page_views.record_views)
    day_salt = staticmethod(page_views.day_salt)
    database_ready = staticmethod(collector_sites.database_ready)
    forget_connection = staticmethod(collector_sites.forget_connection)
    notify = staticmethod(notifications.notify_collected)
    rate_hit = staticmethod(rate_limits.hit)
    open_geoip = staticmethod(geoip.open_country_reader)


class Collector:
    """Per-process state: settings, caches, rate limiters and the page-view writer."""

    def __init__(self, settings: CollectorSettings, services: type[Services] = Services):
        self.settings = settings
        self.services = services
        self.limits = RateLimits()
        self.views: WriteBuffer[ViewRecord] = WriteBuffer(
            lambda rows: services.record_views(rows, settings.view_rate),
            services.forget_connection,
            max_rows=settings.flush_rows,
            max_delay=settings.flush_seconds,
            retry_seconds=settings.retry_seconds,
        )
        self.counters: Counter[str] = Counter()
        self.stopping = False
        self.country_of = services.open_geoip(settings.geoip_db)  # None: no country is recorded
        # a project, or the NotFound it raised
        self._sites: dict[str, tuple[float, CollectorSite | NotFound]] = {}
        self._salt: tuple[date, str] | None = None
        # checked Bearer keys (see api.principal_of)
        self.api_keys: dict[str, tuple[float, ApiPrincipal]] = {}

    async def site(self, ref: str) -> CollectorSite:
        now = time.monotonic()
        cached = self._sites.get(ref)
        if cached is not None and now - cached[0] < self.settings.site_cache_seconds:
            if isinstance(cached[1], NotFound):
                raise cached[
                    1
                ]  # unknown projects are remembered too: a flood of them costs no queries
            return cached[1]
        if len(self._sites) > 1000:
            self._sites.clear()
        try:
            site = await self.write(lambda: self.services.find_site(ref))
        except NotFound as exc:
            self._sites[ref] = (now, exc)
            raise
        self._sites[ref] = (now, site)
        return site

    async def salt(self) -> str:
        today = datetime.now(UTC).date()
        if self._salt is None or self._salt[0] != today:
            self._salt = (today, await self.write(lambda: self.services.day_salt(today)))
        return self._salt[1]

    async def over_limit(self, request: Request, scope: str, limit: int) -> bool:
        """One form post or comment counted against its client's limit (shared by every process)."""
        key = self.limits.key(await self.salt(), request, scope)
        if self.limits.blocked(key):
            return True
        window = rate_limits.window_of()
        if await self.write(lambda: self.services.rate_hit(key, limit, window)):
            return False
        self.limits.block(key)
        return True

    async def write(self, call: Callable[[], T]) -> T:
        """A database call on a worker thread, retried while the database is away."""
        return await run_in_threadpool(
            write_with_retry, call, self.settings.retry_seconds, self.services.forget_connection
        )

    def notify(self, site: CollectorSite, event: str, payload: dict[str, object]) -> None:
        """E-mail after the answer was sent (a failure is logged, the submission is already stored)."""
        try:
            self.services.notify(site.id, event, payload)
        except Exception as exc:  # an unreachable mail server must not surface anywhere else
            log.warning("notification %s for project %s failed: %s", event, site.id, exc)


def collector_of(request: Request) -> Collector:
    """The process's collector, which `make_app` put on the app's state (Starlette types it `Any`)."""
    collector: Collector = request.app.state.collector
    return collector
