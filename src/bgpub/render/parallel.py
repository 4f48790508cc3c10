"""Full builds on every core: forked workers inherit the planned site and compiled templates."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from typing import Any

from bgpub.errors import BgpubError, RenderError

_JOB: Any = None  # the PageRenderer the forked workers inherit


def worker_count() -> int:
    """Processes for a big build: the cores this process may use (`BGPUB_RENDER_WORKERS` overrides)."""
    configured = os.environ.get("BGPUB_RENDER_WORKERS", "")
    if configured.isdigit() and int(configured) > 0:
        return int(configured)
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _run_chunk(tasks: list[tuple[str, str, int]]) -> tuple[list[tuple[str, bytes]], dict[str, str]]:
    from bgpub.render.incremental import render_task

    pages = _JOB
    pages.markdown.new.clear()
    try:
        out = [(path, render_task(pages, kind, i)) for path, kind, i in tasks]
    except BgpubError as exc:  # re-raised in the parent with the same message and place
        raise RenderError(exc.message, where=exc.where) from None
    return out, dict(pages.markdown.new)


def render_parallel(pages: Any, tasks: list[tuple[str, str, int]], workers: int,
                    on_chunk: Callable[[dict[str, bytes]], None] | None = None,
                    ) -> tuple[dict[str, bytes], dict[str, str]]:
    """Renders `tasks` in `workers` forked processes; returns outputs and the new Markdown cache entries.

    Falls back to one process where fork is unavailable. Chunks are contiguous so the result order,
    and therefore every byte, is the same as a single-process render.
    """
    global _JOB
    if "fork" not in multiprocessing.get_all_start_methods():
        from bgpub.render.incremental import render_task

        results = {path: render_task(pages, kind, i) for path, kind, i in tasks}
        if on_chunk is not None:
            on_chunk(results)
        return results, {}
    from concurrent.futures import ProcessPoolExecutor  # only big builds pay for the import

    size = max(50, min(400, len(tasks) // (workers * 4) + 1))  # small enough for progress and overlap
    chunks = [tasks[i:i + size] for i in range(0, len(tasks), size)]
    _JOB = pages
    results: dict[str, bytes] = {}
    entries: dict[str, str] = {}
    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
            for out, new in pool.map(_run_chunk, chunks):  # in order, as each chunk is ready
                chunk = dict(out)
                if on_chunk is not None:
                    on_chunk(chunk)  # written while the workers render the next chunks
                results.update(chunk)
                entries.update(new)
    finally:
        _JOB = None
    return results, entries
