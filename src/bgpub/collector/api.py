"""`/api/v1/...`: submissions, comments, stats and orders for scripts, with `Authorization: Bearer` keys."""

from __future__ import annotations

from starlette.routing import Route


def routes() -> list[Route]:
    return []
