"""What every deploy target is given and what it reports back."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from bgpub.domain.progress import Progress
from bgpub.publish.folder import Fetch


@dataclass(frozen=True)
class DeployRequest:
    """One version to put live: its number, manifest and the words for a commit; `before_switch`
    is what the publisher checks last (its lock still held), raising to stop before going live."""

    version: int
    manifest: Mapping[str, list[Any]]
    message: str = ""
    author_name: str = "bgpub"
    author_email: str = "bgpub@localhost"
    before_switch: Callable[[], None] | None = field(default=None, compare=False)
    # What the publisher knows is live on the target: the manifest of its last successful deployment
    # (None when unknown: never deployed, or the last deployment failed or was killed), and what that
    # deployment reported (`DeployOutcome.remote_ref`, e.g. the commit a git target pushed).
    previous: Mapping[str, list[Any]] | None = field(default=None, compare=False)
    previous_ref: str | None = None
    base_url: str = ""  # the public URL the version was rendered for ('' when none)

    def confirm_switch(self) -> None:
        """Every target calls this right before the step that makes the version live."""
        if self.before_switch is not None:
            self.before_switch()


@dataclass
class DeployOutcome:
    """`ok` only after the target was checked against the manifest; `problems` says what differs."""

    ok: bool
    files_sent: int = 0
    bytes_sent: int = 0
    problems: list[str] = field(default_factory=list)
    location: str = ""
    remote_ref: str = ""  # what the next deploy must find on the target (git: the pushed commit)

    def error_text(self, limit: int = 20) -> str:
        shown = self.problems[:limit]
        more = len(self.problems) - len(shown)
        text = "verification failed: " + "; ".join(shown)
        return text + (f"; and {more} more" if more > 0 else "")


class Target(Protocol):
    kind: str

    @property
    def location(self) -> str: ...

    def deploy(
        self, request: DeployRequest, fetch: Fetch, progress: Progress | None = None
    ) -> DeployOutcome: ...

    def verify(self, manifest: Mapping[str, list[Any]], *, full: bool = False) -> list[str]: ...

    def probe(self) -> list[str]:
        """Checks reachability and permissions without publishing: what was checked, or PublishError."""
        ...
