"""Shared sections as front ends see them: the two site-wide regions' names and a section with the
pages and sections that show it; plain values."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

HEADER = (
    "header"  # the site-wide regions: sections with these names frame every page not opting out
)
FOOTER = "footer"
REGIONS = (HEADER, FOOTER)


@dataclass(frozen=True)
class SectionView:
    """A section as front ends show it: its blocks as stored, and who shows it."""

    name: str
    blocks: tuple[dict[str, Any], ...]
    revision: int
    pages: tuple[str, ...]  # slugs of the pages that show it (region or a `section` block)
    sections: tuple[str, ...] = ()  # names of the other sections that place it

    @property
    def is_region(self) -> bool:
        return self.name in (HEADER, FOOTER)
