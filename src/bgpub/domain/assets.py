"""An asset as services hand it out: its name, type, size, checksum, alt text, dimensions and focal point."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AssetRow:
    """One asset of a project (the file itself stays in the blob store, under `hash`)."""

    name: str
    type: str  # an AssetType value
    mime: str
    size: int
    alt: str = ""
    focus: tuple[float, float] | None = None  # focal point (x, y), 0..1; None: the middle
    hash: str = ""  # sha256 hex of the bytes
    width: int | None = None  # pixels, for images
    height: int | None = None


@dataclass(frozen=True)
class AssetRenamed:
    """The new name and the labels of what was pointed at it (`page home`, `post launch`...)."""

    name: str
    updated: tuple[str, ...]
