"""What kinds of deploy target exist and which options each declares, for front ends building forms.

The kinds are a registry in `publish/targets/registry.py` (each declares, validates and opens its
config); the CLI's `target add` flags and the TUI's target form are built from this table, so a new
kind needs no front-end change. Front ends never import `publish` directly: they come through here.
"""

from __future__ import annotations

from bgpub.publish.targets import registry
from bgpub.publish.targets.registry import Option

__all__ = ["Option", "kind_names", "kind_options", "kind_summary", "option_table"]


def kind_names() -> tuple[str, ...]:
    """Every registered kind, sorted."""
    return registry.names()


def option_table() -> dict[str, tuple[Option, list[str]]]:
    """Every option of every kind once, with the kinds that take it."""
    return registry.option_table()


def kind_options(kind: str) -> tuple[Option, ...]:
    """The options one kind takes, its own first, then those every kind takes (a form's fields)."""
    return registry.get(kind).all_options()


def kind_summary(kind: str) -> str:
    """One line saying what the kind deploys to."""
    return registry.get(kind).summary
