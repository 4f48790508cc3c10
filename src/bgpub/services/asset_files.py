"""An asset as a file on disk, for front ends that show or open it (the editor's preview, a file:// link).

The bytes live in the blob store (the database); a copy is written into a folder the caller owns (the
workspace), named by the content hash so it is written once per content and never collides. The
name is the asset's, which `assets.NAME_RE` already limits to a safe file name.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bgpub.db.models import Project, User
from bgpub.errors import InvalidInput
from bgpub.services import blobs
from bgpub.services.assets import NAME_RE, get_asset


@dataclass(frozen=True)
class AssetFile:
    """What a preview shows of an asset, and where its copy is on disk."""

    name: str
    type: str  # IMAGE, DOCUMENT, FONT, VIDEO, ICON
    mime: str
    size: int
    width: int | None
    height: int | None
    alt: str
    path: Path

    @property
    def url(self) -> str:
        return self.path.resolve().as_uri()


def asset_file(actor: User, project: str | Project, name: str, folder: Path) -> AssetFile:
    """The asset's facts, with its bytes written under `folder` (kept when already written)."""
    asset = get_asset(actor, project, name)
    if not NAME_RE.fullmatch(asset.name):  # stored names are checked on the way in; never a path
        raise InvalidInput(f"asset name {asset.name!r} cannot be a file name", where="asset")
    path = Path(folder) / asset.hash[:16] / asset.name
    if not (path.is_file() and path.stat().st_size == asset.size):
        path.parent.mkdir(parents=True, exist_ok=True)
        data = blobs.get(asset.hash)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".part-")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    return AssetFile(
        asset.name,
        asset.type.value,
        asset.mime,
        asset.size,
        asset.width,
        asset.height,
        asset.alt or "",
        path,
    )
