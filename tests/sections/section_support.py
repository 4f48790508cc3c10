"""Shared helpers of the sections tests: a pure lift of a snapshot (the service's plan applied)."""

from __future__ import annotations

import dataclasses

from bgpub.domain.blocks import Block
from bgpub.services.section_lift import LIFTED, plan_lift
from bgpub.snapshot import ProjectSnapshot, SectionSnapshot

NAVBAR = {
    "component": "navbar",
    "props": {"brand": "Acme", "links": [{"label": "About", "url": "/about/"}]},
}
FOOTER = {"component": "footer", "props": {"brand": "Acme", "note": "© Acme"}}
OTHER_NAVBAR = {"component": "navbar", "props": {"brand": "Elsewhere"}}


def body(text: str) -> dict:
    return {"component": "rich-text", "props": {"body": text}}


def lifted(snapshot: ProjectSnapshot) -> ProjectSnapshot:
    """`snapshot` with its shared navbar and footer lifted, as `bgpub section lift` stores it."""
    pages = [
        (
            p.slug,
            [{"component": b.component, "props": b.props} for b in p.blocks],
            p.show_header,
            p.show_footer,
        )
        for p in snapshot.pages
    ]
    plan = plan_lift(pages, {s.name: s.blocks for s in snapshot.sections})
    new_pages = []
    for page in snapshot.pages:
        blocks, flags = list(page.blocks), {}
        for lift in plan.lifts:
            if page.slug in lift.pages:
                blocks.pop(LIFTED[lift.region][1])
            elif page.slug in lift.opted_out:
                flags[f"show_{lift.region}"] = False
        new_pages.append(dataclasses.replace(page, blocks=tuple(blocks), **flags))
    sections = tuple(
        SectionSnapshot(lift.region, (Block(lift.block["component"], lift.block["props"]),))
        for lift in plan.lifts
    )
    return dataclasses.replace(
        snapshot, pages=tuple(new_pages), sections=snapshot.sections + sections
    )
