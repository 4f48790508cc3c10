"""The ordered component instances of a page, one line each: position, component and a hint of content."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from bgpub.domain.blocks import Block
from bgpub.domain.components import ComponentInfo

HINT_WIDTH = 20  # name and hint share one line of the 32-column list


def block_hint(
    block: Block, width: int = HINT_WIDTH, component: ComponentInfo | None = None
) -> str:
    """The block's summary text (the component's declared summary prop, else its first text prop in
    the manifest's order), so people recognise it; the same after a reload."""
    if width < 4:
        return ""
    names = component.summary_props() if component is not None else tuple(sorted(block.props))
    for name in names:
        value = block.props.get(name)
        if isinstance(value, str) and value.strip():
            line = value.strip().splitlines()[0]
            return line if len(line) <= width else line[: width - 1] + "…"
    return ""


def block_label(
    index: int, name: str, block: Block, invalid: bool, component: ComponentInfo | None = None
) -> Text:
    """One line of the list: position, component name, a hint of the content, ⚠ when invalid."""
    return Text.assemble(
        (f"{index + 1:>2} ", "dim"),
        (name, "bold"),
        ("  ", ""),
        (block_hint(block, HINT_WIDTH - len(name), component), "dim italic"),
        (" ⚠" if invalid else "", "bold red"),
        no_wrap=True,
        overflow="ellipsis",
    )


class BlockList(OptionList):
    """Blocks in page order; the highlighted one is edited in the props form."""

    DEFAULT_CSS = """
    BlockList { height: 1fr; }
    """

    def set_blocks(
        self,
        blocks: Sequence[Block],
        names: Mapping[str, str],
        *,
        components: Mapping[str, ComponentInfo] | None = None,
        highlight: int | None = None,
        invalid: frozenset[int] = frozenset(),
    ) -> None:
        """Shows the blocks; `invalid` marks positions whose props do not validate."""
        keep = self.highlighted if highlight is None else highlight
        self.clear_options()
        self.add_options(
            Option(
                block_label(
                    i,
                    names.get(b.component, b.component),
                    b,
                    i in invalid,
                    (components or {}).get(b.component),
                ),
                id=f"block-{i}",
            )
            for i, b in enumerate(blocks)
        )
        if blocks:
            self.highlighted = max(0, min(keep if keep is not None else 0, len(blocks) - 1))
