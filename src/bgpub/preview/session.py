"""The preview of one project, as the CLI and the TUI start it: render, serve, watch, reload.

`PreviewServer(workspace, "demo").start()` renders the project's current (unpublished) state into
memory with the incremental renderer, serves it on 127.0.0.1, and re-renders when the project
changes in the database (any process, any machine on the same PostgreSQL) or a file under
`themes/` or `components/` changes. `stop()` ends every thread it started.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from bgpub.preview.changes import ProjectListener, RevisionPoller
from bgpub.preview.server import SiteServer
from bgpub.preview.site import PreviewSite
from bgpub.preview.watcher import SourceWatcher
from bgpub.services.drafts import BlobCache, DraftSource, preview_base_url

if TYPE_CHECKING:
    from bgpub.services.workspace import Workspace

ProjectSource = DraftSource  # the name earlier callers and tests use
__all__ = ["BlobCache", "PreviewServer", "ProjectSource", "preview_base_url"]

SQLITE_POLL_SECONDS = 0.025  # a primary-key read; 40 a second cost next to nothing
POSTGRES_POLL_SECONDS = 2.0  # safety net only: NOTIFY is the fast path


DELETED = -1  # the revision the poller sees once the project is gone: a change, so the page says so


def _revision_or_gone(revision: int | None) -> int:
    return DELETED if revision is None else revision


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
        from bgpub.services.projects import show_previewable_project

        record = show_previewable_project(self.workspace.actor, self.project)
        self.project = record.name
        source = self._source or ProjectSource(self.workspace, self.project, project_id=record.id)
        self.site = PreviewSite(source)
        self.site.start()
        try:
            self._server = SiteServer(self.site, self.host, self.port, verbose=self.verbose).start()
            self.port = self._server.port
            self._watch_database(self.site, record.id)
            if self.watch and isinstance(source, ProjectSource):
                self._watch_files(self.site, source)
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

    def _watch_database(self, site: PreviewSite, project_id: str) -> None:
        from bgpub.services.revisions import project_revision

        settings = self.workspace.settings
        poller = RevisionPoller(
            lambda: _revision_or_gone(project_revision(project_id)),
            site.request_rebuild,
            interval=POSTGRES_POLL_SECONDS if settings.is_postgres else SQLITE_POLL_SECONDS,
        ).start()
        self._stoppers.append(poller.stop)
        if settings.is_postgres:
            listener = ProjectListener(
                settings.database_url, project_id, site.request_rebuild
            ).start()
            self._stoppers.append(listener.stop)

    def _watch_files(self, site: PreviewSite, source: ProjectSource) -> None:
        def changed(paths: set[str]) -> None:
            source.sources_changed(paths)
            site.request_rebuild()

        watcher = SourceWatcher(source.component_dirs + source.theme_dirs, changed).start()
        self._stoppers.append(watcher.stop)
