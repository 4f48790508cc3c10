"""The bgpub editor application; `make_app` builds it with its services (the CLI and tests share it)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import App
from textual.binding import Binding
from textual.worker import WorkerFailed

from bgpub.errors import BgpubError, database_fault
from bgpub.tui.commands import ActionCommands
from bgpub.tui.records import PublishOutcome
from bgpub.tui.screens.help import HelpScreen
from bgpub.tui.screens.workspace import WorkspaceScreen

if TYPE_CHECKING:
    from bgpub.services.workspace import Workspace
    from bgpub.tui.session import EditorSession

TimeFormat = Callable[[datetime | None], str]
log = logging.getLogger("bgpub.tui")


def local_time(moment: datetime | None) -> str:
    """Dates as people read them in a table; '—' when there is none."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "—"


class BgpubApp(App):
    """Workspace → project → page editor, with assets, versions, publish and preview around them."""

    CSS_PATH = "app.tcss"
    TITLE = "bgpub"
    COMMANDS = App.COMMANDS | {ActionCommands}
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", id="app.theme"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
    ]

    def __init__(
        self,
        session: EditorSession,
        *,
        project: str | None = None,
        format_time: TimeFormat = local_time,
    ) -> None:
        super().__init__()
        self.session = session
        self.initial_project = project
        self.format_time = format_time
        self.theme = "textual-dark"

    def on_mount(self) -> None:
        self.push_screen(WorkspaceScreen())
        if self.initial_project:
            self.open_project(self.initial_project)

    def on_unmount(self) -> None:
        try:
            self.session.close()
        except Exception:  # closing must never raise at exit
            pass

    # navigation (screens call these; each screen loads its own data in workers)
    def open_project(self, project: str) -> None:
        from bgpub.tui.screens.project import ProjectScreen

        self.push_screen(ProjectScreen(project))

    def open_page(self, project: str, slug: str) -> None:
        from bgpub.tui.screens.page_editor import PageEditorScreen

        self.push_screen(PageEditorScreen(project, slug))

    def open_assets(self, project: str) -> None:
        from bgpub.tui.screens.assets import AssetsScreen

        self.push_screen(AssetsScreen(project))

    def open_versions(self, project: str) -> None:
        from bgpub.tui.screens.versions import VersionsScreen

        self.push_screen(VersionsScreen(project))

    def start_publish(self, project: str) -> None:
        """Asks for a message, then publishes with live progress."""
        from bgpub.tui.screens.modals import FormField, FormModal
        from bgpub.tui.screens.publish import PublishModal

        def go(values: dict[str, str] | None) -> None:
            if values is not None:
                self.push_screen(PublishModal(project, values["message"]), self._published)

        field = FormField("message", "What changed? (optional)", placeholder="e.g. new pricing")
        self.push_screen(FormModal(f"Publish {project}", [field], submit="Publish"), go)

    def start_rollback(self, project: str, number: int) -> None:
        from bgpub.tui.screens.publish import PublishModal

        self.push_screen(PublishModal(project, rollback_to=number), self._published)

    def _published(self, outcome: PublishOutcome | None) -> None:
        screen = self.screen
        if outcome is not None and hasattr(screen, "load"):
            screen.load()

    def _handle_exception(self, error: Exception) -> None:
        """A readable error escaping a handler is a notification; any other is logged, and the app
        exits with one line instead of a traceback on screen (tests still see it raised). A database
        driver's error (a locked SQLite file, a dropped PostgreSQL connection) is readable too."""
        cause = getattr(error, "error", error) if isinstance(error, WorkerFailed) else error
        readable = cause if isinstance(cause, BgpubError) else database_fault(cause)
        if readable is not None:
            self.notify(str(readable), title="Error", severity="error", timeout=8)
            return
        log.error("unexpected error in the editor", exc_info=error)
        self._return_code = 1
        if self._exception is None:
            self._exception = error
            self._exception_event.set()
        self.exit(return_code=1, message=f"bgpub editor stopped: {type(error).__name__}: {error} (details in the log)")

    # app-wide actions
    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_toggle_theme(self) -> None:
        self.theme = "textual-light" if self.theme == "textual-dark" else "textual-dark"


def make_app(
    workspace: Workspace,
    project: str | None = None,
    *,
    session: EditorSession | None = None,
    format_time: TimeFormat = local_time,
) -> BgpubApp:
    """Builds the editor on a workspace (or on an injected session, as tests and benchmarks do)."""
    if session is None:
        from bgpub.tui.service_session import ServiceSession

        session = ServiceSession(workspace)
    return BgpubApp(session, project=project, format_time=format_time)
