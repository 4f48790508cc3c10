"""Watching `themes/` and `components/` with watchdog: an edited template or stylesheet re-renders.

Editors save in bursts (temp file, rename, chmod), so events are collected for a short settle time
and delivered as one call with the set of changed paths.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

IGNORED_SUFFIXES = (".swp", ".swx", ".tmp", "~", ".pyc")
IGNORED_PARTS = {"__pycache__", ".git"}


def is_relevant(path: str) -> bool:
    """Editor droppings and caches do not change the site."""
    p = Path(path)
    if any(part in IGNORED_PARTS for part in p.parts):
        return False
    name = p.name
    return not (name.startswith(".#") or name.endswith(IGNORED_SUFFIXES))


class _Collector(FileSystemEventHandler):
    def __init__(self, watcher: SourceWatcher):
        self._watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        paths = [event.src_path, getattr(event, "dest_path", "") or ""]
        relevant = [str(p) for p in paths if p and is_relevant(str(p))]
        if relevant:
            self._watcher.collect(relevant)


class SourceWatcher:
    """Calls `on_change(paths)` after files under the folders change (debounced by `settle` seconds)."""

    def __init__(
        self,
        folders: Iterable[Path],
        on_change: Callable[[set[str]], None],
        *,
        settle: float = 0.05,
    ):
        self.folders = [Path(f) for f in folders if Path(f).is_dir()]
        self._on_change = on_change
        self.settle = settle
        self._pending: set[str] = set()
        self._lock = threading.Lock()
        self._timer: threading.Timer | None = None
        self._observer = Observer()
        self._observer.daemon = True

    def start(self) -> SourceWatcher:
        handler = _Collector(self)
        for folder in self.folders:
            self._observer.schedule(handler, str(folder), recursive=True)
        self._observer.start()
        return self

    def stop(self) -> None:
        with self._lock:
            if self._timer is not None:
                self._timer.cancel()
        self._observer.stop()
        if self._observer.is_alive():
            self._observer.join(timeout=5)

    def collect(self, paths: list[str]) -> None:
        with self._lock:
            self._pending.update(paths)
            if self._timer is not None:
                self._timer.cancel()
            self._timer = threading.Timer(self.settle, self._flush)
            self._timer.daemon = True
            self._timer.start()

    def _flush(self) -> None:
        with self._lock:
            paths, self._pending = self._pending, set()
            self._timer = None
        if paths:
            self._on_change(paths)
