"""What every deploy target is given and what it reports back."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Protocol

from bgpub.publish.folder import Fetch, Progress


@dataclass(frozen=True)
class DeployRequest:
    """One version to put live: its number, manifest and the words for a commit."""

    version: int
    manifest: Mapping[str, list]
    message: str = ""
    author_name: str = "bgpub"
    author_email: str = "bgpub@localhost"


@dataclass
class DeployOutcome:
    """`ok` only after the target was checked against the manifest; `problems` says what differs."""

    ok: bool
    files_sent: int = 0
    bytes_sent: int = 0
    problems: list[str] = field(default_factory=list)
    location: str = ""

    def error_text(self, limit: int = 20) -> str:
        shown = self.problems[:limit]
        more = len(self.problems) - len(shown)
        text = "verification failed: " + "; ".join(shown)
        return text + (f"; and {more} more" if more > 0 else "")


class Target(Protocol):
    kind: str

    @property
    def location(self) -> str: ...

    def deploy(self, request: DeployRequest, fetch: Fetch, progress: Progress | None = None) -> DeployOutcome: ...

    def verify(self, manifest: Mapping[str, list], *, full: bool = False) -> list[str]: ...
