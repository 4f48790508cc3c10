"""A block: a component key and its props (validated by the component's schema). One type for every
layer: the snapshot's pages and sections, the editor's forms and the services' block operations."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Block:
    """A component instance: a library (or saved) component key and its props, in page order."""

    component: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BlockView:
    """A block where it stands on its page, as `bgpub block list` and the services' block
    operations report it."""

    index: int  # 0-based
    component: str
    props: dict[str, Any]
    name: str = ""  # the component's display name (describe_blocks fills it)

    @property
    def position(self) -> int:
        return self.index + 1

    @property
    def block(self) -> Block:
        return Block(self.component, self.props)
