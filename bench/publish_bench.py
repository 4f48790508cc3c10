"""Publish benchmark: publish an N-page corpus project, change one page, publish again, roll back.

Prints ONE JSON line: first publish s and CPU s (this process and the render workers it waited
for; the machine's other load barely changes it), the part of both beyond the render (storing blobs,
recording the version, deploying), second publish s, files written by the second, bytes stored by
the second, rollback s (service calls in this process; each publish builds a fresh renderer from
its on-disk cache, as a new process would), the whole `bgpub publish` process for a third publish
after another one-page edit, and `load_average` before and after.

    python bench/publish_bench.py --pages 1000 [--database-url postgresql://...]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (
    Path(__file__).resolve().parents[2] / "shared" / "anchors" / "corpus.py"
)  # ../shared beside the repository


def _corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", CORPUS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def blocks(d: dict, note: str = "") -> list[dict]:
    """About 8 component instances a page, the corpus text in three Markdown sections."""
    p, h, items, link = d["paragraphs"], d["headings"], d["items"], d["link"]
    sections = [
        p[0] + "\n\n## " + h[0] + "\n\n" + p[1] + "\n\n- " + "\n- ".join(items) + "\n" + note,
        "## "
        + h[1]
        + "\n\n"
        + p[2]
        + "\n\n"
        + p[3]
        + " See [%s](%s).\n" % (link["text"], link["url"]),
        "## " + h[2] + "\n\n" + p[4] + "\n",
    ]
    return (
        [
            {"component": "navbar", "props": {"brand": "Bench"}},
            {
                "component": "hero",
                "props": {
                    "heading": d["title"],
                    "text": d["summary"],
                    "primary_label": "Read more",
                    "primary_url": "/about/",
                },
            },
        ]
        + [{"component": "rich-text", "props": {"body": s}} for s in sections]
        + [
            {
                "component": "feature-grid",
                "props": {"features": [{"title": t.title(), "text": t} for t in items[:3]]},
            },
            {
                "component": "cta",
                "props": {
                    "heading": "Ready?",
                    "button_label": "Contact us",
                    "button_url": "/contact/",
                },
            },
            {"component": "footer", "props": {"note": "Bench site"}},
        ]
    )


def _cpu() -> float:
    """CPU seconds of this process and of the children it waited for (the render workers)."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _timed_render() -> list[tuple[float, float]]:
    """Times each publish's render (`build_for_targets`, workers included): (wall s, CPU s) appended
    to the returned list, so a publish's own work shows apart from the build it shares."""
    from bgpub.services import publishing

    laps: list[tuple[float, float]] = []
    real = publishing.build_for_targets

    def timed(*args, **kwargs):
        started, cpu = time.perf_counter(), _cpu()
        try:
            return real(*args, **kwargs)
        finally:
            laps.append((time.perf_counter() - started, _cpu() - cpu))

    publishing.build_for_targets = timed
    return laps


def snapshot(n: int):
    from bgpub.snapshot import ProjectSnapshot

    corpus = _corpus()
    pages = []
    for i in range(n):
        d = corpus.page_data(i)
        pages.append(
            {
                "slug": d["slug"],
                "title": d["title"],
                "seo_title": "",
                "seo_description": d["summary"],
                "show_in_nav": i < 5,
                "is_home": i == 0,
                "blocks": blocks(d),
            }
        )
    return ProjectSnapshot.from_dict(
        {
            "name": "bench",
            "title": "Bench",
            "description": "Benchmark site",
            "settings": {"base_url": "https://bench.example.com"},
            "pages": pages,
        }
    )


def edit(project, i: int, note: str) -> None:
    """Changes one page's text (a direct row update, as an editor's save would leave it)."""
    from bgpub.db.models import Page

    corpus = _corpus()
    d = corpus.page_data(i)
    page = Page.get((Page.project == project) & (Page.slug == d["slug"]))
    page.blocks = blocks(d, note)
    page.revision += 1
    page.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--database-url", help="default: a SQLite file in a temporary workspace")
    args = parser.parse_args()
    home = Path(tempfile.mkdtemp(prefix="bgpub-publish-bench-"))
    os.environ["BGPUB_HOME"] = str(home)
    url = args.database_url or f"sqlite:///{home / 'bgpub.db'}"

    from bgpub.db.enums import SubscriptionTier
    from bgpub.db.models import Organization
    from bgpub.services.importing import import_snapshot
    from bgpub.services.publishing import publish_project, rollback_project
    from bgpub.services.workspace import open_workspace

    ws = open_workspace(url, workspace_path=home)
    actor = ws.actor
    Organization.update(tier=SubscriptionTier.ENTERPRISE).execute()
    started = time.perf_counter()
    project = import_snapshot(actor, snapshot(args.pages), {}, name=f"bench{os.getpid()}").project
    import_s = time.perf_counter() - started

    load_before = round(os.getloadavg()[0], 2)
    render = _timed_render()
    started, cpu = time.perf_counter(), _cpu()
    first = publish_project(actor, project.name, message="first")
    first_s, first_cpu = time.perf_counter() - started, _cpu() - cpu
    render_s, render_cpu = render.pop()
    edit(project, args.pages // 2, "One more sentence.")
    started = time.perf_counter()
    second = publish_project(actor, project.name, message="second")
    second_s = time.perf_counter() - started
    started = time.perf_counter()
    back = rollback_project(actor, project.name, 1)
    rollback_s = time.perf_counter() - started

    edit(project, args.pages // 3, "And another.")
    env = {**os.environ, "BGPUB_DATABASE_URL": url}
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "bgpub", "publish", project.name, "--json"],
        env=env,
        capture_output=True,
        text=True,
    )
    cli_s = time.perf_counter() - started
    assert first.ok and second.ok and back.ok and done.returncode == 0, (
        second.deployments,
        done.stderr,
    )
    print(
        json.dumps(
            {
                "pages": args.pages,
                "backend": "postgresql" if url.startswith("postgres") else "sqlite",
                "files": first.files,
                "import_s": round(import_s, 3),
                "first_publish_s": round(first_s, 3),
                "first_publish_cpu_s": round(first_cpu, 3),
                # what the first publish spends beyond rendering (blobs, version, deploy)
                "first_publish_beyond_render_s": round(first_s - render_s, 3),
                "first_publish_beyond_render_cpu_s": round(first_cpu - render_cpu, 3),
                "second_publish_s": round(second_s, 3),
                "second_files_written": second.deployments[0].files_sent,
                "second_bytes_stored": second.new_blob_bytes,
                "second_rendered": second.rendered,
                "rollback_s": round(rollback_s, 3),
                "rollback_files_written": back.deployments[0].files_sent,
                "third_publish_whole_process_s": round(cli_s, 3),
                "load_average": [load_before, round(os.getloadavg()[0], 2)],
            }
        )
    )


if __name__ == "__main__":
    main()
