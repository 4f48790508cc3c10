"""Serving the collector with uvicorn: one process, or `workers` processes sharing the port."""

from __future__ import annotations

import logging
import os
import sys
from typing import TypedDict

import uvicorn

from bgpub.collector.app import make_app
from bgpub.collector.settings import CollectorSettings

FACTORY = "bgpub.collector.app:app_from_environment"


class ServeOptions(TypedDict):
    """The `uvicorn.run` options one process and `workers` processes share (mypy checks each one
    against uvicorn's signature)."""

    host: str
    port: int
    access_log: bool
    proxy_headers: bool
    forwarded_allow_ips: str
    timeout_graceful_shutdown: int
    log_level: str
    server_header: bool


def configure_logging() -> None:
    """JSON access lines and the collector's messages on stderr; uvicorn's own access log is off
    (it prints client addresses)."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(message)s"))
    for name in ("bgpub.collect", "bgpub.collect.access"):
        logger = logging.getLogger(name)
        if logger.handlers:
            continue  # already set up in this process
        logger.setLevel(logging.INFO)
        logger.addHandler(handler)
        logger.propagate = False


def serve(
    settings: CollectorSettings,
    host: str = "127.0.0.1",
    port: int = 8787,
    workers: int = 1,
    forwarded_allow_ips: str = "127.0.0.1",
) -> None:
    """Runs until SIGINT/SIGTERM; then stops accepting, finishes requests in flight, flushes, exits."""
    configure_logging()
    common: ServeOptions = {
        "host": host,
        "port": port,
        "access_log": False,
        "proxy_headers": True,
        "forwarded_allow_ips": forwarded_allow_ips,
        "timeout_graceful_shutdown": 30,
        "log_level": "warning",
        "server_header": False,
    }
    if workers > 1:
        os.environ.update(
            settings.environment()
        )  # the workers build their app from the environment
        uvicorn.run(FACTORY, factory=True, workers=workers, **common)
    else:
        uvicorn.run(make_app(settings), **common)
