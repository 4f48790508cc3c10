"""Before publishing: what `bgpub check` finds (errors stop the publish, warnings are shown), then
the message of the version."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from bgpub.domain.checks import ERROR, Finding
from bgpub.errors import failure_text
from bgpub.tui.screens.modals import MODAL_CSS

BLOCKING = frozenset({"placeholder-text"})  # checks whose errors no one may publish over


class ChecksLoaded(Message):
    def __init__(self, findings: Sequence[Finding] | None, problem: str = "") -> None:
        self.findings = tuple(findings or ())
        self.problem = problem
        super().__init__()


def findings_text(findings: Sequence[Finding]) -> Text:
    """Errors first, each with where it is; the same lines `bgpub check` prints."""
    text = Text()
    for finding in findings:
        style = "bold red" if finding.severity == ERROR else "yellow"
        text.append(f"{finding.severity:<7} ", style=style)
        text.append(f"{finding.where}: ", style="bold")
        text.append(f"{finding.message}\n")
    return text


class TargetsListed(Message):
    def __init__(self, choices: Sequence[tuple[str, str]]) -> None:
        self.choices = tuple(choices)
        super().__init__()


def target_choices(rows: Sequence[object]) -> list[tuple[str, str]]:
    """(label, value) of the targets a publish may go to: each target, and all of them when several;
    a project without targets publishes to its default folder (value '')."""
    if not rows:
        return [("default: a folder in the workspace", "")]
    choices = [(f"{r.name} ({r.kind}: {r.location})", r.name) for r in rows]  # type: ignore[attr-defined]
    if len(rows) > 1:
        choices.append(("all targets", "all"))
    return choices


class PublishFormModal(ModalScreen[dict[str, str] | None]):
    """Checks the site, shows the findings, asks what changed; returns {"message": ...} or None.
    Publishing is refused while an error is listed (fix it, or `bgpub check PROJECT` to see it again)."""

    DEFAULT_CSS = (
        MODAL_CSS.format(name="PublishFormModal")
        + """
    PublishFormModal #publish-checks-scroll { height: auto; max-height: 12; }
    PublishFormModal #publish-checks { height: auto; }
    PublishFormModal Label { margin-top: 1; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="publish-form.cancel")]

    def __init__(self, project: str) -> None:
        super().__init__()
        self.project = project
        self.findings: tuple[Finding, ...] | None = None  # None while checking

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings or () if f.severity == ERROR)

    @property
    def blocking(self) -> int:
        """Errors nobody may publish over: required props left as the component's sample text."""
        return sum(1 for f in self.findings or () if f.severity == ERROR and f.check in BLOCKING)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"[b]Publish {self.project}[/b]")
            with VerticalScroll(id="publish-checks-scroll", can_focus=False):
                yield Static("checking the site…", id="publish-checks")
            yield Label("Target")
            yield Select([], prompt="reading the targets…", id="publish-target", compact=True)
            yield Label("What changed? (optional)")
            yield Input(placeholder="e.g. new pricing", id="form-message")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Dry run", id="dry-run")
                yield Button("Publish", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#form-message", Input).focus()
        self.run_checks()
        self.list_targets()

    @work(thread=True, exclusive=True, group="publish-targets")
    def list_targets(self) -> None:
        from bgpub.tui.site_session import site_of

        try:
            rows = site_of(self.app).targets(self.project)
        except Exception as exc:  # publishing to the default target still works: say so instead
            self.notify(f"the targets could not be read: {failure_text(exc)}", severity="warning")
            rows = []
        self.post_message(TargetsListed(target_choices(rows)))

    def on_targets_listed(self, message: TargetsListed) -> None:
        select = self.query_one("#publish-target", Select)
        select.set_options(message.choices)
        select.value = message.choices[0][1]

    @property
    def target(self) -> str | None:
        """The chosen target's name ('all' for every one), None for the project's default."""
        value = self.query_one("#publish-target", Select).value
        return None if value is Select.NULL or not value else str(value)

    @work(thread=True, exclusive=True, group="publish-checks")
    def run_checks(self) -> None:
        try:
            self.post_message(ChecksLoaded(self.app.session.site_checks(self.project)))  # type: ignore[attr-defined]
        except Exception as exc:  # a check that fails must not stop publishing: say so instead
            self.post_message(ChecksLoaded(None, f"the checks could not run: {failure_text(exc)}"))

    def on_checks_loaded(self, message: ChecksLoaded) -> None:
        self.findings = message.findings
        shown = self.query_one("#publish-checks", Static)
        if message.problem:
            shown.update(message.problem)
        elif not self.findings:
            shown.update("No problems found.")
        else:
            text = findings_text(self.findings)
            if self.blocking:
                text.append("Replace the sample text before publishing.", style="bold")
            elif self.errors:
                text.append("Errors: fix them, or press Publish anyway.", style="bold")
            else:
                text.append("Warnings only: you may publish.", style="bold")
            shown.update(text)
        ok = self.query_one("#ok", Button)
        ok.disabled = bool(self.blocking)
        if self.errors and not self.blocking:
            ok.label, ok.variant = "Publish anyway", "error"

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._submit(anyway=False)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "ok":
            self._submit(anyway=True)
        elif event.button.id == "dry-run":
            from bgpub.tui.screens.dry_run import DryRunModal

            self.app.push_screen(DryRunModal(self.project, self.target))
        else:
            self.dismiss(None)

    def _submit(self, *, anyway: bool) -> None:
        """Enter publishes a site with warnings only; errors take the Publish anyway button; a
        required prop left as sample text is never published."""
        if self.findings is None:
            self.notify("still checking the site…", severity="warning")
        elif self.blocking:
            self.notify(
                f"{self.blocking} required prop(s) still hold sample text (listed above)",
                severity="error",
            )
        elif self.errors and not anyway:
            self.notify(
                f"{self.errors} error(s) listed: fix them, or press Publish anyway",
                severity="error",
            )
        else:
            self.dismiss(
                {
                    "message": self.query_one("#form-message", Input).value,
                    "target": self.target or "",
                }
            )

    def action_cancel(self) -> None:
        self.dismiss(None)
