"""Renderers kept by a running process (TUI, preview, scripts) between builds into the same cache.

A kept Renderer has the compiled templates, the page keys by page identity and the output index in
memory, so a one-page edit re-renders in a few milliseconds. It is reused only while the component
library and the themes have the same fingerprints and its cache files are as it left them (another
process building into the same cache changes them, and then a fresh Renderer reads them).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bgpub.render.components import ComponentLibrary
from bgpub.render.images import ImageProvider
from bgpub.render.incremental import Renderer
from bgpub.render.parallel import worker_count
from bgpub.render.themes import ThemeSet

KEPT = 4
CACHE_FILES = ("state.json", "state.log", "outputs.pack", "markdown.jsonl")
_KEPT: OrderedDict[str, tuple[tuple[Any, ...], tuple[Any, ...], Renderer]] = OrderedDict()
_LOCK = threading.Lock()


def _signature(library: ComponentLibrary, themes: ThemeSet) -> tuple[Any, ...]:
    return (
        tuple((k, library[k].fingerprint) for k in library),
        tuple((k, themes[k].fingerprint) for k in themes),
    )


def _stamp(cache_dir: Path) -> tuple[Any, ...]:
    found: list[tuple[int, int, int] | None] = []
    for name in CACHE_FILES:
        try:
            info = os.stat(cache_dir / name)
            found.append((info.st_mtime_ns, info.st_size, info.st_ino))
        except OSError:
            found.append(None)
    return tuple(found)


def take_renderer(
    library: ComponentLibrary,
    themes: ThemeSet,
    blobs: Callable[[str], bytes],
    cache_dir: str | Path,
    images: ImageProvider | None = None,
    workers: int | None = None,
) -> Renderer:
    """The Renderer this process last used with `cache_dir` if still valid, else a new one. Give it
    back with `keep_renderer` after rendering (one user at a time: it is removed until then)."""
    cache_dir = Path(cache_dir)
    signature = _signature(library, themes)
    with _LOCK:
        kept = _KEPT.pop(str(cache_dir), None)
    if kept is not None and kept[0] == signature and kept[1] == _stamp(cache_dir):
        kept[2].blobs = blobs
        if images is not None:
            kept[2].images = images
        kept[2].workers = worker_count(
            workers
        )  # the caller's setting now, not the one it was made with
        return kept[2]
    renderer = Renderer(
        library, themes, blobs, cache_dir=cache_dir, images=images, workers=worker_count(workers)
    )
    renderer.pool_signature = signature
    return renderer


def keep_renderer(renderer: Renderer) -> None:
    """Keeps `renderer` for the next `take_renderer` with its cache folder (after a successful render)."""
    if renderer.cache_dir is None:
        return
    renderer.store.close()
    signature = getattr(renderer, "pool_signature", None) or _signature(
        renderer.library, renderer.themes
    )
    with _LOCK:
        _KEPT[str(renderer.cache_dir)] = (signature, _stamp(renderer.cache_dir), renderer)
        while len(_KEPT) > KEPT:
            _KEPT.popitem(last=False)
