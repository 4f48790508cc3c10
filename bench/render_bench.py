"""Renderer benchmark: N corpus pages (~8 component instances, ~1.5 KB text, 5 nav links) built by bgpub.

Prints ONE JSON line. Whole-process figures run `python bench/render_bench.py build ...` in a fresh
interpreter (start-up, imports, reading project.json, rendering, writing files, saving the cache);
in-process figures reuse one `Renderer`. No database is involved.

    python bench/render_bench.py --pages 1000 [--theme aurora] [--fixtures]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (
    Path(__file__).resolve().parents[2] / "shared" / "anchors" / "corpus.py"
)  # ../shared beside the repository
FIXTURES = ROOT / "tests" / "render" / "fixtures"
CACHE = ".bgpub-cache"


def _corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", CORPUS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _blocks(d: dict, fixtures: bool) -> list[dict]:
    p, h, items, link = d["paragraphs"], d["headings"], d["items"], d["link"]
    sections = [
        p[0] + "\n\n## " + h[0] + "\n\n" + p[1] + "\n\n- " + "\n- ".join(items) + "\n",
        "## "
        + h[1]
        + "\n\n"
        + p[2]
        + "\n\n"
        + p[3]
        + " See [%s](%s).\n" % (link["text"], link["url"]),
        "## " + h[2] + "\n\n" + p[4] + "\n",
    ]
    if fixtures:
        return (
            [
                {"component": "navbar", "props": {"brand": "Bench"}},
                {
                    "component": "hero",
                    "props": {
                        "heading": d["title"],
                        "subheading": d["summary"],
                        "cta_url": "/about/",
                    },
                },
            ]
            + [{"component": "rich-text", "props": {"body": s}} for s in sections]
            + [
                {"component": "features", "props": {"items": [{"title": t} for t in items[:3]]}},
                {"component": "cta", "props": {"text": "Get started", "url": "/contact/"}},
                {"component": "footer", "props": {"note": "Bench site"}},
            ]
        )
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


def make_project(n: int, theme: str, fixtures: bool) -> dict:
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
                "blocks": _blocks(d, fixtures),
            }
        )
    return {
        "name": "bench",
        "title": "Bench",
        "description": "Benchmark site",
        "theme": theme,
        "settings": {"base_url": "https://bench.example.com"},
        "pages": pages,
    }


def _library(fixtures: bool):
    from bgpub.render import load_library, load_themes

    if fixtures:
        return load_library([FIXTURES / "components"]), load_themes([FIXTURES / "themes"])
    return load_library(), load_themes()


def _no_blobs(digest: str) -> bytes:
    raise KeyError(digest)


class _ParallelImages:
    """Encodes image jobs (share cards) on every core, as `bgpub build`'s StoredImages does, without
    its database: the render's default provider encodes in one process."""

    def __call__(self, jobs, source):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        from bgpub.render.images import job_batches, produce_group
        from bgpub.render.parallel import worker_count

        batches = job_batches(jobs)
        made: dict[str, bytes] = {}
        if len(batches) < 2 or worker_count() < 2:
            for src, group in batches:
                made.update(produce_group(group, source(src) if src else None))
        else:
            with ProcessPoolExecutor(
                worker_count(), mp_context=multiprocessing.get_context("fork")
            ) as pool:
                futures = [
                    pool.submit(produce_group, group, source(src) if src else None)
                    for src, group in batches
                ]
                for future in futures:
                    made.update(future.result())
        return {job.key: made[job.key] for job in jobs}

    def groups(self, jobs, source):
        yield self(jobs, source)


def _peak_rss_mb() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return round(max(own, children) / 1024, 1)


