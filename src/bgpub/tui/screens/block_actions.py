"""The page editor's clipboard and undo/redo actions, as mixins of PageEditorScreen (kept apart so
each file stays small). They use the screen's `blocks`, `history`, `_structural`, `_refresh_blocks`,
`_selected` and `_component_name`."""

from __future__ import annotations

import copy
from abc import abstractmethod
from typing import TYPE_CHECKING

from bgpub.domain.blocks import Block
from bgpub.tui.edit_history import Move
from bgpub.tui.screens.history import HistoryModal

if TYPE_CHECKING:
    from bgpub.domain.components import ComponentInfo
    from bgpub.tui.edit_history import EditHistory
    from bgpub.tui.screens.base import EditorScreen

    class Base(EditorScreen):
        """What the mixins use of PageEditorScreen, declared for the type checker only (naming
        PageEditorScreen itself here would make it its own base)."""

        blocks: list[Block]
        components: dict[str, ComponentInfo]
        history: EditHistory
        invalid: dict[int, dict[tuple[str | int, ...], str]]

        @abstractmethod
        def _selected(self) -> int | None: ...

        @abstractmethod
        def _component_name(self, block: Block) -> str: ...

        @abstractmethod
        async def _structural(
            self, blocks: list[Block], highlight: int | None, label: str
        ) -> None: ...

        @abstractmethod
        async def _refresh_blocks(self, highlight: int | None, *, rebuild_form: bool) -> None: ...

else:
    Base = object


class BlockClipboard(Base):
    # copy, cut, paste: the clipboard is the app's, so blocks move between pages
    def action_copy_block(self) -> None:
        index = self._selected()
        if index is not None:
            self.bgpub.block_clipboard = (self.blocks[index],)
            name = self._component_name(self.blocks[index])
            self.notify(f"copied block {index + 1} {name} (p pastes it, here or on another page)")

    async def action_cut_block(self) -> None:
        index = self._selected()
        if index is None:
            return
        self.bgpub.block_clipboard = (self.blocks[index],)
        blocks = list(self.blocks)
        name = self._component_name(blocks.pop(index))
        await self._structural(
            blocks, min(index, len(blocks) - 1) if blocks else None, f"cut block {index + 1} {name}"
        )
        self.notify(f"cut block {index + 1} {name} (p pastes it)")

    async def action_paste_block(self) -> None:
        pasted = tuple(b for b in self.bgpub.block_clipboard if b.component in self.components)
        if not pasted:
            self.notify(
                "nothing to paste: y copies the highlighted block, d cuts it", severity="warning"
            )
            return
        selected = self._selected()
        at = (selected + 1) if selected is not None else len(self.blocks)
        blocks = list(self.blocks)
        blocks[at:at] = [Block(b.component, copy.deepcopy(b.props)) for b in pasted]
        await self._structural(blocks, at, f"pasted {self._component_name(pasted[0])} at {at + 1}")


class UndoRedo(Base):
    # undo, redo, history
    async def action_undo(self) -> None:
        await self._apply(self.history.undo(), "undid", "nothing to undo")

    async def action_redo(self) -> None:
        await self._apply(self.history.redo(), "redid", "nothing to redo")

    async def _apply(self, move: Move | None, verb: str, nothing: str) -> None:
        if move is None:
            self.notify(nothing, severity="warning")
            return
        self.blocks = list(move.blocks)
        self.invalid.clear()
        await self._refresh_blocks(self._selected(), rebuild_form=True)
        if move.left_saved:  # never cross a save silently
            self.notify(
                f"{verb} {move.step.label}: past the last save, so the page now differs from what is "
                "saved (Ctrl+S saves it, the other way brings the saved state back)",
                severity="warning",
                timeout=8,
            )
        else:
            self.notify(f"{verb} {move.step.label}")

    def action_history(self) -> None:
        self.app.push_screen(HistoryModal(self.history.lines(), self.history.position), self._go_to)

    async def _go_to(self, position: int | None) -> None:
        if position is None or position == self.history.position:
            return
        left = False
        move = None
        while self.history.position != position:
            move = self.history.undo() if self.history.position > position else self.history.redo()
            if move is None:
                break
            left = left or move.left_saved
        if move is not None:
            await self._apply(Move(move.step, left, move.blocks), "went to", "")
