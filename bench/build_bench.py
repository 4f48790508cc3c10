"""Build benchmark: the real `bgpub build PROJECT --out DIR` through the database (SQLite by default).

Imports an N-page corpus project (the same pages as publish_bench.py), then times whole `bgpub build`
processes: a cold full build (empty cache and folder), the same again with unchanged content, and a
rebuild after one page's text changed; then the one-page edit inside one running process
(`build_project` twice in a row, median of three edits). Prints ONE JSON line; peak RSS is the
highest of the build processes (children included).

    python bench/build_bench.py --pages 1000 [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from publish_bench import edit, snapshot  # noqa: E402  (same corpus project)


def _command(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bgpub", *args], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bgpub {' '.join(args)} failed: {done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary workspace")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bgpub-build-bench-"))
    os.environ["BGPUB_HOME"] = str(home)
    url = args.database_url or f"sqlite:///{home / 'bgpub.db'}"

    from bgpub.db.enums import SubscriptionTier
    from bgpub.db.models import Organization
    from bgpub.services.building import build_project
    from bgpub.services.importing import import_snapshot
    from bgpub.services.workspace import open_workspace

    ws = open_workspace(url, workspace_path=home)
    actor = ws.actor
    Organization.update(tier=SubscriptionTier.ENTERPRISE).execute()
    project = import_snapshot(actor, snapshot(args.pages), {}, name=f"bench{os.getpid()}").project
    env = {**os.environ, "BGPUB_DATABASE_URL": url}
    out = home / "site"
    build = ["build", project.name, "--out", str(out)]

    cold_s = _command(build, env)
    unchanged_s = _command(build, env)
    edit(project, args.pages // 2, "One more sentence.")
    edit_command_s = _command(build, env)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    build_project(actor, project.name, out)  # a running process with its state loaded
    laps = []
    for n, i in enumerate((args.pages // 3, args.pages // 4, args.pages // 5)):
        edit(project, i, f"Edit {n}.")
        started = time.perf_counter()
        report = build_project(actor, project.name, out)
        laps.append(time.perf_counter() - started)
        assert report.rendered <= 3, report.summary()
    print(json.dumps({
        "pages": args.pages, "backend": "postgresql" if url.startswith("postgres") else "sqlite",
        "cold_full_command_s": round(cold_s, 3), "unchanged_full_command_s": round(unchanged_s, 3),
        "edit_rebuild_command_s": round(edit_command_s, 3),
        "edit_rebuild_inprocess_s": round(statistics.median(laps), 4),
        "peak_rss_mb": round(peak_mb, 1),
    }))


if __name__ == "__main__":
    main()
