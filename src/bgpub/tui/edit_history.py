"""Undo/redo of the page editor: one step per field edit (typing into one field coalesces), one per
block added, moved or removed; a save is a mark in the history, never silently crossed.

Pure data (no widgets), so the rules are easy to test and reuse: the screen records a step with the
page's blocks before and after, and applies what `undo`/`redo` hand back.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass

from bgpub.domain.blocks import Block

Blocks = tuple[Block, ...]


@dataclass(frozen=True)
class Step:
    """One undoable change: what it was (`label`), the blocks before and after, and the key that lets
    further typing into the same field join it (None: never joined)."""

    label: str
    before: Blocks
    after: Blocks
    key: Hashable | None = None


@dataclass(frozen=True)
class Move:
    """What undo/redo did: the step, and whether it moved away from the last saved state."""

    step: Step
    left_saved: bool
    blocks: Blocks


class EditHistory:
    """Steps in order with a cursor (`position` = how many are applied) and the saved position."""

    def __init__(self, limit: int = 200) -> None:
        self.limit = limit
        self.steps: list[Step] = []
        self.position = 0
        self.saved_at: int | None = 0  # None: the saved state is no longer reachable by undo/redo

    def reset(self) -> None:
        """A freshly loaded page: nothing to undo, and what is shown is what is saved."""
        self.steps.clear()
        self.position = 0
        self.saved_at = 0

    @property
    def dirty(self) -> bool:
        return self.position != self.saved_at

    def record(
        self,
        label: str,
        before: Sequence[Block],
        after: Sequence[Block],
        key: Hashable | None = None,
    ) -> None:
        """Adds a step (dropping any redo); joins the previous one when both have the same `key` and
        no save lies between them."""
        before, after = tuple(before), tuple(after)
        if before == after:
            return
        last = self.steps[self.position - 1] if self.position else None
        if (
            key is not None
            and last is not None
            and last.key == key
            and self.saved_at != self.position
        ):
            self.steps[self.position - 1] = Step(label, last.before, after, key)
            del self.steps[self.position :]
            return
        del self.steps[self.position :]
        if self.saved_at is not None and self.saved_at > self.position:
            self.saved_at = None  # the saved state was on the redo branch just dropped
        self.steps.append(Step(label, before, after, key))
        self.position += 1
        overflow = len(self.steps) - self.limit
        if overflow > 0:
            del self.steps[:overflow]
            self.position -= overflow
            if self.saved_at is not None:
                self.saved_at = self.saved_at - overflow if self.saved_at >= overflow else None

    def mark_saved(self) -> None:
        self.saved_at = self.position

    def undo(self) -> Move | None:
        if not self.position:
            return None
        left = self.position == self.saved_at
        self.position -= 1
        step = self.steps[self.position]
        return Move(step, left, step.before)

    def redo(self) -> Move | None:
        if self.position >= len(self.steps):
            return None
        left = self.position == self.saved_at
        step = self.steps[self.position]
        self.position += 1
        return Move(step, left, step.after)

    def lines(self) -> list[tuple[int, str]]:
        """(position after the step, text) for every step, oldest first, with markers: `→` at the
        current state, `saved` at the saved one, `(undone)` for steps redo would re-apply."""
        out = [(0, self._decorate(0, "page as loaded"))]
        for index, step in enumerate(self.steps, start=1):
            out.append((index, self._decorate(index, step.label)))
        return out

    def _decorate(self, position: int, text: str) -> str:
        marks = []
        if position == self.saved_at:
            marks.append("saved")
        if position > self.position:
            marks.append("undone")
        cursor = "→ " if position == self.position else "  "
        return f"{cursor}{text}" + (f"  ({', '.join(marks)})" if marks else "")
