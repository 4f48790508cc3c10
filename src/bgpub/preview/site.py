"""The preview's current site: the last rendered files in memory, the render error if any, a generation.

A build callable (the incremental renderer over the project's snapshot, or a plain dict in tests)
produces `{path: bytes}`. Rebuilds run one at a time on a worker thread, coalescing bursts of change
signals; each rebuild that changes anything bumps the generation and records which paths changed, so
the reload script only reloads the tabs whose page changed.
"""

from __future__ import annotations

import gc
import sys
import threading
import traceback
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from bgpub.errors import BgpubError, RenderError, database_fault
from bgpub.services.collector import collector_paused

SiteBuild = Callable[[], Mapping[str, bytes]]

# A change touching more paths than this is announced as "everything changed" (keeps events small).
MAX_CHANGED_PATHS = 500


@dataclass(frozen=True)
class SiteState:
    """One immutable view of the preview: readers take it once per request and never see a half update."""

    generation: int
    files: Mapping[str, bytes]
    error: BgpubError | None = None
    changed: frozenset[str] | None = None  # paths changed since the previous generation; None = all


@dataclass(frozen=True)
class ChangeNotice:
    """What a reload event carries: the newest generation and the paths changed since the client's one."""

    generation: int
    changed: frozenset[str] | None
    error: bool


def changed_paths(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> frozenset[str]:
    """Paths added, removed or whose bytes differ. A render's result that can say where each output
    lies (`location`, read from the render cache's index) is compared by location first: only the
    outputs a rebuild wrote again are read, not the whole site's bytes on every save. A result
    that knows what its render wrote since `old` (`changes_from`) says so itself."""
    changes_from = getattr(new, "changes_from", None)
    if changes_from is not None:
        known: frozenset[str] | None = changes_from(old)
        if known is not None:
            return known
    out = {path for path in old.keys() - new.keys()}
    old_at = getattr(old, "location", None)
    new_at = getattr(new, "location", None)
    for path in new:
        if path not in old:
            out.add(path)
        elif old_at is not None and new_at is not None and old_at(path) == new_at(path):
            continue
        else:
            before, data = old[path], new[path]
            if before is not data and before != data:
                out.add(path)
    return frozenset(out)


class PreviewSite:
    """Holds the rendered site and rebuilds it on request; thread-safe, never raises from a rebuild."""

    def __init__(self, build: SiteBuild, *, history: int = 64):
        self._build = build
        self._state = SiteState(generation=0, files={})
        self._history: deque[SiteState] = deque(maxlen=history)
        self._changed = threading.Condition()
        self._build_lock = threading.Lock()
        self._wanted = threading.Event()
        self._closed = threading.Event()
        self._worker: threading.Thread | None = None

    @property
    def state(self) -> SiteState:
        return self._state

    @property
    def closed(self) -> bool:
        return self._closed.is_set()

    def rebuild(self) -> SiteState:
        """Renders now (serialised with other rebuilds); a failure becomes the state's error, not an exception."""
        # a save's rebuild allocates ~40,000 short-lived objects at 10,000 pages: the cyclic
        # collector's passes over them (and over the site held in memory) were a third of it
        with self._build_lock, collector_paused():
            current = self._state
            try:
                files = self._build()  # read on request: a copy would read every output per save
                error = None
            except BgpubError as exc:
                files, error = current.files, exc
            except Exception as exc:  # a bug or a lost database must not stop the preview
                files = current.files
                error = database_fault(
                    exc
                )  # a lost or busy database is one readable line, no traceback
                if error is None:
                    traceback.print_exc(file=sys.stderr)
                    error = RenderError(f"{type(exc).__name__}: {exc}", where="preview")
            changed = changed_paths(current.files, files)
            same_error = _same_error(current.error, error)
            if not changed and same_error and current.generation:
                return current
            state = SiteState(
                generation=current.generation + 1,
                files=files,
                error=error,
                changed=changed if len(changed) <= MAX_CHANGED_PATHS else None,
            )
            with self._changed:
                self._state = state
                self._history.append(state)
                self._changed.notify_all()
            return state

    def request_rebuild(self) -> None:
        """Asks the worker for a rebuild; many requests during one render collapse into one more render."""
        self._wanted.set()

    def start(self) -> None:
        """Renders once (so the first request has a site) and starts the rebuild worker."""
        if self._worker is not None:
            return
        self.rebuild()
        # what the first render left (the project's pages, the renderer's keys) lives as long as
        # the preview: out of the collector's sight, a full pass no longer visits it (~0.4 s at
        # 10,000 pages, and it fell inside a save's rebuild or the reloaded page's request)
        gc.collect()
        gc.freeze()
        self._worker = threading.Thread(target=self._run, name="bgpub-preview-rebuild", daemon=True)
        self._worker.start()

    def close(self) -> None:
        """Stops the worker and wakes every waiting event stream so its handler can return."""
        self._closed.set()
        self._wanted.set()
        gc.unfreeze()  # cycles among what the preview held are collectable again
        with self._changed:
            self._changed.notify_all()
        if self._worker is not None and self._worker is not threading.current_thread():
            self._worker.join(timeout=5)

    def wait_for_change(self, after: int, timeout: float) -> ChangeNotice | None:
        """Blocks until the generation passes `after` (or timeout/close); None when nothing new."""
        with self._changed:
            self._changed.wait_for(
                lambda: self._state.generation > after or self._closed.is_set(), timeout=timeout
            )
            return self.changes_since(after)

    def changes_since(self, after: int) -> ChangeNotice | None:
        """The union of paths changed after generation `after`, or None (all) once history is gone."""
        state = self._state
        if state.generation <= after:
            return None
        newer = [s for s in self._history if s.generation > after]
        complete = len(newer) == state.generation - after and all(
            s.changed is not None for s in newer
        )
        paths: frozenset[str] | None = None
        if complete:
            paths = frozenset().union(*(s.changed for s in newer if s.changed is not None))
            if len(paths) > MAX_CHANGED_PATHS:
                paths = None
        return ChangeNotice(state.generation, paths, state.error is not None)

    def _run(self) -> None:
        while not self._closed.is_set():
            self._wanted.wait()
            if self._closed.is_set():
                return
            self._wanted.clear()
            self.rebuild()


def _same_error(a: BgpubError | None, b: BgpubError | None) -> bool:
    if a is None or b is None:
        return a is b
    return type(a) is type(b) and str(a) == str(b)
