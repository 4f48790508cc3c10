"""A block as an editor holds it: a component key and its props (validated by the component's schema)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class BlockData:
    """One component instance of a page or section."""

    component: str
    props: dict[str, Any] = field(default_factory=dict)
