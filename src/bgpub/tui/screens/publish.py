"""Publishing with live progress, then the result: target, URL or path, files changed, seconds."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, ProgressBar, Static

from bgpub.domain.progress import Step
from bgpub.domain.versions import PublishOutcome
from bgpub.errors import BgpubError, failure_text
from bgpub.tui.messages import OperationFailed, Published, PublishProgressed
from bgpub.tui.screens.base import log
from bgpub.tui.screens.modals import MODAL_CSS


def describe(outcome: PublishOutcome, *, rollback: bool = False) -> str:
    verb = "Rolled back to" if rollback else "Published"
    return (
        f"{verb} version {outcome.version}\n"
        f"target: {outcome.target}\n"
        f"at: {outcome.location}\n"
        f"files changed: {outcome.files_changed}\n"
        f"took {outcome.seconds:.2f} s"
    )


class PublishModal(ModalScreen[PublishOutcome | None]):
    """Runs a publish (or a rollback to `rollback_to`) in a worker; the interface keeps responding."""

    DEFAULT_CSS = (
        MODAL_CSS.format(name="PublishModal")
        + """
    PublishModal ProgressBar { margin: 1 0; }
    PublishModal #publish-step { color: $text-muted; height: 1; }
    PublishModal #publish-result { height: auto; }
    PublishModal #publish-result.-ok { color: $success; }
    PublishModal #publish-result.-failed { color: $error; }
    """
    )
    BINDINGS = [Binding("escape", "close", "Close", id="publish.close")]

    def __init__(
        self,
        project: str,
        message: str = "",
        *,
        rollback_to: int | None = None,
        target: str | None = None,
    ) -> None:
        super().__init__()
        self.project = project
        self.message = message
        self.target = target  # a target's name, 'all', or None for the project's default
        self.rollback_to = rollback_to
        self.outcome: PublishOutcome | None = None
        self.running = True

    def compose(self) -> ComposeResult:
        what = (
            f"Rolling back {self.project} to version {self.rollback_to}"
            if self.rollback_to
            else f"Publishing {self.project}"
        )
        if self.target and not self.rollback_to:
            what += f" to {'every target' if self.target == 'all' else self.target}"
        with Vertical():
            yield Label(f"[b]{what}[/b]")
            yield ProgressBar(total=None, show_eta=False, id="publish-progress")
            yield Static("starting…", id="publish-step", markup=False)
            yield Static("", id="publish-result", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Close", id="close", disabled=True)

    def on_mount(self) -> None:
        self.run()

    @work(thread=True, exclusive=True, group="publish")
    def run(self) -> None:
        session = self.app.session  # type: ignore[attr-defined]

        def progress(step: Step) -> None:
            self.post_message(PublishProgressed(step.done, step.total, step.label))

        try:
            if self.rollback_to is not None:
                outcome = session.rollback(self.project, self.rollback_to)
            elif self.target:
                from bgpub.tui.site_session import site_of

                outcome = site_of(self.app).publish(
                    self.project, self.message, self.target, progress
                )
            else:
                outcome = session.publish(self.project, self.message, progress)
        except BgpubError as exc:
            self.post_message(OperationFailed(str(exc), what="publishing"))
        except Exception as exc:  # never a traceback on screen
            log.exception("publish failed")
            self.post_message(OperationFailed(failure_text(exc), what="publishing"))
        else:
            self.post_message(Published(outcome, rollback=self.rollback_to is not None))

    def on_publish_progressed(self, message: PublishProgressed) -> None:
        bar = self.query_one(ProgressBar)
        if message.total:
            bar.update(total=message.total, progress=message.done)
        self.query_one("#publish-step", Static).update(message.what)

    def on_published(self, message: Published) -> None:
        self.outcome = message.outcome
        bar = self.query_one(ProgressBar)
        bar.update(total=1, progress=1)
        self.query_one("#publish-step", Static).update("done")
        result = self.query_one("#publish-result", Static)
        result.update(describe(message.outcome, rollback=message.rollback))
        result.add_class("-ok")
        self._finished()
        self.notify(f"version {message.outcome.version} is live at {message.outcome.location}")

    def on_operation_failed(self, message: OperationFailed) -> None:
        result = self.query_one("#publish-result", Static)
        result.update(f"Failed: {message.text}")
        result.add_class("-failed")
        self.query_one("#publish-step", Static).update(
            "nothing was changed on the live site" if self.rollback_to is None else ""
        )
        self._finished()
        self.notify(message.text, title="Publish failed", severity="error", timeout=8)

    def _finished(self) -> None:
        self.running = False
        button = self.query_one("#close", Button)
        button.disabled = False
        button.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_close()

    def action_close(self) -> None:
        if self.running:
            self.notify(
                "still publishing: it finishes in the background of this dialog", severity="warning"
            )
            return
        self.dismiss(self.outcome)
