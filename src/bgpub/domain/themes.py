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


@dataclass(frozen=True)
class FontChoice:
    """One shipped family as the value of a font token."""

    family: str  # "Plus Jakarta Sans"
    stack: str  # the token value: '"Plus Jakarta Sans", "Segoe UI", Roboto, ..., sans-serif'
