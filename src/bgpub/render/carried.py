"""A running renderer's outputs carried from one render to the next: the store's key dictionary
changed in place, with what it replaced.

A save in a 100,000-page preview changes a few outputs of 200,000, yet a render made a new
dictionary of every output's key, looked each up in the store's and registered every page's share
card again: those passes were about half of a save (bench/README, issue 18). When the renderer's
last render left the store's dictionary, the page keys depend on what they did, and the plan's page
cards are the last plan's list with a few planned again, the next render changes only those
entries of the store's own dictionary (`KeyJournal`) and can undo them if it fails.
"""

from __future__ import annotations

import bisect
import collections
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

_PATH = operator.itemgetter(0)


@dataclass(slots=True)
class CarriedOutputs:
    """What the store's key dictionary holds after a renderer's render: the dictionary itself (the
    next render changes it in place only while the store still holds this very object), the plan's
    page cards and how many pages show each card's path, and every output that is neither a page
    nor a page's card (posts, listings, products, the 404 page, site files, other images)."""

    keys: dict[str, str]
    cards: list[Any]
    card_pages: dict[str, int]
    others: set[str]


def card_counts(cards: Iterable[Any]) -> dict[str, int]:
    """How many pages show each card path (pages without their own image may share the site's)."""
    return dict(collections.Counter(map(_PATH, cards)))


class KeyJournal:
    """Changes to a key dictionary made in place, each path's first value kept to undo them."""

    def __init__(self, keys: dict[str, str]):
        self.keys = keys
        self._first: dict[str, str | None] = {}
        self.changed: dict[str, None] = {}  # paths whose key changed, in order, once each
        self.removed: list[str] = []

    def put(self, path: str, key: str) -> bool:
        """Sets `path`'s key; True when it differs from the one it had (or it had none)."""
        old = self.keys.get(path)
        if old == key:
            return False
        self._first.setdefault(path, old)
        self.keys[path] = key
        self.changed[path] = None
        return True

    def remove(self, path: str) -> None:
        """Takes `path` out of the dictionary (nothing when it is not there)."""
        old = self.keys.pop(path, None)
        if old is None:
            return
        self._first.setdefault(path, old)
        self.changed.pop(path, None)
        self.removed.append(path)

    def undo(self) -> None:
        """Puts every changed path's first value back (a render that failed leaves no trace)."""
        for path, old in self._first.items():
            if old is None:
                self.keys.pop(path, None)
            else:
                self.keys[path] = old

    def sorted_paths(self, last: list[str]) -> list[str]:
        """`last` (the dictionary's sorted paths before the changes) with paths added and removed."""
        added = [p for p, old in self._first.items() if old is None and p in self.keys]
        gone = [p for p, old in self._first.items() if old is not None and p not in self.keys]
        if not added and not gone:
            return last
        paths = list(last)
        for path in gone:
            at = bisect.bisect_left(paths, path)
            if at < len(paths) and paths[at] == path:
                del paths[at]
        for path in added:
            bisect.insort(paths, path)
        return paths
