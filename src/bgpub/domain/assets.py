"""An asset as a picker lists it: its name, type, size, alt text and focal point."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AssetRow:
    """One asset of a project (the file itself stays in the blob store)."""

    name: str
    type: str
    mime: str
    size: int
    alt: str = ""
    focus: tuple[float, float] | None = None  # focal point (x, y), 0..1; None: the middle
