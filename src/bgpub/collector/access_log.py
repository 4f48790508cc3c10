"""Structured access log: one JSON line per request, without the client's address or query string; the
worker's process id tells `--workers N` processes apart."""

from __future__ import annotations

import json
import logging
import os
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

access = logging.getLogger("bgpub.collect.access")


class AccessLog:
    """Pure ASGI middleware (no per-request task): method, path, status, duration in ms."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def sending(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            if access.isEnabledFor(logging.INFO):
                access.info(
                    json.dumps(
                        {
                            "ts": round(time.time(), 3),
                            "method": scope["method"],
                            "path": scope["path"][:200],
                            "status": status,
                            "ms": round((time.perf_counter() - started) * 1000, 2),
                            "pid": os.getpid(),
                        },
                        separators=(",", ":"),
                    )
                )
