"""Where a problem is: a structured place every error can carry, read by front ends as fields.

`str(Location(...))` is the wording the CLI has always printed
(`project demo, page about, block 3 (hero), prop features[2], prop title`); the editor reads
`block` and `prop_path` to put the message next to the right field, never parsing that text back.
"""

from __future__ import annotations

from dataclasses import dataclass

PropStep = str | int  # a prop name, or a 1-based list item position
_new = object.__new__


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
        """The same place, one prop deeper. Validation makes one per prop checked (about a million
        in a 100,000-page import), so it is copied field by field in one dict update (`_deeper`)."""
        return self._deeper(name)

    def item(self, position: int) -> Location:
        """The same place, at list item `position` (1-based) of the last prop."""
        return self._deeper(position)

    def _deeper(self, step: PropStep) -> Location:
        """A copy with `step` added to the prop path, made without the frozen `__init__`, which
        sets each field through `object.__setattr__` (2.6 us a location on the bench machine,
        against 1.3 us for this; an import's checks 18% less CPU, bench/README.md). Equal, hashed,
        printed and pickled as one made by `__init__` (tests/test_locations.py)."""
        deeper: Location = _new(Location)
        fields = deeper.__dict__
        fields.update(self.__dict__)
        fields["prop_path"] = (*self.prop_path, step)
        return deeper

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
