"""Shared sections in rendering: a page's blocks as they render, with the site header and footer
around them and each `section` block replaced by the blocks of the section it names.

Pure: the snapshot's sections in, blocks out. A lifted project renders byte-identically to the
per-page copies it came from, because the expanded list is the same blocks in the same order
(block numbers included). Cycles and runaway nesting are refused with the path that loops.
"""

from __future__ import annotations

import hashlib
import marshal
from collections.abc import Iterable, Mapping
from typing import Any

from bgpub.domain.blocks import Block
from bgpub.domain.locations import Where, prop_at
from bgpub.domain.sections import FOOTER as FOOTER
from bgpub.domain.sections import HEADER as HEADER
from bgpub.domain.sections import REGIONS as REGIONS
from bgpub.errors import InvalidInput, RenderError
from bgpub.snapshot import PageSnapshot, ProjectSnapshot, SectionSnapshot

SECTION_BLOCK = (
    "section"  # the component key of a block placing a named section: props {"name": ...}
)
MAX_DEPTH = 8  # sections placing sections placing sections...
MAX_EXPANDED = 2000  # blocks one page may render once every section is expanded

Placed = tuple[
    Block, str
]  # a block and where it comes from ("page about, block 3", "section header, block 1")


def reference_name(props: object, where: Where) -> str:
    """The section a `section` block names; its props must be exactly {"name": a string}."""
    if not isinstance(props, Mapping):
        raise InvalidInput(f"props must be an object, got {type(props).__name__}", where=where)
    unknown = sorted(set(props) - {"name"})
    if unknown:
        raise InvalidInput("unknown prop (known: name)", where=prop_at(where, str(unknown[0])))
    name = props.get("name")
    if not isinstance(name, str) or not name:
        raise InvalidInput(
            "a section block names the section to place (name=...)", where=prop_at(where, "name")
        )
    return name


def placed_names(blocks: Iterable[Block | Mapping[str, Any]]) -> list[str]:
    """Names of the sections these blocks place directly (stored dicts or snapshot blocks)."""
    names = []
    for block in blocks:
        component = block.get("component") if isinstance(block, Mapping) else block.component
        props = block.get("props") if isinstance(block, Mapping) else block.props
        if (
            component == SECTION_BLOCK
            and isinstance(props, Mapping)
            and isinstance(props.get("name"), str)
        ):
            names.append(props["name"])
    return names


def cycle_through(
    sections: Mapping[str, Iterable[Block | Mapping[str, Any]]], start: str
) -> list[str] | None:
    """A path of section names from `start` back to itself (A -> B -> A), or None when there is none."""
    path: list[str] = [start]
    done: set[str] = set()

    def visit(name: str) -> list[str] | None:
        for child in placed_names(sections.get(name, ())):
            if child == start:
                return [*path, child]
            if child in done or child in path or child not in sections:
                continue
            path.append(child)
            found = visit(child)
            if found:
                return found
            path.pop()
            done.add(child)
        return None

    return visit(start)


def _hash(content: Any) -> str:
    try:
        data = marshal.dumps(content, 2)
    except ValueError:
        data = repr(content).encode("utf-8")
    return hashlib.blake2b(data, digest_size=16).hexdigest()


class SectionPlan:
    """The sections of one snapshot, ready to expand pages and to name what each page depends on."""

    def __init__(self, snapshot: ProjectSnapshot, where: str):
        self.where = where
        self.by_name: dict[str, SectionSnapshot] = {s.name: s for s in snapshot.sections}
        self._digests: dict[str, str] = {}

    def blocks(self, page: PageSnapshot) -> list[Placed]:
        """The page's blocks as they render: header section, its own (references expanded), footer."""
        out: list[Placed] = []
        if getattr(page, "show_header", True) and HEADER in self.by_name:
            self._expand(self.by_name[HEADER].blocks, f"section {HEADER}", (HEADER,), out)
        self._expand(page.blocks, f"page {page.slug}", (), out)
        if getattr(page, "show_footer", True) and FOOTER in self.by_name:
            self._expand(self.by_name[FOOTER].blocks, f"section {FOOTER}", (FOOTER,), out)
        return out

    def _expand(
        self, blocks: Iterable[Block], origin: str, stack: tuple[str, ...], out: list[Placed]
    ) -> None:
        for index, block in enumerate(blocks, start=1):
            here = f"{origin}, block {index}"
            if block.component != SECTION_BLOCK:
                out.append((block, here))
                if stack and len(out) > MAX_EXPANDED:
                    raise RenderError(
                        f"more than {MAX_EXPANDED} blocks once its sections are placed",
                        where=f"{self.where}, {here}",
                    )
                continue
            where = f"{self.where}, {here} ({SECTION_BLOCK})"
            try:
                name = reference_name(block.props, where)
            except InvalidInput as exc:
                raise RenderError(exc.message, where=exc.where) from exc
            if name in stack:
                raise RenderError(
                    f"section {name!r} places itself ({' -> '.join((*stack, name))})", where=where
                )
            if name not in self.by_name:
                raise RenderError(f"section {name!r} does not exist in this project", where=where)
            if len(stack) >= MAX_DEPTH:
                raise RenderError(f"sections are nested more than {MAX_DEPTH} deep", where=where)
            self._expand(self.by_name[name].blocks, f"section {name}", (*stack, name), out)

    def depends(self, page: PageSnapshot, used: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
        """(digest of every section the page shows, components those sections use); ("", ()) when
        it shows none, so pages of a project without sections keep their keys."""
        names: list[str] = []
        if getattr(page, "show_header", True) and HEADER in self.by_name:
            names.append(HEADER)
        if getattr(page, "show_footer", True) and FOOTER in self.by_name:
            names.append(FOOTER)
        if SECTION_BLOCK in used:
            names.extend(placed_names(page.blocks))
        if not names:
            return "", ()
        seen: list[str] = []
        components: set[str] = set()
        while names:
            name = names.pop()
            if name in seen:
                continue
            seen.append(name)
            section = self.by_name.get(name)
            if section is not None:
                components.update(b.component for b in section.blocks)
                names.extend(placed_names(section.blocks))
        return _hash([(n, self.digest(n)) for n in sorted(seen)]), tuple(sorted(components))

    def digest(self, name: str) -> str:
        """A section's content hash ("" when it does not exist)."""
        found = self._digests.get(name)
        if found is None:
            section = self.by_name.get(name)
            found = (
                ""
                if section is None
                else _hash(tuple((b.component, b.props) for b in section.blocks))
            )
            self._digests[name] = found
        return found
