"""The collector's ASGI application: `make_app(settings)` builds it (the CLI, uvicorn workers and tests).

Lifespan: at start the database is opened (unless the process already did) and the page-view writer
starts; at shutdown (uvicorn's SIGTERM handling waits for requests in flight first) the writer stores
everything still buffered before the process exits.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from bgpub.collector import api, beacon, checkout, forms, hooks
from bgpub.collector.access_log import AccessLog
from bgpub.collector.settings import CollectorSettings
from bgpub.collector.state import Collector, Services, collector_of

log = logging.getLogger("bgpub.collect")


async def healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    collector = collector_of(request)
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
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
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
