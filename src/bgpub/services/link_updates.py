"""Internal links after a page's slug changed: find the block props pointing at the old address and
point them at the new one (the editor offers it right after the change; `bgpub check` finds the
ones left broken).

A link is any string prop (at any depth: list items too) that is the page's root-relative address,
`/old`, `/old/`, optionally followed by `#anchor` or `?query`; the rest of the value is kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bgpub.db.connection import database
from bgpub.db.models import Project, User
from bgpub.services.blocks import replace_blocks
from bgpub.services.lookup import find_project
from bgpub.services.pages import list_pages
from bgpub.services.permissions import Action, require


@dataclass(frozen=True)
class LinkUse:
    """One prop linking to a page: where it is (page, 1-based block, prop path) and its value."""

    page: str
    block: int
    prop: str
    value: str


def link_pattern(slug: str) -> re.Pattern[str]:
    return re.compile(rf"^/{re.escape(slug)}(?=/?(?:[#?]|$))/?")


def _walk(value: Any, path: str, pattern: re.Pattern[str]) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(path, value)] if pattern.match(value.strip()) else []
    if isinstance(value, dict):  # by key: PostgreSQL's jsonb keeps no insertion order, SQLite does
        return [
            hit
            for key, item in sorted(value.items())
            for hit in _walk(item, f"{path}.{key}" if path else key, pattern)
        ]
    if isinstance(value, list):
        return [
            hit for i, item in enumerate(value) for hit in _walk(item, f"{path}[{i + 1}]", pattern)
        ]
    return []


def _replace(value: Any, pattern: re.Pattern[str], new: str) -> Any:
    if isinstance(value, str):
        text = value.strip()
        return pattern.sub(new, text, count=1) if pattern.match(text) else value
    if isinstance(value, dict):
        return {key: _replace(item, pattern, new) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace(item, pattern, new) for item in value]
    return value


def links_to(actor: User, project: str | Project, slug: str) -> list[LinkUse]:
    """Every block prop of every page of the project linking to `/slug/`."""
    pattern = link_pattern(slug)
    uses = []
    for page in list_pages(actor, project):
        for index, block in enumerate(page.blocks or []):
            for path, value in _walk(block.get("props") or {}, "", pattern):
                uses.append(LinkUse(page.slug, index + 1, path, value))
    return uses


def retarget_links(actor: User, project: str | Project, old_slug: str, new_slug: str) -> int:
    """Points every internal link to `/old_slug/` at `/new_slug/` (anchors and queries kept), in one
    transaction, each changed page saved (validated, audited) as an edit; returns the links changed."""
    record = find_project(actor, project)
    # checked up front: with no link to change, a viewer would otherwise get 0 instead of a refusal
    require(actor, record.organization, Action.EDIT)
    pattern = link_pattern(old_slug)
    changed = 0
    with database.atomic():
        for page in list_pages(actor, project):
            blocks = page.blocks or []
            hits = sum(len(_walk(b.get("props") or {}, "", pattern)) for b in blocks)
            if not hits:
                continue
            updated = [
                {**b, "props": _replace(b.get("props") or {}, pattern, f"/{new_slug}/")}
                for b in blocks
            ]
            replace_blocks(actor, project, page.slug, updated, expected_revision=page.revision)
            changed += hits
    return changed
