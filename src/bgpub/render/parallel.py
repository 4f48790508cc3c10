"""Full builds on every core: forked workers inherit the planned site and compiled templates."""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from bgpub.errors import BgpubError, RenderError
from bgpub.snapshot import StoredPage

ROUND_TASKS = 10_000  # tasks a pool of workers renders before a new one replaces it
AHEAD = 3  # chunks in flight per worker: enough to keep it busy, few enough to bound the parent
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
    markdown = pages.markdown
    markdown.new.clear()
    mark = markdown.mark()
    snapshot_pages = pages.plan.snapshot.pages
    try:
        out = []
        for path, kind, i in tasks:
            out.append((path, render_task(pages, kind, i)))
            if kind == "page" and isinstance(snapshot_pages[i], StoredPage):
                # this worker's copy only: a rendered page's decoded blocks are not read again,
                # and kept they were ~0.3 GB a worker at 100,000 pages (decoded again if needed)
                snapshot_pages[i].__dict__.pop("blocks", None)
        new = dict(markdown.new)
    except BgpubError as exc:
        return [], {}, (exc.message, exc.where)
    finally:
        markdown.forget_since(mark)  # the parent keeps them (and saves them for the next build)
    return out, new, None


def _run_round(
    chunks: list[list[tuple[str, str, int]]],
    workers: int,
    on_chunk: Callable[[dict[str, bytes]], None],
) -> Iterator[dict[str, str]]:
    """Renders `chunks` in a new pool of forked workers (gone once they are done), handing each
    chunk's outputs to `on_chunk` in order and yielding its new Markdown entries."""
    from concurrent.futures import ProcessPoolExecutor  # only big builds pay for the import

    pool = ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"))
    # the objects the workers inherit (snapshot, plan, templates) leave the collector's view: a
    # worker's collections would otherwise visit them all, copying every page of the parent's heap
    gc.freeze()
    try:
        # at most AHEAD chunks per worker in flight: finished chunks wait in this process until
        # taken, so a parent slower than its workers would otherwise come to hold them all
        waiting = deque(pool.submit(_run_chunk, chunk) for chunk in chunks[: workers * AHEAD])
        later = iter(chunks[workers * AHEAD :])
        while waiting:
            out, new, error = waiting.popleft().result()  # in order
            following = next(later, None)
            if following is not None:
                waiting.append(pool.submit(_run_chunk, following))
            if error is not None:
                raise RenderError(error[0], where=error[1])
            on_chunk(dict(out))  # stored and written while the workers render the next chunks
            yield new
    except BaseException:
        pool.shutdown(wait=True, cancel_futures=True)  # the first error ends the build
        raise
    finally:
        pool.shutdown(wait=True)
        gc.unfreeze()


def render_parallel(
    pages: Any,
    tasks: list[tuple[str, str, int]],
    workers: int,
    on_chunk: Callable[[dict[str, bytes]], None],
    first: Sequence[tuple[str, str, int]] = (),
    on_entries: Callable[[dict[str, str]], None] | None = None,
) -> dict[str, str]:
    """Renders `tasks` in `workers` forked processes, handing each chunk of outputs to `on_chunk` as
    it arrives (in order); returns the new Markdown cache entries.

    Nothing keeps the outputs here: `on_chunk` writes them away (to the render cache's pack, an
    output folder), so the parent never holds more than a few chunks of pages. `first`: long tasks
    (font subsets), each its own chunk, started before the others. `on_entries`: takes each
    chunk's new Markdown entries instead (none are returned). Falls back to one process where
    fork is unavailable. Chunks are contiguous so the order, and therefore every byte, is the same
    as a single-process render.
    """
    global _JOB
    if "fork" not in multiprocessing.get_all_start_methods():
        from bgpub.render.incremental import render_task

        for path, kind, i in [*first, *tasks]:
            on_chunk({path: render_task(pages, kind, i)})
        return {}
    size = max(
        50, min(400, len(tasks) // (workers * 4) + 1)
    )  # small enough for progress and overlap
    chunks = [[task] for task in first] + [tasks[i : i + size] for i in range(0, len(tasks), size)]
    # a pool renders ROUND_TASKS tasks, then a new one forks: a worker's memory grows with every
    # page it renders (inherited objects it touches are copied, ~6 KB a page), so workers that
    # rendered 50,000 pages each held ~0.3 GB more than fresh ones (issue 18)
    per_round = max(workers * AHEAD, ROUND_TASKS // size)
    _JOB = pages
    entries: dict[str, str] = {}
    try:
        for start in range(0, len(chunks), per_round):
            for new in _run_round(chunks[start : start + per_round], workers, on_chunk):
                if on_entries is not None:
                    on_entries(new)
                else:
                    entries.update(new)
    finally:
        _JOB = None
    return entries
