"""Rows to domain values: the one place a model becomes the plain type services hand to front ends."""

from __future__ import annotations

from bgpub.db.models import Asset
from bgpub.domain.assets import AssetRow


def asset_row(asset: Asset) -> AssetRow:
    """An `assets` row as the domain's AssetRow (no model crosses into the CLI or the editor)."""
    focus = (
        None if asset.focus_x is None or asset.focus_y is None else (asset.focus_x, asset.focus_y)
    )
    return AssetRow(
        name=asset.name,
        type=str(asset.type),
        mime=asset.mime,
        size=asset.size,
        alt=asset.alt or "",
        focus=focus,
        hash=asset.hash,
        width=asset.width,
        height=asset.height,
    )
