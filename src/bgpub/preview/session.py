"""The preview of one project, as the CLI and the TUI start it: render, serve, watch, reload.

`PreviewServer(workspace, "demo").start()` renders the project's current (unpublished) state into
memory with the incremental renderer, serves it on 127.0.0.1, and re-renders when the project
changes in the database (any process, any machine on the same PostgreSQL) or a file under
`themes/` or `components/` changes. `stop()` ends every thread it started.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from bgpub.preview.changes import ProjectListener, RevisionPoller
from bgpub.preview.errorpage import ProjectDeleted
from bgpub.preview.server import SiteServer
from bgpub.preview.site import PreviewSite
from bgpub.preview.watcher import SourceWatcher

if TYPE_CHECKING:
    from bgpub.services.workspace import Workspace
    from bgpub.snapshot import ProjectSnapshot

SQLITE_POLL_SECONDS = 0.025  # a primary-key read; 40 a second cost next to nothing
POSTGRES_POLL_SECONDS = 2.0  # safety net only: NOTIFY is the fast path


DELETED = -1  # the revision the poller sees once the project is gone: a change, so the page says so


def _revision_or_gone(revision: int | None) -> int:
    return DELETED if revision is None else revision


def preview_base_url(settings: Mapping) -> str:
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


class ProjectSource:
    """Builds the project's site: snapshot through the services, files through the incremental renderer."""

    def __init__(self, workspace: Workspace, project: str, *, component_dirs=None, theme_dirs=None,
                 project_id: str | None = None):
        from bgpub.render import paths
        from bgpub.services import blobs

        self.workspace = workspace
        self.project = project
        self.project_id = project_id  # given: a deleted project shows "project deleted", not "not found"
        self.component_dirs = [Path(d) for d in (component_dirs or paths.components_dirs())]
        self.theme_dirs = [Path(d) for d in (theme_dirs or paths.themes_dirs())]
        self.blobs = BlobCache(blobs.get)
        self._renderer = None
        self._previous: ProjectSnapshot | None = None
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
                self._renderer = Renderer(library, themes, self.blobs, workers=1)
            else:  # keeps previous outputs: only what the edited template feeds re-renders
                self._renderer.reload(library, themes)
        self._check_exists()
        snapshot = self._reuse_unchanged(project_snapshot(self.workspace.actor, self.project))
        # drafts show (with a DRAFT ribbon) and scheduled posts as of now: the preview is for writers
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        build = BuildInfo(base_url=preview_base_url(snapshot.settings), now=now, drafts=True)
        files = self._renderer.render(snapshot, build).files
        self._previous = snapshot
        return files

    def _check_exists(self) -> None:
        from bgpub.services.revisions import project_revision

        if self.project_id is not None and project_revision(self.project_id) is None:
            raise ProjectDeleted("the project was deleted while the preview ran", where=f"project {self.project}")

    def _reuse_unchanged(self, snapshot: ProjectSnapshot) -> ProjectSnapshot:
        """Swaps in the previous build's page objects where equal: the renderer skips hashing those."""
        if self._previous is None:
            return snapshot
        before = {page.slug: page for page in self._previous.pages}
        pages = tuple(
            old if (old := before.get(page.slug)) is not None and old == page else page
            for page in snapshot.pages
        )
        return replace(snapshot, pages=pages)

    def _load_sources(self):
        from bgpub.render.components import load_library
        from bgpub.render.themes import load_themes

        return load_library(self.component_dirs), load_themes(self.theme_dirs)


class PreviewServer:
    """One project's live preview: `start()`, `url`, `stop()`; runs in background daemon threads."""

    def __init__(
        self,
        workspace: Workspace,
        project: str,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        watch: bool = True,
        verbose: bool = False,
        source: Callable[[], Mapping[str, bytes]] | None = None,
    ):
        self.workspace = workspace
        self.project = project
        self.host = host
        self.port = port
        self.watch = watch
        self.verbose = verbose
        self._source = source
        self.site: PreviewSite | None = None
        self._server: SiteServer | None = None
        self._stoppers: list[Callable[[], None]] = []

    def start(self) -> PreviewServer:
        """Checks the project exists and is readable, renders it once, then serves and watches."""
        from bgpub.services.permissions import Action, require
        from bgpub.services.projects import get_project

        record = get_project(self.workspace.actor, self.project)
        require(self.workspace.actor, record.organization, Action.PREVIEW)  # EDITOR: docs/permissions.md
        self.project = record.name
        source = self._source or ProjectSource(self.workspace, self.project, project_id=record.id)
        self.site = PreviewSite(source)
        self.site.start()
        try:
            self._server = SiteServer(self.site, self.host, self.port, verbose=self.verbose).start()
            self.port = self._server.port
            self._watch_database(record.id)
            if self.watch and isinstance(source, ProjectSource):
                self._watch_files(source)
        except BaseException:
            self.stop()
            raise
        return self

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("the preview is not running")
        return self._server.url

    @property
    def running(self) -> bool:
        return self._server is not None

    def stop(self) -> None:
        """Stops watching, ends open event streams and closes the socket; safe to call twice."""
        while self._stoppers:
            self._stoppers.pop()()
        if self._server is not None:
            self._server.stop()
            self._server = None
        elif self.site is not None:
            self.site.close()

    def _watch_database(self, project_id: str) -> None:
        from bgpub.services.revisions import project_revision

        site = self.site
        settings = self.workspace.settings
        poller = RevisionPoller(
            lambda: _revision_or_gone(project_revision(project_id)),
            site.request_rebuild,
            interval=POSTGRES_POLL_SECONDS if settings.is_postgres else SQLITE_POLL_SECONDS,
        ).start()
        self._stoppers.append(poller.stop)
        if settings.is_postgres:
            listener = ProjectListener(settings.database_url, project_id, site.request_rebuild).start()
            self._stoppers.append(listener.stop)

    def _watch_files(self, source: ProjectSource) -> None:
        def changed(paths: set[str]) -> None:
            source.sources_changed(paths)
            self.site.request_rebuild()

        watcher = SourceWatcher(source.component_dirs + source.theme_dirs, changed).start()
        self._stoppers.append(watcher.stop)
