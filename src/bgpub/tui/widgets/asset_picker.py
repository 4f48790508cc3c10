"""Choosing an asset for an `asset` prop: a select of the project's assets by name (or none)."""

from __future__ import annotations

from collections.abc import Sequence

from textual.widgets import Select

from bgpub.domain.assets import AssetRow


class AssetPicker(Select[str]):
    """A select of asset names with their type and size; `value` is the name or Select.NULL."""

    def __init__(
        self,
        assets: Sequence[AssetRow],
        value: str | None,
        *,
        required: bool,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        compact: bool = False,
    ) -> None:
        names = [a.name for a in assets]
        options = [(f"{a.name}  ({a.type.lower()}, {human_size(a.size)})", a.name) for a in assets]
        if value and value not in names:  # a missing asset stays visible so validation can name it
            options.append((f"{value}  (missing)", value))
        super().__init__(
            options,
            value=value if value else Select.NULL,
            allow_blank=True,
            prompt="(no asset)" if not required else "choose an asset",
            name=name,
            id=id,
            classes=classes,
            compact=compact,
        )


def human_size(size: int) -> str:
    """1536 -> '1.5 KB': the size as people read it."""
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
