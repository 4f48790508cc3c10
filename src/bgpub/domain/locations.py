"""Where a problem is: a structured place every error can carry, read by front ends as fields.

`str(Location(...))` is the wording the CLI has always printed
(`project demo, page about, block 3 (hero), prop features[2], prop title`); the editor reads
`block` and `prop_path` to put the message next to the right field, never parsing that text back.
"""

from __future__ import annotations

from dataclasses import dataclass

PropStep = str | int  # a prop name, or a 1-based list item position


@dataclass(frozen=True)
class Location:
    """A place in a project: any prefix of project → page → block → prop path may be given."""

    project: str | None = None
    page: str | None = None
    block: int | None = None  # 1-based position on the page, as people count
    component: str | None = None
    prop_path: tuple[PropStep, ...] = ()
    section: str | None = (
        None  # a shared section (site header, footer or a named one) instead of a page
    )

    def prop(self, name: str) -> Location:
        """The same place, one prop deeper (built directly: `dataclasses.replace` costs twice as
        much, and validation makes one per prop checked, about a million in a 100,000-page import)."""
        return Location(
            self.project,
            self.page,
            self.block,
            self.component,
            (*self.prop_path, name),
            self.section,
        )

    def item(self, position: int) -> Location:
        """The same place, at list item `position` (1-based) of the last prop."""
        return Location(
            self.project,
            self.page,
            self.block,
            self.component,
            (*self.prop_path, position),
            self.section,
        )

    @property
    def field_path(self) -> tuple[PropStep, ...]:
        """The prop path as an editor indexes its fields: list positions 0-based."""
        return tuple(step - 1 if isinstance(step, int) else step for step in self.prop_path)

    def __str__(self) -> str:
        parts = []
        if self.project is not None:
            parts.append(f"project {self.project}")
        if self.page is not None:
            parts.append(f"page {self.page}")
        if self.section is not None:
            parts.append(f"section {self.section}")
        if self.block is not None:
            parts.append(f"block {self.block}" + (f" ({self.component})" if self.component else ""))
        for step in self.prop_path:
            if isinstance(step, int) and parts:
                parts[-1] += f"[{step}]"
            else:
                parts.append(f"prop {step}")
        return ", ".join(parts)


Where = str | Location  # free text (a file and line, a command option) or a structured place


def prop_at(where: Where, name: str) -> Where:
    """`where`, one prop deeper; free text gets today's wording appended."""
    return where.prop(name) if isinstance(where, Location) else f"{where}, prop {name}"


def item_at(where: Where, position: int) -> Where:
    """`where`, at list item `position` (1-based); free text gets `[position]` appended."""
    return where.item(position) if isinstance(where, Location) else f"{where}[{position}]"
