"""Pausing Python's cyclic garbage collector around whole-site work (build, publish, rollback)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """A 10,000-page snapshot is millions of small objects that live until the operation ends; each
    full pass of the cyclic collector over them costs more than an incremental publish (~10% of a
    build). Nothing here builds cycles worth collecting, and reference counting still frees as usual."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
