"""A page's facts as the CLI prints them after adding, changing or listing pages: where it sits in
the navigation, its flags, how many blocks it has and its revision; a plain value, so no page row
crosses into a front end."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageDetails:
    """One page of a project (the blocks themselves load as a `PageDocument`)."""

    project: str  # project name
    slug: str
    title: str
    position: int  # 0-based navigation order (the CLI prints it from 1)
    is_home: bool = False
    show_in_nav: bool = True
    noindex: bool = False
    blocks: int = 0  # how many blocks the page has
    revision: int = 1  # what a save names to detect concurrent edits

    @property
    def url(self) -> str:
        """Where the page is served: the home page at `/`, never at `/home`."""
        return "/" if self.is_home else f"/{self.slug}"
