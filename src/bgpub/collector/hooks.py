"""`POST /hooks/stripe`: signature-verified Stripe events (see services.stripe_events)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse

from bgpub.collector.intake import BodyTooLarge, read_body
from bgpub.errors import InvalidInput, PermissionDenied
from bgpub.services.stripe_events import apply_stripe_event, verify_stripe_event

MAX_EVENT = 512 * 1024


async def stripe(request: Request) -> JSONResponse:
    collector = request.app.state.collector
    try:
        body = await read_body(request, MAX_EVENT)
    except BodyTooLarge:
        return JSONResponse({"error": "too large"}, status_code=413)
    header = request.headers.get("stripe-signature", "")

    def handle() -> str:
        project_id, event = verify_stripe_event(body, header)
        return apply_stripe_event(project_id, event)

    try:
        outcome = await collector.write(handle)
    except PermissionDenied as exc:
        return JSONResponse({"error": exc.message}, status_code=400)
    except InvalidInput as exc:
        return JSONResponse({"error": exc.message}, status_code=400)
    return JSONResponse({"received": True, "outcome": outcome})
