"""A theme as a picker offers it: its name, label and design tokens."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ThemeInfo:
    """One installed theme."""

    name: str
    label: str
    description: str = ""
    tokens: dict[str, str] = field(default_factory=dict)
