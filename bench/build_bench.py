"""Build benchmark: the real `bgpub build PROJECT --out DIR` through the database (SQLite by default).

Imports an N-page corpus project (the same pages as publish_bench.py), then times whole `bgpub build`
processes: a cold full build (empty cache and folder), the same again with unchanged content, and a
rebuild after one page's text changed; then the one-page edit inside one running process
(`build_project` twice in a row, median of three edits). Prints ONE JSON line; peak RSS is the
highest of the build processes (children included). Each command's `*_cpu_s` is the CPU time
(user + system) of the process and its render workers, which the machine's other load barely
changes (the wall times do: `load_average` is printed before and after). With `--publish`, the
same project is then published, one page edited and published again, and rolled back (in this
process, as publish_bench.py does).

    python bench/build_bench.py --pages 1000 [--database-url postgresql://...] [--publish]
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _command(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and the workers it waited for)."""
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bgpub", *args], env=env, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bgpub {' '.join(args)} failed: {done.stderr}")
    return seconds, _children_cpu() - cpu


def _load() -> float:
    return round(os.getloadavg()[0], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary workspace")
    parser.add_argument(
        "--publish", action="store_true", help="also first publish, second publish, rollback"
    )
    args = parser.parse_args()
    load_before = _load()
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
    corpus = snapshot(args.pages)
    started, cpu = time.perf_counter(), time.process_time()
    project = import_snapshot(actor, corpus, {}, name=f"bench{os.getpid()}").project
    import_s, import_cpu = time.perf_counter() - started, time.process_time() - cpu
    del corpus
    env = {**os.environ, "BGPUB_DATABASE_URL": url}
    out = home / "site"
    build = ["build", project.name, "--out", str(out)]

    cold_s, cold_cpu = _command(build, env)
    unchanged_s, unchanged_cpu = _command(build, env)
    edit(project, args.pages // 2, "One more sentence.")
    edit_command_s, edit_cpu = _command(build, env)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024

    build_project(actor, project.name, out)  # a running process with its state loaded
    laps = []
    for n, i in enumerate((args.pages // 3, args.pages // 4, args.pages // 5)):
        edit(project, i, f"Edit {n}.")
        started = time.perf_counter()
        report = build_project(actor, project.name, out)
        laps.append(time.perf_counter() - started)
        assert report.rendered <= 3, report.summary()
    figures = {
        "pages": args.pages,
        "backend": "postgresql" if url.startswith("postgres") else "sqlite",
        "import_s": round(
            import_s, 3
        ),  # import_snapshot in this process (issue 18: <= 30 s at 100,000)
        "import_cpu_s": round(import_cpu, 3),
        "cold_full_command_s": round(cold_s, 3),
        "cold_full_command_cpu_s": round(cold_cpu, 3),
        "unchanged_full_command_s": round(unchanged_s, 3),
        "unchanged_full_command_cpu_s": round(unchanged_cpu, 3),
        "edit_rebuild_command_s": round(edit_command_s, 3),
        "edit_rebuild_command_cpu_s": round(edit_cpu, 3),
        "edit_rebuild_inprocess_s": round(statistics.median(laps), 4),
        "peak_rss_mb": round(peak_mb, 1),
    }
    if args.publish:
        figures.update(_publish(actor, project, args.pages))
    figures["load_average"] = [load_before, _load()]
    print(json.dumps(figures))


def _publish(actor, project, pages: int) -> dict[str, float]:
    """First publish, a one-page edit published, a rollback to the first version (in this process)."""
    from bgpub.services.publishing import publish_project, rollback_project

    started = time.perf_counter()
    first = publish_project(actor, project.name, message="first")
    first_s = time.perf_counter() - started
    edit(project, pages // 6, "Published once more.")
    started = time.perf_counter()
    second = publish_project(actor, project.name, message="second")
    second_s = time.perf_counter() - started
    started = time.perf_counter()
    back = rollback_project(actor, project.name, first.version or 1)
    rollback_s = time.perf_counter() - started
    assert first.ok and second.ok and back.ok, second.deployments
    return {
        "first_publish_s": round(first_s, 3),
        "second_publish_s": round(second_s, 3),
        "rollback_s": round(rollback_s, 3),
    }


if __name__ == "__main__":
    main()
