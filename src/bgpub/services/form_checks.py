"""Forms that go nowhere: a form component posting to a placeholder address while the project has no
collector URL. `bgpub build` and `bgpub publish` warn about each (the build itself still succeeds)."""

from __future__ import annotations

import operator
from collections.abc import Mapping
from functools import reduce
from typing import Any
from urllib.parse import urlsplit

from bgpub.db.models import Page, Project, User
from bgpub.services.collector_sites import COLLECTOR_SETTING
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require
from bgpub.snapshot import ProjectSnapshot

FORM_COMPONENTS = ("contact-form", "newsletter-signup")
# RFC 2606 / 6761 names that never reach anyone
PLACEHOLDER_SUFFIXES = (
    ".example",
    ".invalid",
    ".test",
    ".localhost",
    "example.com",
    "example.net",
    "example.org",
)


def is_placeholder(action: object) -> bool:
    if not isinstance(action, str) or not action.strip() or action.strip() == "#":
        return True
    try:
        host = (urlsplit(action.strip()).hostname or "").lower()
    except ValueError:
        return True
    if not host:
        return False  # a site-relative address: the site's own page or host handles it
    return host in ("localhost", "example.com", "example.net", "example.org") or host.endswith(
        PLACEHOLDER_SUFFIXES
    )


def snapshot_forms_going_nowhere(
    snapshot: ProjectSnapshot, settings: Mapping[str, Any]
) -> list[str]:
    """`forms_going_nowhere` over a snapshot already read (a build's): no query, and only pages
    using a form component are decoded (a cached page knows its components without decoding)."""
    if settings.get(COLLECTOR_SETTING):
        return []
    found: list[str] = []
    for page in snapshot.pages:
        uses = getattr(page, "uses_component", None)
        if uses is not None and not any(uses(key) for key in FORM_COMPONENTS):
            continue
        blocks = [{"component": b.component, "props": b.props} for b in page.blocks]
        found.extend(_problems(snapshot.name, page.slug, blocks))
    return found


def _problems(project: str, slug: str, blocks: Any) -> list[str]:
    found = []
    for index, block in enumerate(blocks or [], start=1):
        if not isinstance(block, dict) or block.get("component") not in FORM_COMPONENTS:
            continue
        action = (block.get("props") or {}).get("action")
        if is_placeholder(action):
            found.append(
                f"project {project}, page {slug}, block {index} ({block['component']}): posts to "
                f"{action or 'nowhere'!s}, a placeholder; set a collector URL "
                f"(bgpub project set {project} --collector-url URL) or a real form address"
            )
    return found


def forms_going_nowhere(actor: User, project: str | Project) -> list[str]:
    """One line per form block whose address is a placeholder, when no collector URL is set."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    if (project.settings or {}).get(COLLECTOR_SETTING):
        return []
    found = []
    # Only pages whose stored blocks mention a form component are decoded: every build and publish
    # runs this check, and decoding every page's blocks was a quarter of a one-page rebuild of a
    # 10,000-page site. The stored JSON (JSONField: plain UTF-8, PostgreSQL's canonical JSONB text)
    # spells a component key as written, so a page whose text lacks it has no such block.
    mentions = reduce(
        operator.or_, (Page.blocks.cast("text").contains(key) for key in FORM_COMPONENTS)
    )
    pages = (
        Page.select(Page.slug, Page.blocks)
        .where((Page.project == project) & mentions)
        .order_by(Page.position)
    )
    for page in pages:
        found.extend(_problems(project.name, page.slug, page.blocks))
    return found
