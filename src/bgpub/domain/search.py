"""Content search results as the editor shows them: where each match is (page, section or post,
block, prop path) and an excerpt around it; plain values."""

from __future__ import annotations

from dataclasses import dataclass

PAGE = "page"
SECTION = "section"
POST = "post"

Path = tuple[str | int, ...]  # a prop path inside a block, list indexes counted from 0


@dataclass(frozen=True)
class SearchHit:
    """One match: where it is and an excerpt around it (`start`/`end` index the match in `excerpt`).

    `block` is the 0-based block index (None for a page's or post's own fields); `path` is the prop
    path inside the block with 0-based list indexes, e.g. ("features", 1, "title").
    """

    kind: str  # PAGE | SECTION | POST
    owner: str  # page slug, section name or post slug
    owner_title: str
    block: int | None
    component: str
    path: Path
    excerpt: str
    start: int
    end: int

    @property
    def field(self) -> str:
        """The path as people read it: list items counted from 1 ("features › 2 › title")."""
        return " › ".join(str(p + 1) if isinstance(p, int) else p for p in self.path)

    @property
    def place(self) -> str:
        """ "page about › block 3 (hero) › heading" (the where of the match)."""
        parts = [f"{self.kind} {self.owner}"]
        if self.block is not None:
            parts.append(f"block {self.block + 1} ({self.component})")
        if self.path:
            parts.append(self.field)
        return " › ".join(parts)


@dataclass(frozen=True)
class SearchResults:
    """The matches of one query, in reading order."""

    query: str
    hits: tuple[SearchHit, ...]
    truncated: bool  # more than MAX_HITS matched
