"""Checkout-burst benchmark: N signed `checkout.session.completed` events at once, for fewer units than
buyers, against `bgpub collect` on loopback (1 and 2 workers; SQLite and PostgreSQL).

Each run makes a fresh database with a shop (a Stripe integration, one variant with `--stock` units),
starts `bgpub collect`, posts `--events` distinct events signed with Stripe's library from as many
concurrent clients, then posts them all again (Stripe's retries), stops the server with SIGTERM and
reads the database. Prints ONE JSON line: per run the events per second, p50/p99 latency in ms,
errors, orders stored (must equal the events), the stock left (0), the oversold units (events - stock),
whether the retries changed anything, and the machine's load average before and after.

    python bench/orders_bench.py [--events 200] [--stock 50] [--database-url postgresql://.../db]
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
import stripe

PG_DEFAULT = os.environ.get("BGPUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
SECRET = "whsec_bench_0123456789abcdef"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(url: str, home: Path, stock: int) -> tuple[str, str]:
    """A migrated database with a shop; returns (project id, variant id)."""
    os.environ["BGPUB_HOME"] = str(home)
    from bgpub.services.integrations import add_integration
    from bgpub.services.products import create_product
    from bgpub.services.projects import create_project
    from bgpub.services.variants import add_variant
    from bgpub.services.workspace import open_workspace

    actor = open_workspace(url, workspace_path=home).actor
    project = create_project(actor, "bench")
    add_integration(
        actor, "bench", "STRIPE", "stripe", {"api_key": "sk_test_bench", "webhook_secret": SECRET}
    )
    create_product(
        actor, "bench", "Mug", slug="mug", price_cents=2400, currency="GBP", status="ACTIVE"
    )
    variant = add_variant(actor, "bench", "mug", {"Size": "One"}, stock=stock)
    return project.id, variant.id


def counts(url: str, variant: str) -> dict:
    from bgpub.db.connection import init_database
    from bgpub.db.models import Order, OrderItem, ProductVariant

    db = init_database(url)
    try:
        return {
            "orders": Order.select().count(),
            "stock_left": ProductVariant.get_by_id(variant).stock,
            "oversold": sum(i.oversold for i in OrderItem.select()),
        }
    finally:
        db.close()


def event_body(n: int, variant: str) -> bytes:
    return json.dumps(
        {
            "id": f"evt_bench_{n}",
            "object": "event",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": f"cs_bench_{n}",
                    "object": "checkout.session",
                    "amount_total": 2400,
                    "currency": "gbp",
                    "payment_status": "paid",
                    "customer_details": {"email": "b@example.test", "name": "B"},
                    "metadata": {"bgpub_items": json.dumps([[f"v_{variant}", 1, 2400]])},
                }
            },
        }
    ).encode()


async def burst(base: str, bodies: list[bytes]) -> tuple[list[float], list[str], int, float]:
    latencies: list[float] = []
    outcomes: list[str] = []
    errors = 0
    limits = httpx.Limits(max_connections=len(bodies), max_keepalive_connections=len(bodies))

    async def one(http: httpx.AsyncClient, body: bytes) -> None:
        nonlocal errors
        header = stripe.WebhookSignature.generate_signature_header(body.decode(), SECRET)
        started = time.perf_counter()
        try:
            answer = await http.post(
                f"{base}/hooks/stripe",
                content=body,
                headers={"stripe-signature": header, "content-type": "application/json"},
            )
        except httpx.HTTPError:
            errors += 1
            return
        if answer.status_code != 200:
            errors += 1
            return
        latencies.append((time.perf_counter() - started) * 1000)
        outcomes.append(answer.json()["outcome"])

    async with httpx.AsyncClient(timeout=120, limits=limits) as http:
        started = time.monotonic()
        await asyncio.gather(*(one(http, body) for body in bodies))
    return latencies, outcomes, errors, time.monotonic() - started


def run(url: str, kind: str, workers: int, events: int, stock: int, home: Path) -> dict:
    _, variant = prepare(url, home, stock)
    port = free_port()
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
        ],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "BGPUB_HOME": str(home)},
    )
    base = f"http://127.0.0.1:{port}"
    bodies = [event_body(n, variant) for n in range(events)]
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
        latencies, outcomes, errors, elapsed = asyncio.run(burst(base, bodies))
        _, retried, retry_errors, _ = asyncio.run(burst(base, bodies))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=120)
    ordered = sorted(latencies) or [0.0]
    stored = counts(url, variant)
    return {
        "database": kind,
        "workers": workers,
        "events": events,
        "stock": stock,
        "seconds": round(elapsed, 2),
        "events_per_s": round(len(latencies) / elapsed, 1),
        "errors": errors + retry_errors,
        "p50_ms": round(statistics.median(ordered), 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2),
        **stored,
        "orders_equal_events": stored["orders"] == events == outcomes.count("PAID"),
        "retries_changed_nothing": retried.count("duplicate") == events,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--stock", type=int, default=50)
    parser.add_argument(
        "--database-url", default=PG_DEFAULT, help="a PostgreSQL server; '' skips it"
    )
    parser.add_argument("--workers", default="1,2", help="comma-separated worker counts")
    args = parser.parse_args()
    load_before = [round(x, 2) for x in os.getloadavg()]  # the machine is shared: say how busy
    runs = []
    for workers in [int(w) for w in args.workers.split(",")]:
        with tempfile.TemporaryDirectory() as tmp:
            runs.append(
                run(
                    f"sqlite:///{tmp}/bench.db",
                    "sqlite",
                    workers,
                    args.events,
                    args.stock,
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
                            args.events,
                            args.stock,
                            Path(tmp),
                        )
                    )
            finally:
                admin.cursor().execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                admin.close()
    print(
        json.dumps(
            {
                "bench": "orders_burst",
                "runs": runs,
                "load_before": load_before,
                "load_after": [round(x, 2) for x in os.getloadavg()],
            }
        )
    )


if __name__ == "__main__":
    main()
