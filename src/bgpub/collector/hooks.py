"""`POST /hooks/stripe`: signature-verified Stripe events (see services.stripe_events).

Anything unsigned, forged, re-timestamped or older than five minutes gets 400 and writes nothing; a
verified event is applied once (a retry answers 200 `duplicate`, so Stripe stops retrying). The
project's `order.created` webhooks are delivered after the answer, off the request.
"""

from __future__ import annotations

from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse

from bgpub.collector.intake import BodyTooLarge, read_body
from bgpub.collector.state import collector_of
from bgpub.domain.orders import EventOutcome
from bgpub.errors import InvalidInput, PermissionDenied
from bgpub.services.stripe_events import apply_stripe_event, run_after_commit, verify_stripe_event

MAX_EVENT = 512 * 1024


async def stripe(request: Request) -> JSONResponse:
    collector = collector_of(request)
    try:
        body = await read_body(request, MAX_EVENT)
    except BodyTooLarge:
        return JSONResponse({"error": "too large"}, status_code=413)
    header = request.headers.get("stripe-signature", "")

    def handle() -> EventOutcome:
        project_id, event = verify_stripe_event(body, header)
        return apply_stripe_event(project_id, event)

    try:
        result = await collector.write(handle)
    except (PermissionDenied, InvalidInput) as exc:
        return JSONResponse({"error": exc.message}, status_code=400)
    task = (
        BackgroundTask(run_in_threadpool, run_after_commit, result) if result.after_commit else None
    )
    return JSONResponse({"received": True, "outcome": result.outcome}, background=task)
