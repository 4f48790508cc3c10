"""The collector's ASGI application: `make_app(settings)` builds it (the CLI, uvicorn workers and tests).

Lifespan: at start the database is opened (unless the process already did) and the page-view writer
starts; at shutdown (uvicorn's SIGTERM handling waits for requests in flight first) the writer stores
everything still buffered before the process exits.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from anyio import to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bgpub.collector import api, beacon, checkout, forms, hooks
from bgpub.collector.access_log import AccessLog
from bgpub.collector.batching import WriteBuffer, write_with_retry
from bgpub.collector.guards import RateLimits
from bgpub.collector.settings import CollectorSettings
from bgpub.domain.collector import CollectorSite
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
        self.views = WriteBuffer(
            lambda rows: services.record_views(rows, settings.view_rate),
            services.forget_connection,
            max_rows=settings.flush_rows,
            max_delay=settings.flush_seconds,
            retry_seconds=settings.retry_seconds,
        )
        self.counters: Counter[str] = Counter()
        self.stopping = False
        self.country_of = services.open_geoip(settings.geoip_db)  # None: no country is recorded
        self._sites: dict[str, tuple[float, Any]] = {}  # a project, or the NotFound it raised
        self._salt: tuple[Any, str] | None = None
        self.api_keys: dict[
            str, tuple[float, Any]
        ] = {}  # checked Bearer keys (see api.principal_of)

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

    async def write(self, call: Callable[[], Any]) -> Any:
        """A database call on a worker thread, retried while the database is away."""
        return await run_in_threadpool(
            write_with_retry, call, self.settings.retry_seconds, self.services.forget_connection
        )

    def notify(self, site: CollectorSite, event: str, payload: dict[str, Any]) -> None:
        """E-mail after the answer was sent (a failure is logged, the submission is already stored)."""
        try:
            self.services.notify(site.id, event, payload)
        except Exception as exc:  # an unreachable mail server must not surface anywhere else
            log.warning("notification %s for project %s failed: %s", event, site.id, exc)


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    collector: Collector = request.app.state.collector
    if collector.stopping:
        return JSONResponse({"status": "stopping"}, status_code=503)
    ready = await run_in_threadpool(collector.services.database_ready)
    return JSONResponse(
        {"status": "ready" if ready else "database unavailable"}, status_code=200 if ready else 503
    )


def make_app(
    settings: CollectorSettings | None = None, services: type[Services] = Services
) -> Starlette:
    settings = settings or CollectorSettings()
    collector = Collector(settings, services)

    @asynccontextmanager
    async def lifespan(app: Starlette):
        # Peewee keeps one connection per thread: the threads running database calls are the
        # process's connections (anyio's default, 40, times N workers would crowd a shared server)
        to_thread.current_default_thread_limiter().total_tokens = settings.db_threads
        if settings.database_url:
            from bgpub.services.workspace import open_workspace

            await asyncio.to_thread(open_workspace, settings.database_url)
        await collector.views.start()
        try:
            yield
        finally:
            collector.stopping = True
            await collector.views.close()
            log.info(
                "stopped: %d page views stored in %d batches",
                collector.views.written,
                collector.views.batches,
            )

    routes = [
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/f/{project}/{name}", forms.submit_form, methods=["POST"]),
        Route("/c/{project}/{name}", forms.submit_comment, methods=["POST"]),
        Route("/f/{project}/{name}", forms.preflight, methods=["OPTIONS"]),
        Route("/c/{project}/{name}", forms.preflight, methods=["OPTIONS"]),
        Route("/v/{project}", beacon.page_view, methods=["GET", "POST"]),
        Route("/hooks/stripe", hooks.stripe, methods=["POST"]),
        Route("/checkout", checkout.checkout, methods=["POST"]),
        *api.routes(),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    app.add_middleware(AccessLog)
    app.state.collector = collector
    return app


def app_from_environment() -> Starlette:
    """The factory uvicorn's worker processes call (`--workers N`): settings come from the environment,
    and the worker sets up the JSON access log itself (a spawned process inherits no handlers)."""
    from bgpub.collector.server import configure_logging

    configure_logging()
    return make_app(CollectorSettings.from_environment())
