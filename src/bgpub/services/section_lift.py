"""Lifting today's per-page copies into the shared header and footer.

The same navbar (same component and props) as the first block of several pages becomes the site
`header`; the same footer as their last block becomes the site `footer`. Pages that held that exact
block lose their copy; pages that did not opt out of the region, so every page renders byte for byte
as before (the expanded blocks are the same, in the same order, and `updated_at` is kept: the
sitemap's lastmod does not move).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from bgpub.db.connection import database
from bgpub.db.models import Page, Project, SharedSection, User
from bgpub.render.sections import FOOTER, HEADER
from bgpub.services import audit
from bgpub.services.permissions import Action
from bgpub.services.project_access import project_for
from bgpub.services.revisions import bump_project

LIFTED = {
    HEADER: ("navbar", 0),
    FOOTER: ("footer", -1),
}  # region -> (component, position on the page)
MIN_PAGES = 2  # one page's navbar is not yet shared


@dataclass(frozen=True)
class RegionLift:
    region: str
    block: dict[str, Any]
    pages: tuple[str, ...]  # slugs whose copy is removed
    opted_out: tuple[str, ...]  # slugs that did not hold the block: they stop showing the region


@dataclass(frozen=True)
class LiftPlan:
    lifts: tuple[RegionLift, ...] = ()
    skipped: tuple[str, ...] = field(default=())  # why a region was left alone

    @property
    def changes(self) -> bool:
        return bool(self.lifts)


def _key(block: Any) -> str:
    return json.dumps(block, sort_keys=True, ensure_ascii=False)


def plan_lift(
    pages: Sequence[tuple[str, Sequence[Mapping[str, Any]], bool, bool]],
    existing: Mapping[str, Sequence[Mapping[str, Any]]],
) -> LiftPlan:
    """What lifting would do: `pages` are (slug, blocks, show_header, show_footer) in order,
    `existing` the sections already defined. Pure, so tests can run it on snapshots too."""
    lifts, skipped = [], []
    for region, (component, position) in LIFTED.items():
        if region in existing:
            skipped.append(f"{region}: the project already has a shared {region}")
            continue
        shown = [
            (slug, blocks)
            for slug, blocks, header, footer in pages
            if (header if region == HEADER else footer)
        ]
        found = Counter(
            _key(blocks[position])
            for _, blocks in shown
            if blocks and blocks[position].get("component") == component and len(blocks) > 1
        )
        if not found:
            skipped.append(
                f"{region}: no page has a {component} block {'first' if position == 0 else 'last'}"
            )
            continue
        key, count = found.most_common(1)[0]
        if count < MIN_PAGES:
            skipped.append(f"{region}: no two pages share the same {component} block")
            continue
        holders = tuple(s for s, b in shown if b and len(b) > 1 and _key(b[position]) == key)
        others = tuple(s for s, _ in shown if s not in holders)
        lifts.append(RegionLift(region, json.loads(key), holders, others))
    return LiftPlan(tuple(lifts), tuple(skipped))


def lift_sections(actor: User, project: str | Project, *, dry_run: bool = False) -> LiftPlan:
    """Lifts identical navbar and footer blocks into the shared header and footer (one transaction,
    one audit row); with `dry_run`, only says what would change."""
    project = project_for(actor, project, Action.EDIT)
    with database.atomic():
        plan = lift_project(project, actor, dry_run=dry_run)
    return plan


def lift_project(
    project: Project, actor: User | None, *, dry_run: bool = False, creating: bool = False
) -> LiftPlan:
    """The lift inside the caller's transaction (also used when a project is made from a starter:
    `creating` keeps revision 1, since nobody can have seen the pages before the lift)."""
    rows = list(
        Page.select(
            Page.id, Page.slug, Page.blocks, Page.show_header, Page.show_footer, Page.revision
        )
        .where(Page.project == project)
        .order_by(Page.position, Page.slug)
    )
    existing = {
        r.name: r.blocks for r in SharedSection.select().where(SharedSection.project == project)
    }
    plan = plan_lift(
        [(r.slug, list(r.blocks or []), r.show_header, r.show_footer) for r in rows], existing
    )
    if dry_run:
        return plan
    if not plan.changes:  # still one audit row: the operation ran, and found nothing to lift
        _record_lift(actor, project, {"lifted": 0})
        return plan
    by_slug = {r.slug: r for r in rows}
    changes: dict[str, dict[str, Any]] = {}
    for lift in plan.lifts:
        position = LIFTED[lift.region][1]
        SharedSection.create(
            project=project,
            name=lift.region,
            blocks=[lift.block],
            updated_by=actor.id if actor else None,
        )
        for slug in lift.pages:
            blocks = changes.setdefault(slug, {}).get("blocks", list(by_slug[slug].blocks or []))
            blocks.pop(position)
            changes[slug]["blocks"] = blocks
        for slug in lift.opted_out:
            changes.setdefault(slug, {})[f"show_{lift.region}"] = False
    for slug, values in changes.items():
        row = by_slug[slug]
        fields = {getattr(Page, k): v for k, v in values.items()}
        if not creating:  # updated_at kept: what the page shows did not change
            fields[Page.revision] = row.revision + 1
        Page.update(fields).where(Page.id == row.id).execute()
    if not creating:
        bump_project(project)
    _record_lift(actor, project, {lift.region: len(lift.pages) for lift in plan.lifts})
    return plan


def _record_lift(actor: User | None, project: Project, counts: dict[str, int]) -> None:
    """The lift's audit row: how many pages each region was lifted from (or `lifted: 0`)."""
    audit.record(
        actor,
        project.organization,
        "section.lift",
        "project",
        project.id,
        {"project": project.name, **counts},
    )
