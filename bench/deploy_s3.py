"""S3 deploy benchmark: publish an N-page corpus project to an S3-compatible server, edit one page, publish again.

Prints ONE JSON line: the first publish (every object uploaded) and the second one (after a one-page
edit: only the objects whose bytes changed go up, found from the previous version's manifest, no
listing) with their seconds and objects uploaded, and the deploy step's own seconds. The server is
moto's standalone S3 server in its own process on a free loopback port (a real HTTP server; each
request costs what moto costs, far more than the render of one page).

    python bench/deploy_s3.py --pages 10000 [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import cProfile
import importlib.util
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _publish_bench():
    """The corpus project and the one-page edit of publish_bench.py (the same content as the anchors)."""
    spec = importlib.util.spec_from_file_location("publish_bench", HERE / "publish_bench.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def start_server() -> tuple[subprocess.Popen, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return server, f"http://127.0.0.1:{port}"
        time.sleep(0.1)
    server.kill()
    raise SystemExit("moto's server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary workspace")
    parser.add_argument(
        "--profile", metavar="FILE", help="write cProfile stats of the second publish here"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="edit another page and publish again this many times (each a 'second publish')",
    )
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bgpub-deploy-s3-bench-"))
    os.environ["BGPUB_HOME"] = str(home)
    os.environ.update(
        AWS_ACCESS_KEY_ID="bench", AWS_SECRET_ACCESS_KEY="bench", AWS_DEFAULT_REGION="us-east-1"
    )
    url = args.database_url or f"sqlite:///{home / 'bgpub.db'}"
    corpus = _publish_bench()
    server, endpoint = start_server()
    try:
        import boto3

        from bgpub.db.enums import SubscriptionTier
        from bgpub.db.models import Organization
        from bgpub.services.importing import import_snapshot
        from bgpub.services.publishing import publish_project
        from bgpub.services.targets import add_target
        from bgpub.services.workspace import open_workspace

        boto3.client("s3", endpoint_url=endpoint).create_bucket(Bucket="bench-site")
        ws = open_workspace(url, workspace_path=home)
        actor = ws.actor
        Organization.update(tier=SubscriptionTier.ENTERPRISE).execute()
        project = import_snapshot(
            actor, corpus.snapshot(args.pages), {}, name=f"bench{os.getpid()}"
        ).project
        add_target(actor, project.name, "cdn", "s3", bucket="bench-site", endpoint_url=endpoint)

        started = time.perf_counter()
        first = publish_project(actor, project.name, message="first")
        first_s = time.perf_counter() - started
        runs = []
        for run in range(max(1, args.repeat)):
            corpus.edit(project, args.pages // 2 + run, "One more sentence.")
            profiler = cProfile.Profile() if args.profile and run == 0 else None
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            again = publish_project(actor, project.name, message=f"edit {run + 1}")
            runs.append(
                (round(time.perf_counter() - started, 3), again.deployments[0].files_sent, again)
            )
            if profiler:
                profiler.disable()
                profiler.dump_stats(args.profile)
            assert again.ok, again.deployments
        second_s, _, second = runs[0]
        assert first.ok, first.deployments
        changed = second.diff["cdn"]
        print(
            json.dumps(
                {
                    "pages": args.pages,
                    "backend": "postgresql" if url.startswith("postgres") else "sqlite",
                    "server": "moto (own process)",
                    "files": first.files,
                    "first_publish_s": round(first_s, 3),
                    "first_objects_uploaded": first.deployments[0].files_sent,
                    "first_deploy_s": first.deployments[0].seconds,
                    "second_publish_s": round(second_s, 3),
                    "second_objects_uploaded": second.deployments[0].files_sent,
                    "second_deploy_s": second.deployments[0].seconds,
                    "second_rendered": second.rendered,
                    "second_changed_paths": changed["added"]
                    + changed["changed"]
                    + changed["removed"],
                    "second_publish_runs_s": [s for s, _, _ in runs],
                    "second_runs_objects_uploaded": [n for _, n, _ in runs],
                }
            )
        )
    finally:
        server.kill()
        server.wait()


if __name__ == "__main__":
    main()
