"""Collector benchmark: N concurrent clients on loopback send page views for a fixed time.

For each configuration (1 and 2 workers; SQLite and PostgreSQL) it starts `bgpub collect` on a fresh
database, runs the clients for `--seconds`, stops the server with SIGTERM and counts the rows.
Prints ONE JSON line: per run the views accepted (2xx) per second, p50/p99 latency in ms, errors, and
`rows` in the database afterwards, which must equal `accepted` (`rows_equal_accepted`); and the
machine's load average (1, 5, 15 min) before and after.

    python bench/collect_bench.py [--clients 32] [--seconds 5] [--database-url postgresql://.../db]

Each client has its own X-Forwarded-For address (the collector trusts loopback proxies) and a
desktop browser's user agent, so neither the per-client rate limit nor the bot filter applies.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
PG_DEFAULT = os.environ.get("BGPUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(url: str, home: Path) -> str:
    """A migrated database with one project; returns the project's id."""
    os.environ["BGPUB_HOME"] = str(home)
    from bgpub.services.projects import create_project
    from bgpub.services.workspace import open_workspace

    workspace = open_workspace(url, workspace_path=home)
    return create_project(workspace.actor, "bench").id


def count_rows(url: str, project_id: str) -> int:
    from bgpub.db.connection import init_database
    from bgpub.db.models import PageView

    db = init_database(url)
    try:
        return PageView.select().where(PageView.project == project_id).count()
    finally:
        db.close()


async def client(
    http: httpx.AsyncClient,
    base: str,
    project: str,
    number: int,
    until: float,
    latencies: list[float],
    errors: list[int],
) -> None:
    headers = {"user-agent": AGENT, "x-forwarded-for": f"10.{number // 250}.{number % 250}.1"}
    i = 0
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            response = await http.post(
                f"{base}/v/{project}", json={"p": f"/page-{i % 50}/"}, headers=headers
            )
            ok = response.status_code == 204
        except httpx.HTTPError:
            ok = False
        if ok:
            latencies.append((time.perf_counter() - started) * 1000)
        else:
            errors.append(1)
        i += 1


async def load(
    base: str, project: str, clients: int, seconds: float
) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors: list[int] = []
    # one client for all: making one costs a TLS context (a quarter second on a busy machine)
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=30, limits=limits) as http:
        started = time.monotonic()
        until = started + seconds
        await asyncio.gather(
            *(client(http, base, project, n, until, latencies, errors) for n in range(clients))
        )
    return latencies, len(errors), time.monotonic() - started


def run(url: str, kind: str, workers: int, clients: int, seconds: float, home: Path) -> dict:
    project = prepare(url, home)
    port = free_port()
    env = {**os.environ, "BGPUB_HOME": str(home)}
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bgpub",
            "--database-url",
            url,
            "collect",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--view-rate",
            "100000000",
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline or server.poll() is not None:
                log.seek(0)
                raise SystemExit(f"bgpub collect did not start: {log.read().decode()[-2000:]}")
            time.sleep(0.1)
        latencies, errors, elapsed = asyncio.run(load(base, project, clients, seconds))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)
    rows = count_rows(url, project)
    accepted = len(latencies)
    ordered = sorted(latencies) or [0.0]
    return {
        "database": kind,
        "workers": workers,
        "clients": clients,
        "seconds": round(elapsed, 2),
        "accepted": accepted,
        "accepted_per_s": round(accepted / elapsed, 1),
        "errors": errors,
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
        "rows": rows,
        "rows_equal_accepted": rows == accepted,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument(
        "--database-url", default=PG_DEFAULT, help="a PostgreSQL server; '' skips PostgreSQL"
    )
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    args = parser.parse_args()
    load_before = [
        round(x, 2) for x in os.getloadavg()
    ]  # the machine is shared: say how busy it was
    runs = []
    for workers in [int(w) for w in args.workers.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(
                run(
                    f"sqlite:///{tmp}/bench.db",
                    "sqlite",
                    workers,
                    args.clients,
                    args.seconds,
                    Path(tmp),
                )
            )
        if args.database_url:
            import psycopg2

            name = f"bgpub_bench_{uuid.uuid4().hex[:10]}"
            admin = psycopg2.connect(args.database_url)
            admin.autocommit = True
            admin.cursor().execute(f'CREATE DATABASE "{name}"')
            base, _, _ = args.database_url.rpartition("/")
            try:
                with tempfile.TemporaryDirectory() as tmp:
                    runs.append(
                        run(
                            f"{base}/{name}",
                            "postgresql",
                            workers,
                            args.clients,
                            args.seconds,
                            Path(tmp),
                        )
                    )
            finally:
                from bgpub.db.connection import database

                if database.obj is not None:
                    database.close()
                admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.close()
    result = {
        "bench": "collect",
        "load_average_before": load_before,
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "runs": runs,
    }
    print(json.dumps(result, separators=(",", ":")))


if __name__ == "__main__":
    main()
