"""`/api/v1/...`: submissions, comments, stats and orders for scripts, with `Authorization: Bearer` keys.

Keys come from `bgpub org key create` (Argon2-hashed at rest, shown once). Scopes: `read` for every
GET, `write` to moderate a comment, `delete` to delete one; a key made with `--project` sees that
project only. The OpenAPI document is at `/api/openapi.json`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bgpub.collector.openapi import document
from bgpub.collector.state import Collector, collector_of
from bgpub.domain.api_keys import ApiPrincipal
from bgpub.errors import BgpubError, InvalidInput, NotFound, PermissionDenied
from bgpub.services import api_access, comments, stats, submissions

PRINCIPAL_SECONDS = 60.0
MAX_LIMIT = 500


def problem(status: int, message: str) -> JSONResponse:
    headers = {"WWW-Authenticate": 'Bearer realm="bgpub"'} if status == 401 else None
    return JSONResponse({"error": message}, status_code=status, headers=headers)


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    raw = request.query_params.get(name)
    if raw is None:
        return default
    if not raw.isdigit() or not low <= int(raw) <= high:
        raise InvalidInput(
            f"{name} must be a whole number from {low} to {high}", where="query", field=name
        )
    return int(raw)


# an answer's JSON body from the request, the project's id and the key's principal
Handler = Callable[[Request, str, ApiPrincipal], dict[str, object]]


def endpoint(scope: str, handler: Handler) -> Callable[[Request], Awaitable[Response]]:
    """Authenticates, checks the scope and project, runs `handler(request, project_id, principal)`
    on a thread."""

    async def run(request: Request) -> Response:
        collector = collector_of(request)
        header = request.headers.get("authorization", "")
        kind, _, token = header.partition(" ")
        if kind.lower() != "bearer" or not token.strip():
            return problem(401, "send Authorization: Bearer <api key>")
        try:
            principal = await principal_of(collector, token.strip())
        except PermissionDenied:
            return problem(401, "invalid, expired or revoked api key")
        try:

            def call() -> dict[str, object]:
                project = api_access.api_project(principal, request.path_params["project"], scope)
                return handler(request, project.id, principal)

            body = await collector.write(call)
        except PermissionDenied as exc:
            return problem(403, exc.message)
        except NotFound as exc:
            return problem(404, exc.message)
        except BgpubError as exc:
            return problem(400, exc.message)
        return JSONResponse(body)

    return run


async def principal_of(collector: Collector, token: str) -> ApiPrincipal:
    """A key is verified (Argon2) at most once a minute per process; its last use is recorded then."""
    cache = collector.api_keys
    digest = hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()
    found = cache.get(digest)
    now = time.monotonic()
    if found is not None and now - found[0] < PRINCIPAL_SECONDS:
        return found[1]
    principal = await collector.write(lambda: api_access.verify_bearer(token))
    if len(cache) > 1000:
        cache.clear()
    cache[digest] = (now, principal)
    return principal


def list_submissions(request: Request, project: str, principal: ApiPrincipal) -> dict[str, object]:
    form = request.query_params.get("form") or None
    limit = _int(request, "limit", 100, 1, MAX_LIMIT)
    return {
        "submissions": [s.as_json() for s in submissions.submissions_of(project, form, limit=limit)]
    }


def list_comments(request: Request, project: str, principal: ApiPrincipal) -> dict[str, object]:
    status = request.query_params.get("status")
    if status is not None and status.upper() not in ("PENDING", "APPROVED", "SPAM"):
        raise InvalidInput(
            "status must be PENDING, APPROVED or SPAM", where="query", field="status"
        )
    limit = _int(request, "limit", 100, 1, MAX_LIMIT)
    return {"comments": [c.as_json() for c in comments.comments_of(project, status, limit)]}


def approve_comment(request: Request, project: str, principal: ApiPrincipal) -> dict[str, object]:
    return comments.moderate_comment(
        principal, project, request.path_params["comment"], "APPROVED"
    ).as_json()


def mark_spam(request: Request, project: str, principal: ApiPrincipal) -> dict[str, object]:
    return comments.moderate_comment(
        principal, project, request.path_params["comment"], "SPAM"
    ).as_json()


def delete_comment(request: Request, project: str, principal: ApiPrincipal) -> dict[str, object]:
    comments.delete_comment(principal, project, request.path_params["comment"])
    return {"deleted": request.path_params["comment"]}


def project_stats(request: Request, project: str, principal: ApiPrincipal) -> dict[str, object]:
    return stats.stats_of(project, _int(request, "days", 30, 1, 3660)).as_json()


def list_orders(request: Request, project: str, principal: ApiPrincipal) -> dict[str, object]:
    return {"orders": api_access.orders_of(project, _int(request, "limit", 100, 1, MAX_LIMIT))}


async def openapi(request: Request) -> JSONResponse:
    return JSONResponse(document())


def routes() -> list[Route]:
    base = "/api/v1/projects/{project}"
    return [
        Route("/api/openapi.json", openapi),
        Route(f"{base}/submissions", endpoint("read", list_submissions)),
        Route(f"{base}/comments", endpoint("read", list_comments)),
        Route(
            f"{base}/comments/{{comment}}/approve",
            endpoint("write", approve_comment),
            methods=["POST"],
        ),
        Route(f"{base}/comments/{{comment}}/spam", endpoint("write", mark_spam), methods=["POST"]),
        Route(
            f"{base}/comments/{{comment}}", endpoint("delete", delete_comment), methods=["DELETE"]
        ),
        Route(f"{base}/stats", endpoint("read", project_stats)),
        Route(f"{base}/orders", endpoint("read", list_orders)),
    ]
