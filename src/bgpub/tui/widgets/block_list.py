"""The ordered component instances of a page, one line each: position, component and a hint of content."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from bgpub.tui.records import BlockData


def block_hint(block: BlockData, width: int = 24) -> str:
    """The first short text prop of a block, so people recognise it in the list."""
    for value in block.props.values():
        if isinstance(value, str) and value.strip():
            line = value.strip().splitlines()[0]
            return line if len(line) <= width else line[: width - 1] + "…"
    return ""


class BlockList(OptionList):
    """Blocks in page order; the highlighted one is edited in the props form."""

    DEFAULT_CSS = """
    BlockList { height: 1fr; }
    """

    def set_blocks(
        self,
        blocks: Sequence[BlockData],
        names: Mapping[str, str],
        *,
        highlight: int | None = None,
        invalid: frozenset[int] = frozenset(),
    ) -> None:
        """Shows the blocks; `invalid` marks positions whose props do not validate."""
        keep = self.highlighted if highlight is None else highlight
        self.clear_options()
        options = []
        for index, block in enumerate(blocks):
            label = Text.assemble(
                (f"{index + 1:>2} ", "dim"),
                (names.get(block.component, block.component), "bold"),
                ("  ", ""),
                (block_hint(block), "dim italic"),
                (" ⚠" if index in invalid else "", "bold red"),
                no_wrap=True,
                overflow="ellipsis",
            )
            options.append(Option(label, id=f"block-{index}"))
        self.add_options(options)
        if blocks:
            self.highlighted = max(0, min(keep if keep is not None else 0, len(blocks) - 1))