def build_command(args: argparse.Namespace) -> None:
    """One whole `bgpub build`-like run: read project.json, render incrementally into --out."""
    from bgpub.render import Renderer
    from bgpub.snapshot import ProjectSnapshot

    started = time.perf_counter()
    snapshot = ProjectSnapshot.from_json(Path(args.project).read_bytes())
    library, themes = _library(args.fixtures)
    out = Path(args.out)
    loaded = time.perf_counter()
    result = Renderer(
        library, themes, _no_blobs, cache_dir=out / CACHE, images=_ParallelImages()
    ).render(snapshot, out_dir=out)
    written = result.stats["written"]
    phases = {"load": round(loaded - started, 3), **result.stats["seconds"]}
    print(
        json.dumps(
            {
                "seconds": round(time.perf_counter() - started, 3),
                "phases": phases,
                "rendered": len(result.rendered),
                "written": written,
                "files": len(result.files),
                "peak_rss_mb": _peak_rss_mb(),
            }
        )
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_build(project: Path, out: Path, fixtures: bool) -> tuple[float, dict]:
    """(wall seconds, the build's JSON line with `cpu_s`: CPU of the process and its render workers,
    which other load on the machine barely changes)."""
    cmd = [
        sys.executable,
        str(Path(__file__).resolve()),
        "build",
        "--project",
        str(project),
        "--out",
        str(out),
    ]
    if fixtures:
        cmd.append("--fixtures")
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    wall = round(time.perf_counter() - started, 3)
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["cpu_s"] = round(_children_cpu() - cpu, 3)
    return wall, figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("command", nargs="?", default="bench", choices=["bench", "build"])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--theme", default=None)
    parser.add_argument(
        "--fixtures", action="store_true", help="use tests/render/fixtures, not components/"
    )
    parser.add_argument("--project")
    parser.add_argument("--out")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    if args.command == "build":
        build_command(args)
        return
    theme = args.theme or ("plain" if args.fixtures else "aurora")
    load_before = round(os.getloadavg()[0], 2)
    from bgpub.render import Renderer
    from bgpub.snapshot import ProjectSnapshot

    work = Path(tempfile.mkdtemp(prefix="bgpub-bench-"))
    try:
        data = make_project(args.pages, theme, args.fixtures)
        project = work / "project.json"
        snapshot = ProjectSnapshot.from_dict(data)
        project.write_bytes(snapshot.to_json())
        out = work / "out"
        cold_s, cold = _run_build(project, out, args.fixtures)
        warm_s, warm = _run_build(project, out, args.fixtures)
        # one page's text changes: a new project.json, then a whole new process builds into the same DIR
        edited = json.loads(project.read_bytes())
        edited["pages"][args.pages // 2]["blocks"][2]["props"]["body"] += "\nEdited once.\n"
        project.write_bytes(ProjectSnapshot.from_dict(edited).to_json())
        edit_s, edit = _run_build(project, out, args.fixtures)
        # a token override re-renders every page; Markdown comes from the cache
        edited["theme_overrides"] = {"color-primary": "#aa2200"}
        project.write_bytes(ProjectSnapshot.from_dict(edited).to_json())
        rerender_s, rerender = _run_build(project, out, args.fixtures)

        # in process: one Renderer, a cold full render, then one-page edits
        library, themes = _library(args.fixtures)
        out2 = work / "out2"
        renderer = Renderer(library, themes, _no_blobs, cache_dir=out2 / CACHE)
        started = time.perf_counter()
        renderer.render(snapshot, out_dir=out2)
        cold_in = time.perf_counter() - started
        edits = []
        for k in range(3):
            page = snapshot.pages[(k + 1) * args.pages // 4]
            blocks = list(page.blocks)
            body = blocks[2].props["body"] + f"\nEdit {k}.\n"
            blocks[2] = replace(blocks[2], props={**blocks[2].props, "body": body})
            pages = list(snapshot.pages)
            pages[(k + 1) * args.pages // 4] = replace(page, blocks=tuple(blocks))
            snapshot = replace(snapshot, pages=tuple(pages))
            started = time.perf_counter()
            result = renderer.render(snapshot, out_dir=out2)
            edits.append(time.perf_counter() - started)
            assert len([p for p in result.rendered if p.endswith("index.html")]) == 1, (
                result.rendered
            )
        print(
            json.dumps(
                {
                    "pages": args.pages,
                    "theme": theme,
                    "components": "fixtures" if args.fixtures else "components/",
                    "full_build_s": cold_s,
                    "full_build_cpu_s": cold["cpu_s"],
                    "full_build_mode": "whole process, fresh out dir",
                    "pages_per_second": round(args.pages / cold_s, 1),
                    "full_build_inprocess_s": round(cold_in, 3),
                    "peak_rss_mb": max(cold["peak_rss_mb"], rerender["peak_rss_mb"]),
                    "warm_build_s": warm_s,
                    "warm_build_cpu_s": warm["cpu_s"],
                    "warm_build_rendered": warm["rendered"],
                    "rerender_all_cached_markdown_s": rerender_s,
                    "rerender_all_cpu_s": rerender["cpu_s"],
                    "rerender_all_rendered": rerender["rendered"],
                    "edit_rebuild_command_s": edit_s,
                    "edit_rebuild_cpu_s": edit["cpu_s"],
                    "edit_rebuild_rendered": edit["rendered"],
                    "edit_rebuild_inprocess_s": round(sorted(edits)[1], 4),
                    "cold_phases": cold["phases"],
                    "load_average": [load_before, round(os.getloadavg()[0], 2)],
                }
            )
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
