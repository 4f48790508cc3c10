"""A dialog that stores its own values: the service call runs in a worker while the dialog stays open,
so a refused value (named with its field in a notification and under the form) keeps what was typed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar

from textual import work
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Static

from bgpub.errors import BgpubError, database_fault, failure_text
from bgpub.tui.screens.base import log

T = TypeVar("T")


class Stored(Message):
    def __init__(self, result: Any) -> None:
        self.result = result
        super().__init__()


class Refused(Message):
    def __init__(self, text: str) -> None:
        self.text = text
        super().__init__()


class SavingModal(ModalScreen[T], Generic[T]):
    """Subclasses call `store(call, result)`; the dialog closes with `result` once `call()` returned."""

    ERROR_ID = "form-error"  # a Static under the fields showing the last refusal
    saving = False

    def store(self, call: Callable[[], Any], result: T) -> None:
        if self.saving:
            self.notify("still saving…", severity="warning")
            return
        self.saving = True
        self._store(call, result)

    @work(thread=True, exclusive=True, group="form-store")
    def _store(self, call: Callable[[], Any], result: T) -> None:
        try:
            call()
        except BgpubError as exc:
            self.post_message(Refused(str(exc)))
        except Exception as exc:  # never a traceback on screen
            if database_fault(exc) is None:
                log.exception("saving a form failed")
            self.post_message(Refused(failure_text(exc)))
        else:
            self.post_message(Stored(result))

    def on_stored(self, message: Stored) -> None:
        self.saving = False
        self.dismiss(message.result)

    def on_refused(self, message: Refused) -> None:
        self.saving = False
        self.notify(message.text, title="Not saved", severity="error", timeout=10)
        for error in self.query(f"#{self.ERROR_ID}").results(Static):
            error.update(message.text)
