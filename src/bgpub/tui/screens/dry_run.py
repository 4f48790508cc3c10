"""A publish's dry run: renders the site and lists, per target, the files a publish would send (new or
changed) and delete, changing nothing (`bgpub publish --dry-run`)."""

from __future__ import annotations

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from bgpub.domain.progress import size_text
from bgpub.errors import BgpubError, failure_text
from bgpub.tui.screens.base import log
from bgpub.tui.screens.modals import MODAL_CSS
from bgpub.tui.site_session import DryRun, site_of

LIMIT = 200  # files listed per target; the rest are counted


class DryRunDone(Message):
    def __init__(self, result: DryRun | None, problem: str = "") -> None:
        self.result = result
        self.problem = problem
        super().__init__()


def dry_run_text(result: DryRun, limit: int = LIMIT) -> Text:
    """The same facts `bgpub publish --dry-run` prints: per target, what would be sent and deleted."""
    text = Text()
    text.append(
        f"{result.files} files ({size_text(result.bytes)}), {result.rendered} rendered anew; "
        "nothing was changed\n"
    )
    if result.base_url:
        text.append(f"for {result.base_url}\n", style="dim")
    for plan in result.plans:
        sent = len(plan.added) + len(plan.changed)
        text.append(f"\n{plan.target}: ", style="bold")
        text.append(
            f"{sent} to upload ({len(plan.added)} new, {len(plan.changed)} changed), "
            f"{len(plan.removed)} to delete\n"
        )
        shown = 0
        for mark, paths, style in (
            ("+", plan.added, "green"),
            ("~", plan.changed, "yellow"),
            ("-", plan.removed, "red"),
        ):
            for path in paths:
                if shown < limit:
                    text.append(f"  {mark} ", style=style)
                    text.append(f"{path}\n")
                shown += 1
        if shown > limit:
            text.append(f"  … and {shown - limit} more\n", style="dim")
        if not shown:
            text.append("  nothing to upload or delete: the live site is up to date\n", style="dim")
    for warning in result.warnings:
        text.append(f"\nwarning: {warning}\n", style="yellow")
    return text


class DryRunModal(ModalScreen[None]):
    """Runs the dry run in a worker and lists what a publish to `target` would change."""

    DEFAULT_CSS = (
        MODAL_CSS.format(name="DryRunModal")
        + """
    DryRunModal > Vertical { width: 100; height: 100%; max-height: 40; }
    DryRunModal #dry-run-scroll { height: 1fr; }
    DryRunModal #dry-run-list { height: auto; }
    """
    )
    BINDINGS = [Binding("escape", "close", "Close", id="dry-run.close")]

    def __init__(self, project: str, target: str | None) -> None:
        super().__init__()
        self.project = project
        self.target = target
        self.result: DryRun | None = None

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                f"[b]Dry run: publishing {self.project} to {self.target or 'its default target'}[/b]"
            )
            with VerticalScroll(id="dry-run-scroll"):
                yield Static("rendering the site…", id="dry-run-list")
            with Horizontal(classes="buttons"):
                yield Button("Back", id="close")

    def on_mount(self) -> None:
        self.query_one("#dry-run-scroll", VerticalScroll).focus()
        self.run()

    @work(thread=True, exclusive=True, group="dry-run")
    def run(self) -> None:
        try:
            self.post_message(DryRunDone(site_of(self.app).dry_run(self.project, self.target)))
        except BgpubError as exc:
            self.post_message(DryRunDone(None, str(exc)))
        except Exception as exc:  # never a traceback on screen
            log.exception("dry run failed")
            self.post_message(DryRunDone(None, failure_text(exc)))

    def on_dry_run_done(self, message: DryRunDone) -> None:
        shown = self.query_one("#dry-run-list", Static)
        if message.result is None:
            shown.update(f"The dry run failed: {message.problem}")
            self.notify(message.problem, title="Dry run failed", severity="error", timeout=8)
            return
        self.result = message.result
        shown.update(dry_run_text(message.result))

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)
