"""Components as front ends and snapshots see them: a library or saved component as the editor offers
it (name, type, prop schema; see `domain.props`), and an organization's saved component."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bgpub.domain.props import PropSpec

SUMMARY_NAMES = (
    "heading",
    "title",
    "name",
    "label",
    "question",
)  # props that name a block, best first


@dataclass(frozen=True)
class ComponentInfo:
    """A library or saved component, with the props a new block of it starts with."""

    key: str
    name: str
    type: str
    description: str = ""
    props: tuple[PropSpec, ...] = ()
    summary: str = ""  # the manifest's `summary` prop, shown beside the block's name in the list

    def new_props(self) -> dict[str, Any]:
        return {p.name: p.empty_value() for p in self.props}

    def summary_props(self) -> tuple[str, ...]:
        """Props whose text identifies a block, best first: the declared `summary`, then the text props
        in the manifest's order (never the stored dict's order, which changes after a reload)."""
        texts = [p.name for p in self.props if p.is_prose]
        named = [
            n for n in SUMMARY_NAMES if n in texts
        ]  # without a declared one: a heading beats an eyebrow
        ordered = ([self.summary] if self.summary else []) + named + texts
        return tuple(dict.fromkeys(ordered))


@dataclass(frozen=True)
class SavedComponent:
    """An organization's customised component: what `bgpub library save` stores and reports, and what
    a snapshot carries so it renders on its own."""

    key: str
    base: str  # the library component it customises
    name: str
    description: str = ""
    defaults: dict[str, Any] = field(default_factory=dict)
