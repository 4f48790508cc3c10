"""Import checks of a snapshot's shared sections and the `section` blocks of its pages."""

from __future__ import annotations

from bgpub.domain.blocks import Block
from bgpub.domain.locations import Location
from bgpub.errors import BgpubError, InvalidInput
from bgpub.render.components import ComponentLibrary, validate_props
from bgpub.render.sections import SECTION_BLOCK, cycle_through, reference_name
from bgpub.services import validation
from bgpub.services.sections import MAX_SECTION_BLOCKS, MAX_SECTIONS
from bgpub.snapshot import ProjectSnapshot


def check_reference(snapshot: ProjectSnapshot, block: Block, where: Location, here: str) -> None:
    """A `section` block must name a section the snapshot defines."""
    try:
        name = reference_name(block.props, where)
    except InvalidInput as exc:
        raise InvalidInput(exc.message, where=f"{here}: {exc.where}") from None
    if snapshot.section(name) is None:
        raise InvalidInput(
            f"section {name!r} does not exist in this project", where=f"{here}: {where}"
        )


def check_sections(
    snapshot: ProjectSnapshot, library: ComponentLibrary, assets: dict[str, str], where: str
) -> None:
    """Names valid and unique, blocks valid like a page's, references resolvable, no cycles."""
    if len(snapshot.sections) > MAX_SECTIONS:
        raise InvalidInput(
            f"a project has at most {MAX_SECTIONS} sections", where=f"{where}: sections"
        )
    seen: set[str] = set()
    for i, section in enumerate(snapshot.sections):
        here = f"{where}: sections[{i}]"
        validation.slug(section.name, "section name", where=here)
        if section.name in seen:
            raise InvalidInput(f"duplicate section name {section.name!r}", where=here)
        seen.add(section.name)
        if len(section.blocks) > MAX_SECTION_BLOCKS:
            raise InvalidInput(f"a section holds at most {MAX_SECTION_BLOCKS} blocks", where=here)
        for n, block in enumerate(section.blocks, start=1):
            block_here = Location(
                snapshot.name, block=n, component=block.component, section=section.name
            )
            if block.component == SECTION_BLOCK:
                check_reference(snapshot, block, block_here, f"{here}.blocks[{n - 1}]")
                continue
            try:
                validate_props(
                    library,
                    block.component,
                    block.props,
                    block_here,
                    snapshot.components,
                    assets=assets,
                )
            except BgpubError as exc:
                raise InvalidInput(
                    exc.message, where=f"{here}.blocks[{n - 1}]: {exc.where}"
                ) from None
    by_name = {s.name: s.blocks for s in snapshot.sections}
    for name in sorted(by_name):
        loop = cycle_through(by_name, name)
        if loop:
            raise InvalidInput(
                f"section {name!r} places itself ({' -> '.join(loop)})", where=f"{where}: sections"
            )
