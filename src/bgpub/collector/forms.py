"""`POST /f/{project}/{form}` and `POST /c/{project}/{post}`: submissions and comments from static pages.

Defences, in order: the project exists; the request comes from one of its domains; the client is
under its rate; the body is small and of an accepted kind; the honeypot is empty (a filled one gets
a normal-looking answer and is dropped); the build's stamp is the project's; the visitor had the page
open at least the minimum fill time. A browser without JavaScript gets a 303 to the thank-you page,
`fetch` gets JSON.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from bgpub.collector.guards import origin_allowed, request_origin, retry_after, same_site_path
from bgpub.collector.intake import BodyTooLarge, Posted, read_posted, wants_json
from bgpub.collector.state import collector_of
from bgpub.domain.collector import CollectorSite
from bgpub.errors import BgpubError, InvalidInput, NotFound
from bgpub.services.collector_sites import stamp_issued

THANKS = "/thanks/"
THANKS_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Thank you</title></head>'
    "<body><main><h1>Thank you</h1><p>{message}</p></main></body></html>"
)


def refusal(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    if wants_json(request):
        return JSONResponse({"ok": False, "error": message}, status_code=status, headers=headers)
    return HTMLResponse(
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Not sent</title>'
        f"</head><body><main><h1>Not sent</h1><p>{_escape(message)}</p></main></body></html>",
        status_code=status,
        headers=headers,
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def accepted(
    request: Request,
    posted: Posted,
    body: dict[str, str],
    message: str,
    task: BackgroundTask | None = None,
) -> Response:
    """JSON for fetch; otherwise a 303 to the thank-you page on the page's own site."""
    if posted.as_json:
        return JSONResponse({"ok": True, **body}, status_code=201 if body else 200, background=task)
    origin = request_origin(request)
    path = same_site_path(posted.own.get("thanks")) or THANKS
    if origin:
        return RedirectResponse(origin + path, status_code=303, background=task)
    return HTMLResponse(THANKS_PAGE.format(message=message), background=task)


def check_timing(site: CollectorSite, posted: Posted, min_fill: float, where: str) -> None:
    """The stamp must be this project's and not from the future; the page must have been open long
    enough (the inline script reports it; a page built moments ago cannot have been)."""
    issued = stamp_issued(site.secret, site.id, posted.own.get("stamp"))
    now = time.time()
    if issued is None or issued > now + 300:
        raise InvalidInput(
            "this form was not built for this site (republish the site)", where=where
        )
    elapsed = posted.own.get("elapsed")
    if elapsed is not None:
        if not elapsed.isdigit() or int(elapsed) < min_fill * 1000:
            raise InvalidInput("sent too quickly; please try again", where=where)


Store = Callable[[CollectorSite, Request, Posted, str], Awaitable[Response]]


def with_cors(request: Request, site: CollectorSite | None, response: Response) -> Response:
    """Lets a page of the project's own domains read the answer of its `fetch` (CORS)."""
    origin = request.headers.get("origin")
    if site is not None and origin and origin != "null" and origin_allowed(site, request):
        response.headers["Access-Control-Allow-Origin"] = origin
        response.headers["Vary"] = "Origin"
    return response


async def preflight(request: Request) -> Response:
    """`OPTIONS` before a JSON `fetch`: allowed for the project's own domains only."""
    collector = collector_of(request)
    try:
        site = await collector.site(request.path_params["project"])
    except NotFound:
        return Response(status_code=404)
    response = Response(
        status_code=204,
        headers={
            "Access-Control-Allow-Methods": "POST",
            "Access-Control-Allow-Headers": "content-type, accept",
            "Access-Control-Max-Age": "600",
        },
    )
    return with_cors(request, site, response)


async def intake(request: Request, kind: str, store: Store) -> Response:
    """Everything forms and comments share; `store` writes the accepted post and answers."""
    collector = collector_of(request)
    ref = request.path_params["project"]
    try:
        site = await collector.site(ref)
    except NotFound:
        return refusal(request, 404, "no such project")
    return with_cors(request, site, await checked(request, kind, store, site))


async def checked(request: Request, kind: str, store: Store, site: CollectorSite) -> Response:
    collector = collector_of(request)
    where = f"project {site.name}, {kind} {request.path_params.get('name', '')}".rstrip()
    if not origin_allowed(site, request):
        return refusal(
            request, 403, "this site may not post here (origin not among the project's domains)"
        )
    limit = collector.settings.form_rate
    if await collector.over_limit(request, f"{kind}:{site.id}", limit):
        return refusal(
            request,
            429,
            "too many submissions; try again in a minute",
            {"Retry-After": retry_after()},
        )
    try:
        posted = await read_posted(request, collector.settings.max_body_bytes, where)
    except BodyTooLarge:
        return refusal(
            request, 413, f"too large (at most {collector.settings.max_body_bytes} bytes)"
        )
    except InvalidInput as exc:
        return refusal(request, 415 if "content type" in exc.message else 400, exc.message)
    if posted.own.get("hp"):  # a bot filled the hidden field: look accepted, store nothing
        collector.counters["honeypot"] += 1
        return accepted(request, posted, {}, "Thank you.")
    try:
        check_timing(site, posted, collector.settings.min_fill_seconds, where)
        return await store(site, request, posted, where)
    except BgpubError as exc:
        return refusal(request, 404 if isinstance(exc, NotFound) else 400, exc.message)


async def submit_form(request: Request) -> Response:
    async def store(site: CollectorSite, request: Request, posted: Posted, where: str) -> Response:
        collector = collector_of(request)
        form = request.path_params["name"]
        submission = await collector.write(
            lambda: collector.services.record_submission(
                site.id, form, posted.fields, posted.own.get("page")
            )
        )
        task = BackgroundTask(
            collector.notify,
            site,
            "form.submitted",
            {"form": form, "id": submission, "data": posted.fields},
        )
        return accepted(request, posted, {"id": submission}, "Your message was sent.", task)

    return await intake(request, "form", store)


async def submit_comment(request: Request) -> Response:
    async def store(site: CollectorSite, request: Request, posted: Posted, where: str) -> Response:
        collector = collector_of(request)
        post = request.path_params["name"]
        fields = posted.fields
        comment = await collector.write(
            lambda: collector.services.record_comment(
                site.id,
                post,
                fields.get("name"),
                fields.get("email"),
                fields.get("body", fields.get("comment")),
            )
        )
        task = BackgroundTask(
            collector.notify, site, "comment.received", {"post": post, "id": comment}
        )
        return accepted(
            request,
            posted,
            {"id": comment, "status": "pending"},
            "Thank you: your comment will appear once approved.",
            task,
        )

    return await intake(request, "comment", store)
