"""How a long operation tells a front end how far it got: one event (`Step`), one callback (`Progress`).

The build, the publish, the renderer, each deploy target and the folder sync all report `Step`s, and
the CLI's progress bars and the editor's publish dialog all read them, so no layer translates between
argument orders on the way (each used to have its own callback shape).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

DEPLOY = "deploy"  # the stage deploy targets and the folder sync report; the other stages are below
# the stages before it: "snapshot", "render", "store" (publish) and "write", "done" (build)


@dataclass(frozen=True)
class Step:
    """Where a long operation stands: its stage, the items (pages, files, objects) done of `total`
    (0 when not known yet) and, while deploying, the bytes sent of `bytes_total` to `target`."""

    stage: str
    done: int = 0
    total: int = 0
    bytes_done: int = 0
    bytes_total: int = 0
    target: str = ""  # the deploy target's name; a target itself leaves it to the publish to fill

    @property
    def label(self) -> str:
        """The line a progress bar shows: the stage, or `deploy cdn: 1.2 MB of 3.4 MB` when deploying."""
        if self.stage == DEPLOY and self.target:
            return (
                f"deploy {self.target}: {size_text(self.bytes_done)} of "
                f"{size_text(self.bytes_total)}"
            )
        return self.stage


class Progress(Protocol):
    """What every long operation calls with each `Step` (from the worker's thread)."""

    def __call__(self, step: Step, /) -> None: ...


def size_text(size: int) -> str:
    """1234567 -> '1.2 MB' (decimal units): byte counts as the summaries and progress lines print them."""
    value = float(size)
    for unit in ("B", "kB", "MB", "GB"):
        if value < 1000 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{size} B"
