"""The draft of a project as its author sees it: the current (unpublished) state, rendered in memory.

The preview serves this; it is the same pipeline as a build (snapshot through the services, files
through the incremental renderer), kept in services so front ends never wire up the renderer
themselves. Drafts and scheduled posts show as of now: the preview is for writers.
"""

from __future__ import annotations

import itertools
import operator
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from bgpub.errors import NotFound

if TYPE_CHECKING:
    from bgpub.render.components import ComponentLibrary
    from bgpub.render.images import ImageProvider
    from bgpub.render.incremental import Renderer
    from bgpub.render.themes import ThemeSet
    from bgpub.services.workspace import Workspace
    from bgpub.snapshot import ProjectSnapshot


class ProjectDeleted(NotFound):
    """The project was deleted while its draft was being served: the preview's error page says so plainly."""

    page_title = "Preview: project deleted"


def preview_base_url(settings: Mapping[str, Any]) -> str:
    """The site's origin without its path: the preview serves the site at `/`, so links must not
    carry the production sub-path (`https://x.org/docs/` -> `https://x.org`); "" keeps the setting."""
    parts = urlsplit(str(settings.get("base_url") or ""))
    if parts.scheme in ("http", "https") and parts.netloc and parts.path.strip("/"):
        return f"{parts.scheme}://{parts.netloc}"
    return ""


class BlobCache:
    """Blob bytes by hash, fetched once: content-addressed bytes never change."""

    def __init__(self, fetch: Callable[[str], bytes]):
        self._fetch = fetch
        self._known: dict[str, bytes] = {}

    def __call__(self, key: str) -> bytes:
        data = self._known.get(key)
        if data is None:
            data = self._known[key] = self._fetch(key)
        return data


class DraftFiles(Mapping[str, bytes]):
    """One render of a draft: its files (read on request) and what the render wrote anew or removed,
    so the preview learns which paths changed since the previous render by reading only those
    (comparing where each of 20,000 outputs lies was ~15 ms of a save at 10,000 pages)."""

    def __init__(
        self,
        files: Mapping[str, bytes],
        rendered: Iterable[str],
        removed: Iterable[str],
        after: object | None,
    ):
        self._files = files
        self._rendered = tuple(rendered)
        self._removed = tuple(removed)
        self._after = after  # the `render` token of the render this one followed
        self.render = object()  # names this render (holding the previous one would keep them all)

    def __getitem__(self, path: str) -> bytes:
        return self._files[path]

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, path: object) -> bool:
        return path in self._files

    def location(self, path: str) -> object:
        """Where the render cache holds an output (see `SiteFiles.location`); a place equal to no
        other when the files cannot say, so their bytes are compared."""
        at = getattr(self._files, "location", None)
        return at(path) if at is not None else object()

    def changes_from(self, old: Mapping[str, bytes]) -> frozenset[str] | None:
        """Paths added, removed or whose bytes differ since `old`, when `old` is the render this one
        followed (every other output is the same bytes in the same place); None otherwise."""
        if not isinstance(old, DraftFiles) or old.render is not self._after:
            return None
        changed = {path for path in self._removed if path in old}
        for path in self._rendered:
            if path not in old or old[path] != self._files[path]:
                changed.add(path)
        return frozenset(changed)


