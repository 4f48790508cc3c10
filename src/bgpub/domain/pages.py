"""A page as front ends see it: a row in the page list, or the document being edited."""

from __future__ import annotations

from dataclasses import dataclass

from bgpub.domain.blocks import Block


@dataclass(frozen=True)
class PageRow:
    """One page in the project's page list."""

    slug: str
    title: str
    is_home: bool = False
    show_in_nav: bool = True

    @property
    def url(self) -> str:
        """Where the page is served: the home page at `/`, never at `/home`."""
        return "/" if self.is_home else f"/{self.slug}"

    @property
    def search_key(self) -> str:
        return f"{self.title}\n{self.slug}".lower()


@dataclass(frozen=True)
class PageDocument:
    """A page as loaded for editing; `revision` is what a save names to detect concurrent edits."""

    project: str
    slug: str
    title: str
    revision: int
    blocks: tuple[Block, ...] = ()
    is_home: bool = False

    @property
    def url(self) -> str:
        """Where the page is served: the home page at `/`."""
        return "/" if self.is_home else f"/{self.slug}"
