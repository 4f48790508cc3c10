"""Full builds on every core: forked workers inherit the planned site and compiled templates."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

from bgpub.errors import BgpubError, RenderError

_JOB: Any = None  # the PageRenderer the forked workers inherit


def worker_count(configured: int | None = None) -> int:
    """Processes for a big build: `configured` when the caller gives one (the pipeline reads
    `BGPUB_RENDER_WORKERS`), else the cores this process may use."""
    if configured is not None and configured > 0:
        return configured
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _run_chunk(
    tasks: list[tuple[str, str, int]],
) -> tuple[list[tuple[str, bytes]], dict[str, str], tuple[str, str | None] | None]:
    """One chunk in a worker: outputs, new Markdown entries, and an error as plain data (the
    parent raises it again with the same message and place; exceptions lose attributes in pickling)."""
    from bgpub.render.incremental import render_task

    pages = _JOB
    pages.markdown.new.clear()
    try:
        out = [(path, render_task(pages, kind, i)) for path, kind, i in tasks]
    except BgpubError as exc:
        return [], {}, (exc.message, exc.where)
    return out, dict(pages.markdown.new), None


def render_parallel(
    pages: Any,
    tasks: list[tuple[str, str, int]],
    workers: int,
    on_chunk: Callable[[dict[str, bytes]], None] | None = None,
    first: Sequence[tuple[str, str, int]] = (),
) -> tuple[dict[str, bytes], dict[str, str]]:
    """Renders `tasks` in `workers` forked processes; returns outputs and the new Markdown cache entries.

    `first`: long tasks (font subsets), each its own chunk, started before the others. Falls back to
    one process where fork is unavailable. Chunks are contiguous so the result order, and therefore
    every byte, is the same as a single-process render.
    """
    global _JOB
    if "fork" not in multiprocessing.get_all_start_methods():
        from bgpub.render.incremental import render_task

        results = {path: render_task(pages, kind, i) for path, kind, i in [*first, *tasks]}
        if on_chunk is not None:
            on_chunk(results)
        return results, {}
    from concurrent.futures import ProcessPoolExecutor  # only big builds pay for the import

    size = max(
        50, min(400, len(tasks) // (workers * 4) + 1)
    )  # small enough for progress and overlap
    chunks = [[task] for task in first] + [tasks[i : i + size] for i in range(0, len(tasks), size)]
    _JOB = pages
    results = {}
    entries: dict[str, str] = {}
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    # the objects the workers inherit (snapshot, plan, templates) leave the collector's view: a
    # worker's collections would otherwise visit them all, copying every page of the parent's heap
    gc.freeze()
    try:
        for out, new, error in pool.map(_run_chunk, chunks):  # in order, as each chunk is ready
            if error is not None:
                raise RenderError(error[0], where=error[1])
            chunk = dict(out)
            if on_chunk is not None:
                on_chunk(chunk)  # written while the workers render the next chunks
            results.update(chunk)
            entries.update(new)
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # the first error ends the build
        raise
    finally:
        pool.shutdown(wait=True)
        gc.unfreeze()
        _JOB = None
    return results, entries
