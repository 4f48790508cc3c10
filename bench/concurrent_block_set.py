"""Concurrent `block set`: W writer processes, each with its own database connection, each setting its
own prop of the blocks of one page E times; afterwards no successful edit may be lost.

Prints ONE JSON line: writers, edits (in all), lost (successful edits not in the final page: a writer's
last value missing, or fewer page revisions than successes), failures (edits refused with a Conflict),
failure_rate, seconds (wall time of the writing), backend.

    python bench/concurrent_block_set.py [--writers 8] [--edits 100] [--database-url postgresql://...]

Without --database-url it creates (and afterwards drops) a database on the PostgreSQL server of
BGPUB_TEST_POSTGRES_URL (default postgresql://postgres@127.0.0.1:5432/test).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import tempfile
import time
import uuid
from pathlib import Path

PROPS = ("heading", "text")  # two writers share each hero block, each with its own prop


def writer(
    url: str, actor_id: str, number: int, edits: int, start: multiprocessing.Event, out
) -> None:
    """One writer: its own process and connection; reports (number, successes, failures, last value)."""
    from bgpub.db.connection import init_database
    from bgpub.db.models import User
    from bgpub.errors import Conflict
    from bgpub.services.blocks import set_props

    init_database(url)
    actor = User.get_by_id(actor_id)
    index, prop = number // len(PROPS), PROPS[number % len(PROPS)]
    done = failed = 0
    last = None
    start.wait()
    for edit in range(edits):
        value = f"writer {number}, edit {edit}"
        try:
            set_props(actor, "bench", "home", index, {prop: value})
        except Conflict:
            failed += 1
            continue
        done, last = done + 1, value
    out.put((number, done, failed, last))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--edits", type=int, default=100, help="edits per writer")
    parser.add_argument(
        "--database-url", help="default: a new database on the test PostgreSQL server"
    )
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bgpub-block-set-bench-"))
    os.environ["BGPUB_HOME"] = str(home)
    server = os.environ.get("BGPUB_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
    created = None
    url = args.database_url
    if url is None:
        from bgpub.db.connection import connect_url

        created = f"bgpub_bench_{uuid.uuid4().hex[:12]}"
        admin = connect_url(server)
        admin.connect()
        admin.connection().autocommit = True
        admin.execute_sql(f'CREATE DATABASE "{created}"')
        url = f"{server.rpartition('/')[0]}/{created}"
    try:
        print(json.dumps(run(url, home, args.writers, args.edits)))
    finally:
        if created is not None:
            from bgpub.db.connection import database

            database.close()
            admin.execute_sql(f'DROP DATABASE IF EXISTS "{created}" WITH (FORCE)')
            admin.close()


def run(url: str, home: Path, writers: int, edits: int) -> dict:
    from bgpub.db.connection import database
    from bgpub.db.models import Page
    from bgpub.services import blocks, pages, projects
    from bgpub.services.workspace import open_workspace

    actor = open_workspace(url, workspace_path=home).actor
    projects.create_project(actor, "bench", title="Bench")
    pages.add_page(actor, "bench", "home", "Home")
    for n in range((writers + len(PROPS) - 1) // len(PROPS)):
        blocks.add_block(actor, "bench", "home", "hero", {"heading": f"Block {n}", "text": ""})
    page = Page.get(Page.slug == "home")
    start_revision = page.revision
    database.close()

    context = multiprocessing.get_context("spawn")  # no connection crosses a fork
    start, out = context.Event(), context.Queue()
    procs = [
        context.Process(target=writer, args=(url, actor.id, n, edits, start, out))
        for n in range(writers)
    ]
    for proc in procs:
        proc.start()
    time.sleep(2.0)  # let every writer import bgpub and connect before the clock starts
    began = time.perf_counter()
    start.set()
    results = [out.get() for _ in procs]
    seconds = time.perf_counter() - began
    for proc in procs:
        proc.join()

    final = Page.get_by_id(page.id)
    successes = sum(done for _, done, _, _ in results)
    failures = sum(failed for _, _, failed, _ in results)
    lost_values = sum(
        1
        for n, _, _, last in results
        if last is not None
        and final.blocks[n // len(PROPS)]["props"][PROPS[n % len(PROPS)]] != last
    )
    lost_saves = max(0, start_revision + successes - final.revision)
    return {
        "writers": writers,
        "edits": writers * edits,
        "lost": lost_values + lost_saves,
        "failures": failures,
        "failure_rate": round(failures / (writers * edits), 4),
        "seconds": round(seconds, 2),
        "backend": "postgresql" if url.startswith("postgres") else "sqlite",
    }


if __name__ == "__main__":
    main()