class DraftSource:
    """Builds the project's site: snapshot through the services, files through the incremental renderer."""

    def __init__(
        self,
        workspace: Workspace,
        project: str,
        *,
        component_dirs: Iterable[str | Path] | None = None,
        theme_dirs: Iterable[str | Path] | None = None,
        project_id: str | None = None,
    ) -> None:
        from bgpub.services import blobs, sources

        self.workspace = workspace
        self.project = project
        self.project_id = (
            project_id  # given: a deleted project shows "project deleted", not "not found"
        )
        self.component_dirs = [Path(d) for d in (component_dirs or sources.components_dirs())]
        self.theme_dirs = [Path(d) for d in (theme_dirs or sources.themes_dirs())]
        self.blobs = BlobCache(blobs.get)
        self._renderer: Renderer | None = None
        self._previous: ProjectSnapshot | None = None
        self._last_render: object | None = None  # the `DraftFiles.render` of the last render
        self._sources_changed = threading.Event()
        self._sources_changed.set()

    def sources_changed(self, paths: set[str] | None = None) -> None:
        """A template, manifest or stylesheet changed: reload the library and themes on the next build."""
        self._sources_changed.set()

    def __call__(self) -> Mapping[str, bytes]:
        from bgpub.render.incremental import Renderer
        from bgpub.render.plan import BuildInfo
        from bgpub.services.snapshots import project_snapshot

        if self._sources_changed.is_set():
            self._sources_changed.clear()
            library, themes = self._load_sources()
            if self._renderer is None:
                # one process: forking render workers from a threaded server risks deadlocks
                self._renderer = Renderer(
                    library, themes, self.blobs, workers=1, images=self._images()
                )
            else:  # keeps previous outputs: only what the edited template feeds re-renders
                self._renderer.reload(library, themes)
        self._check_exists()
        snapshot = self._reuse_unchanged(project_snapshot(self.workspace.actor, self.project))
        # drafts show (with a DRAFT ribbon) and scheduled posts as of now: the preview is for writers
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        build = BuildInfo(base_url=preview_base_url(snapshot.settings), now=now, drafts=True)
        assert self._renderer is not None  # the first call loads the sources and makes it
        result = self._renderer.render(snapshot, build)
        files = DraftFiles(result.files, result.rendered, result.removed, self._last_render)
        self._previous = snapshot
        self._last_render = files.render
        return files

    def _images(self) -> ImageProvider:
        """Encoded images from the organization's rendition cache (services/renditions.py), as builds
        use: a preview start encodes only images no build or preview encoded before, and what it
        encodes is kept for them. One process, no forked workers (the preview runs threads)."""
        from bgpub.services.projects import get_project
        from bgpub.services.renditions import StoredImages

        record = get_project(self.workspace.actor, self.project)
        return StoredImages(record.organization_id, workers=1)

    def _check_exists(self) -> None:
        from bgpub.services.revisions import project_revision

        if self.project_id is not None and project_revision(self.project_id) is None:
            raise ProjectDeleted(
                "the project was deleted while the preview ran", where=f"project {self.project}"
            )

    def _reuse_unchanged(self, snapshot: ProjectSnapshot) -> ProjectSnapshot:
        """Swaps in the previous build's page objects where equal: the renderer skips hashing those."""
        if self._previous is None:
            return snapshot
        if self._previous.pages == snapshot.pages:  # the same page objects: nothing to swap
            return snapshot
        old_pages = self._previous.pages
        if len(old_pages) == len(snapshot.pages):
            # the same number of pages: only the places holding another object are looked at
            kept = list(snapshot.pages)
            for i in itertools.compress(itertools.count(), map(operator.is_not, old_pages, kept)):
                if old_pages[i].slug == kept[i].slug and old_pages[i] == kept[i]:
                    kept[i] = old_pages[i]
            return replace(snapshot, pages=tuple(kept))
        before = {page.slug: page for page in old_pages}
        # the snapshot service hands back the very objects of unchanged pages: identity first
        # (comparing 100,000 pages field by field was most of a preview's rebuild)
        pages = tuple(
            old
            if (old := before.get(page.slug)) is not None and (old is page or old == page)
            else page
            for page in snapshot.pages
        )
        return replace(snapshot, pages=pages)

    def _load_sources(self) -> tuple[ComponentLibrary, ThemeSet]:
        from bgpub.render.components import load_library
        from bgpub.render.themes import load_themes

        return load_library(self.component_dirs), load_themes(self.theme_dirs)
