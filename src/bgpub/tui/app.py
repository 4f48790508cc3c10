"""The bgpub editor application; `make_app` builds it with its services (the CLI and tests share it)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal, overload

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import ModalScreen, ScreenResultCallbackType, ScreenResultType
from textual.worker import WorkerFailed

from bgpub.domain.versions import PublishOutcome
from bgpub.errors import BgpubError, database_fault
from bgpub.tui.commands import ActionCommands
from bgpub.tui.screens.help import HelpScreen
from bgpub.tui.screens.modals import ChoiceModal
from bgpub.tui.screens.workspace import WorkspaceScreen
from bgpub.tui.widgets import asset_preview  # noqa: F401  textual-image asks the terminal what it draws: before Textual reads keys

if TYPE_CHECKING:
    import asyncio

    from textual.screen import Screen
    from textual.widget import AwaitMount

    from bgpub.domain.blocks import Block
    from bgpub.domain.search import SearchHit
    from bgpub.services.workspace import Workspace
    from bgpub.tui.service_session import PreviewFactory
    from bgpub.tui.session import EditorSession

TimeFormat = Callable[[datetime | None], str]
log = logging.getLogger("bgpub.tui")


def local_time(moment: datetime | None) -> str:
    """Dates as people read them in a table; '—' when there is none."""
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "—"


class QuitQuestion(ChoiceModal):
    """Asked by Ctrl+Q while some screen holds unsaved changes."""


class BgpubApp(App[None]):
    """Workspace → project → page editor, with assets, versions, publish and preview around them.

    Unsaved work: any screen on the stack may define a `has_unsaved_changes` property, an
    `unsaved_label` (what to name in the question) and `save_unsaved(done)` (start saving, then call
    `done(True)` once stored or `done(False)` when refused); `EditorScreen` gives the defaults. Ctrl+Q
    asks Save/Discard/Stay whenever one of them reports unsaved changes, so a new editor joins by
    defining those three, nothing else.
    """

    CSS_PATH = "app.tcss"
    TITLE = "bgpub"
    COMMANDS = {ActionCommands}  # bgpub's actions first; Textual's system commands come through it
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", id="app.help"),
        Binding("ctrl+t", "toggle_theme", "Light/dark", id="app.theme"),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", priority=True),
        # priority: inside a text field Ctrl+F would otherwise delete the next word
        Binding("ctrl+f", "search", "Search", id="app.search", priority=True, show=False),
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
        self._held_for: Screen[object] | None = (
            None  # a modal being opened: it owns the keys typed meanwhile
        )
        self._held_keys: list[events.Key] = []
        self.block_clipboard: tuple[
            Block, ...
        ] = ()  # blocks copied or cut in a page editor, pasted on any page

    def on_mount(self) -> None:
        self.push_screen(WorkspaceScreen())
        if self.initial_project:
            self.open_project(self.initial_project)

    def on_unmount(self) -> None:
        try:
            self.session.close()
        except Exception:  # closing must never raise at exit
            pass

    # a modal owns the keyboard from the moment it is pushed
    @overload
    def push_screen(
        self,
        screen: Screen[ScreenResultType] | str,
        callback: ScreenResultCallbackType[ScreenResultType] | None = None,
        wait_for_dismiss: Literal[False] = False,
        *,
        mode: str | None = None,
    ) -> AwaitMount: ...

    @overload
    def push_screen(
        self,
        screen: Screen[ScreenResultType] | str,
        callback: ScreenResultCallbackType[ScreenResultType] | None = None,
        wait_for_dismiss: Literal[True] = True,
        *,
        mode: str | None = None,
    ) -> asyncio.Future[ScreenResultType]: ...

    def push_screen(
        self,
        screen: Screen[ScreenResultType] | str,
        callback: ScreenResultCallbackType[ScreenResultType] | None = None,
        wait_for_dismiss: bool = False,
        *,
        mode: str | None = None,
    ) -> AwaitMount | asyncio.Future[ScreenResultType]:
        """Pushes as Textual does; keys typed before a pushed modal has its focus are held for it, so
        they reach its first field instead of the screen underneath (keys that open a modal from a
        text field are priority bindings, handled before the keys typed after them)."""
        result: AwaitMount | asyncio.Future[ScreenResultType]
        if wait_for_dismiss:  # spelled twice: Textual's overloads take a Literal, not a bool
            result = super().push_screen(screen, callback, True, mode=mode)
        else:
            result = super().push_screen(screen, callback, False, mode=mode)
        if isinstance(screen, ModalScreen):
            self._held_for = screen
            self.call_after_refresh(self._release_when_focused, screen, 20)
        return result

    def _release_when_focused(self, screen: Screen[object], frames_left: int) -> None:
        """Hands the held keys on once the modal focused its first field (or after a few frames)."""
        if self._held_for is not screen:
            return
        if screen.is_attached and (
            screen.focused is not None or frames_left <= 0 or not screen.focus_chain
        ):
            self._held_for = None
            held, self._held_keys = self._held_keys, []
            for key in held:
                self.post_message(key)
            return
        self.call_after_refresh(self._release_when_focused, screen, frames_left - 1)

    async def on_event(self, event: events.Event) -> None:
        if (
            isinstance(event, events.Key)
            and not event.is_forwarded
            and self._held_for is not None
            and self._held_for is self.screen
        ):
            self._held_keys.append(event)
            return
        await super().on_event(event)

    # navigation (screens call these; each screen loads its own data in workers)
    def open_project(self, project: str) -> None:
        from bgpub.tui.screens.project import ProjectScreen

        self.push_screen(ProjectScreen(project))

    def open_page(self, project: str, slug: str) -> None:
        from bgpub.tui.screens.page_editor import PageEditorScreen

        self.push_screen(PageEditorScreen(project, slug))

    def action_search(self) -> None:
        """Ctrl+F in any screen of a project: search its pages, sections and posts, jump to the match."""
        from textual.screen import ModalScreen

        from bgpub.tui.screens.search import ContentSearchModal, open_hit

        if isinstance(self.screen, ModalScreen):
            return  # a dialog owns the keyboard
        project = getattr(self.screen, "project", None)
        if not isinstance(project, str) or not project:
            self.notify(
                "open a project first: search looks through one project's content",
                severity="warning",
            )
            return
        actor = getattr(self.session, "actor", None)

        def opened(hit: SearchHit | None) -> None:
            if hit is not None:
                open_hit(self, project, hit)

        self.push_screen(ContentSearchModal(project, actor), opened)

    def open_assets(self, project: str) -> None:
        from bgpub.tui.screens.assets import AssetsScreen

        self.push_screen(AssetsScreen(project))

    def open_versions(self, project: str) -> None:
        from bgpub.tui.screens.versions import VersionsScreen

        self.push_screen(VersionsScreen(project))

    def start_publish(self, project: str) -> None:
        """Checks the site (as `bgpub check` does), asks for a message, then publishes with live progress."""
        from bgpub.tui.screens.publish import PublishModal
        from bgpub.tui.screens.publish_check import PublishFormModal

        def go(values: dict[str, str] | None) -> None:
            if values is not None:
                self.push_screen(
                    PublishModal(project, values["message"], target=values.get("target") or None),
                    self._published,
                )

        self.push_screen(PublishFormModal(project), go)

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
        self.exit(
            return_code=1,
            message=f"bgpub editor stopped: {type(error).__name__}: {error} (details in the log)",
        )

    # app-wide actions
    def unsaved_screens(self) -> list[Screen[object]]:
        """Screens on the stack holding edits that are not stored yet (see the class docstring)."""
        return [s for s in self.screen_stack if getattr(s, "has_unsaved_changes", False)]

    async def action_quit(self) -> None:
        unsaved = self.unsaved_screens()
        if not unsaved:
            self.exit()
            return
        if isinstance(self.screen, QuitQuestion):
            return
        names = ", ".join(getattr(s, "unsaved_label", s.title or type(s).__name__) for s in unsaved)
        question = f"There are unsaved changes in {names}.\n\nSave them before quitting?"
        choices = [("save", "Save and quit"), ("discard", "Discard and quit"), ("cancel", "Stay")]
        self.push_screen(QuitQuestion(question, choices), self._quit_answer)

    def _quit_answer(self, answer: str | None) -> None:
        if answer == "discard":
            self.exit()
        elif answer == "save":
            self._save_then_quit(self.unsaved_screens())

    def _save_then_quit(self, pending: list[Screen[object]]) -> None:
        """Saves each unsaved screen in turn; quits once all are stored, stays when one is refused."""
        if not pending:
            self.exit()
            return
        screen, rest = pending[0], pending[1:]

        def saved(ok: bool) -> None:
            if ok:
                self._save_then_quit(rest)
            else:
                self.notify(
                    "not quitting: fix what could not be saved, or quit and discard",
                    severity="warning",
                )

        screen.save_unsaved(saved)  # type: ignore[attr-defined]

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands worth a palette line, named so none reads like a site action."""
        yield SystemCommand(
            "Editor colour theme",
            "Change the colours of the editor (not of the site)",
            self.action_change_theme,
        )
        yield SystemCommand(
            "Keys panel", "Show or hide the keys of the focused widget", self._toggle_keys
        )
        yield SystemCommand(
            "Screenshot of the editor",
            "Save an SVG of the screen into the workspace",
            self.action_screenshot_here,
        )

    def _toggle_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def screenshot_folder(self) -> Path:
        """Screenshots go into the workspace (no ~/Downloads on a server), in a folder made on demand."""
        home = getattr(self.session, "home", None)
        return Path(home if home is not None else Path.cwd()) / "screenshots"

    def action_screenshot_here(self) -> None:
        folder = self.screenshot_folder()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = self.save_screenshot(path=str(folder))
        except OSError as exc:
            self.notify(
                f"screenshot not saved in {folder}: {exc.strerror or exc}",
                severity="error",
                timeout=10,
            )
            return
        self.notify(f"screenshot saved to {path}", timeout=10)

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
    preview: PreviewFactory | None = None,
) -> BgpubApp:
    """Builds the editor on a workspace (or on an injected session, as tests and benchmarks do);
    `preview` makes a project's preview server (the launcher passes bgpub.preview's)."""
    if session is None:
        from bgpub.tui.service_session import ServiceSession

        session = ServiceSession(workspace, preview)
    return BgpubApp(session, project=project, format_time=format_time)
