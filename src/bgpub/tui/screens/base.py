"""What every editor screen shares: the session, readable failures, and reporting from workers."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING

from textual.screen import Screen

from bgpub.errors import BgpubError, database_fault, failure_text
from bgpub.tui.messages import OperationFailed

if TYPE_CHECKING:
    from bgpub.tui.app import BgpubApp
    from bgpub.tui.service_session import ServiceSession
    from bgpub.tui.session import EditorSession

log = logging.getLogger("bgpub.tui")


class EditorScreen(Screen[None]):
    """Base of the editor's screens; workers report failures as messages, never as tracebacks."""

    # extra command-palette entries: (title, action, help) for actions without a key
    PALETTE: tuple[tuple[str, str, str], ...] = ()

    @property
    def bgpub(self) -> BgpubApp:
        return self.app  # type: ignore[return-value]

    @property
    def session(self) -> EditorSession:
        return self.bgpub.session

    @property
    def services(self) -> ServiceSession:
        """The app's session as the service layer itself, for the screens that call bgpub.services
        directly as its `actor` (shop, orders, sections, submissions); an injected session without
        an actor fails there with AttributeError, as it always did."""
        from bgpub.tui.service_session import ServiceSession

        session = self.bgpub.session
        if not isinstance(session, ServiceSession):
            raise AttributeError(f"{type(session).__name__} has no actor to call services as")
        return session

    # unsaved work: BgpubApp.action_quit asks before losing it (see BgpubApp's docstring)
    @property
    def has_unsaved_changes(self) -> bool:
        """True while the screen holds edits that are not stored; editors override it."""
        return False

    @property
    def unsaved_label(self) -> str:
        """How the quit question names this screen's unsaved work."""
        return self.title or type(self).__name__

    def save_unsaved(self, done: Callable[[bool], None]) -> None:
        """Starts storing the unsaved edits; calls `done(True)` once stored, `done(False)` if refused."""
        done(True)

    def when(self, moment: datetime | None) -> str:
        return self.bgpub.format_time(moment)

    @contextmanager
    def reporting(self, what: str) -> Iterator[None]:
        """Runs a service call in a worker; a failure becomes an OperationFailed message."""
        try:
            yield
        except BgpubError as exc:
            self.post_message(OperationFailed(str(exc), what=what))
        except (
            Exception
        ) as exc:  # a bug or an unexpected driver error: still no traceback on screen
            if database_fault(exc) is not None:
                self.post_message(OperationFailed(failure_text(exc), what=what))
                return
            log.exception("%s failed", what)
            self.post_message(
                OperationFailed(f"{what} failed unexpectedly: {failure_text(exc)}", what=what)
            )

    def on_operation_failed(self, message: OperationFailed) -> None:
        self.notify(message.text, title="Error", severity="error", timeout=8)
