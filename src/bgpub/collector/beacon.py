"""`GET|POST /v/{project}`: the page-view beacon (an `<img>` pixel without JavaScript, `sendBeacon` with it).

Nothing that identifies a person is kept: the address and user agent only feed the day's visitor
hash (see services.page_views), the device class and, with a local GeoIP database, the country code;
crawlers are answered but not counted. The per-client limit is counted with the view's batch. The
answer comes once the view is stored (group commit), so an acknowledged view is never lost.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.responses import Response

from bgpub.collector.batching import RateLimited, WriteFailed
from bgpub.collector.guards import origin_allowed, request_origin, retry_after
from bgpub.collector.intake import BodyTooLarge, read_body
from bgpub.collector.state import collector_of
from bgpub.domain.collector import ViewRecord
from bgpub.errors import NotFound
from bgpub.services.page_views import (
    clean_path,
    device_class,
    is_bot,
    new_view_id,
    referrer_host,
    utm_source,
    visitor_hash,
)

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
BEACON_LIMIT = 4096
NO_STORE = {"Cache-Control": "no-store", "Access-Control-Allow-Origin": "*"}


def answer(request: Request, status: int = 200) -> Response:
    """A GIF for `<img>`, 204 for `sendBeacon`/fetch; errors keep their status."""
    if request.method == "GET" and status == 200:
        return Response(PIXEL, media_type="image/gif", headers=NO_STORE)
    return Response(status_code=204 if status == 200 else status, headers=NO_STORE)


async def _fields(request: Request) -> dict[str, str]:
    """`p` (page URL or path) and `r` (referrer): query parameters, or a small JSON body."""
    values = {k: v for k, v in request.query_params.items() if k in ("p", "r")}
    if request.method == "POST":
        body = await read_body(request, BEACON_LIMIT)
        if body:
            try:
                data = json.loads(body)
            except ValueError:
                data = None
            if isinstance(data, dict):
                values.update(
                    {k: v for k, v in data.items() if k in ("p", "r") and isinstance(v, str)}
                )
    return values


async def page_view(request: Request) -> Response:
    collector = collector_of(request)
    try:
        site = await collector.site(request.path_params["project"])
    except NotFound:
        return answer(request, 404)
    try:
        values = await _fields(request)
    except BodyTooLarge:
        return answer(request, 413)
    agent = request.headers.get("user-agent", "")
    if is_bot(agent) or request.headers.get("sec-purpose", "").startswith("prefetch"):
        collector.counters["bots"] += 1
        return answer(request)  # answered, not counted
    if not origin_allowed(site, request):
        return answer(request, 403)
    page = values.get("p") or request.headers.get("referer", "")
    path = clean_path(page)
    if path is None:
        return answer(request, 400)
    salt = await collector.salt()
    rate_key = collector.limits.key(salt, request, f"view:{site.id}")
    if collector.limits.blocked(rate_key):
        return limited()
    own = request_origin(request) or (page if "://" in page else "")
    address = request.client.host if request.client else ""
    record = ViewRecord(
        id=new_view_id(),
        project_id=site.id,
        path=path,
        referrer=referrer_host(values.get("r"), urlsplit(own).hostname if own else None),
        utm_source=utm_source(page),
        device=device_class(agent),
        visitor=visitor_hash(salt, site.id, address, agent),
        timestamp=datetime.now(UTC).replace(tzinfo=None),
        country=collector.country_of(address) if collector.country_of else None,
        rate_key=rate_key,
    )
    try:
        await collector.views.add(record)
    except RateLimited:
        collector.limits.block(rate_key)
        return limited()
    except WriteFailed:
        return answer(request, 503)
    return answer(request)


def limited() -> Response:
    return Response(status_code=429, headers={**NO_STORE, "Retry-After": retry_after()})
