"""Assets: files a project uses (images, video, documents, fonts, icons), bytes in the blob store.

The type comes from the content (magic bytes), cross-checked with the file name; images are decoded
with Pillow for their size, so a corrupt or mislabelled file is refused before anything is stored.
"""

from __future__ import annotations

import io
import mimetypes
import re
from dataclasses import dataclass
from pathlib import Path

from bgpub.db.connection import database
from bgpub.db.enums import AssetType
from bgpub.db.models import Asset, Project, User
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.services import audit, blobs, limits, validation
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require
from bgpub.services.references import pages_using_asset
from bgpub.services.revisions import bump_project

MAX_ASSET_BYTES = 100 * 1024 * 1024
NAME_RE = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,118}[a-z0-9])?\.[a-z0-9]{1,8}$")

# (magic prefix, offset, mime); checked in order.
MAGIC: tuple[tuple[bytes, int, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", 0, "image/png"),
    (b"\xff\xd8\xff", 0, "image/jpeg"),
    (b"GIF87a", 0, "image/gif"),
    (b"GIF89a", 0, "image/gif"),
    (b"%PDF-", 0, "application/pdf"),
    (b"wOFF", 0, "font/woff"),
    (b"wOF2", 0, "font/woff2"),
    (b"OTTO", 0, "font/otf"),
    (b"\x00\x01\x00\x00", 0, "font/ttf"),
    (b"\x00\x00\x01\x00", 0, "image/x-icon"),
    (b"\x1a\x45\xdf\xa3", 0, "video/webm"),
    (b"ftyp", 4, "video/mp4"),
)
TYPE_OF_MIME = {
    "image/png": AssetType.IMAGE, "image/jpeg": AssetType.IMAGE, "image/gif": AssetType.IMAGE,
    "image/webp": AssetType.IMAGE, "image/avif": AssetType.IMAGE, "image/svg+xml": AssetType.IMAGE,
    "image/x-icon": AssetType.ICON, "application/pdf": AssetType.DOCUMENT, "text/plain": AssetType.DOCUMENT,
    "font/woff": AssetType.FONT, "font/woff2": AssetType.FONT, "font/otf": AssetType.FONT,
    "font/ttf": AssetType.FONT, "video/mp4": AssetType.VIDEO, "video/webm": AssetType.VIDEO,
}
EXTENSION_OF_MIME = {
    "image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif", "image/webp": ".webp", "image/avif": ".avif",
    "image/svg+xml": ".svg", "image/x-icon": ".ico", "application/pdf": ".pdf", "text/plain": ".txt",
    "font/woff": ".woff", "font/woff2": ".woff2", "font/otf": ".otf", "font/ttf": ".ttf",
    "video/mp4": ".mp4", "video/webm": ".webm",
}
SVG_DANGER = re.compile(rb"<script|<foreignobject|\bon[a-z]+\s*=|javascript:|<!entity", re.IGNORECASE)


@dataclass(frozen=True)
class Detected:
    mime: str
    type: AssetType
    width: int | None = None
    height: int | None = None


def sniff(data: bytes) -> str | None:
    """The mime type the bytes announce, or None for text and unknown formats."""
    for magic, offset, mime in MAGIC:
        if data[offset:offset + len(magic)] == magic:
            if mime == "video/mp4" and data[8:12] in (b"avif", b"avis"):
                return "image/avif"
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg")) and b"<svg" in data[:4096].lower():
        return "image/svg+xml"
    return None


def detect(data: bytes, name: str, where: str) -> Detected:
    """Type, mime and (for raster images) pixel size; refuses unknown, mislabelled or unsafe files."""
    guessed = mimetypes.guess_type(name, strict=False)[0]
    guessed = {"image/vnd.microsoft.icon": "image/x-icon", "application/font-woff": "font/woff",
               "application/x-font-ttf": "font/ttf"}.get(guessed or "", guessed)
    mime = sniff(data)
    if mime is None:
        if guessed == "text/plain":
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidInput("a .txt file must be UTF-8 text", where=where) from None
            mime = "text/plain"
        else:
            raise InvalidInput(f"unsupported file type (allowed: {', '.join(sorted(TYPE_OF_MIME))})", where=where)
    if guessed and guessed != mime and not (guessed.split("/")[0] == mime.split("/")[0] == "font"):
        raise InvalidInput(f"the content is {mime} but the name says {guessed}", where=where)
    if mime == "image/svg+xml":
        if SVG_DANGER.search(data):
            raise InvalidInput("SVG with scripts, event handlers or entities is refused", where=where)
        return Detected(mime, AssetType.IMAGE, *_svg_size(data))
    if mime in ("image/png", "image/jpeg", "image/gif", "image/webp"):
        width, height = _image_size(data, where)
        return Detected(mime, AssetType.IMAGE, width, height)
    return Detected(mime, TYPE_OF_MIME[mime])


SVG_TAG = re.compile(rb"<svg\b[^>]*>", re.IGNORECASE | re.DOTALL)
SVG_LENGTH = rb"""\s%s\s*=\s*["']\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*["']"""
SVG_VIEWBOX = re.compile(rb"""\sviewBox\s*=\s*["']\s*[-0-9.]+[\s,]+[-0-9.]+[\s,]+([0-9.]+)[\s,]+([0-9.]+)\s*["']""")


def _svg_size(data: bytes) -> tuple[int | None, int | None]:
    """Pixel size from the root element's width/height (unitless or px), else its viewBox."""
    tag = SVG_TAG.search(data[:8192])
    if tag is None:
        return None, None
    text = tag.group(0)
    width = re.search(SVG_LENGTH % b"width", text)
    height = re.search(SVG_LENGTH % b"height", text)
    if width and height:
        return round(float(width.group(1))), round(float(height.group(1)))
    box = SVG_VIEWBOX.search(text)
    if box:
        return round(float(box.group(1))), round(float(box.group(2)))
    return None, None


def _image_size(data: bytes, where: str) -> tuple[int, int]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()
            return image.size
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"the image cannot be decoded ({exc})", where=where) from None


def clean_name(name: str, mime: str) -> str:
    """A safe, lower-case file name (letters, digits, `.-_`) with an extension matching the content."""
    path = Path(name)
    stem = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._") or "file"
    ext = path.suffix.lower()
    if mimetypes.guess_type(f"x{ext}", strict=False)[0] is None or ext == "":
        ext = EXTENSION_OF_MIME.get(mime, ".bin")
    return f"{stem[:110]}{ext}"


def _unique(project: Project, name: str) -> str:
    taken = {n for (n,) in Asset.select(Asset.name).where(Asset.project == project).tuples()}
    if name not in taken:
        return name
    stem, ext = name.rsplit(".", 1)
    counter = 2
    while f"{stem}-{counter}.{ext}" in taken:
        counter += 1
    return f"{stem}-{counter}.{ext}"


def add_asset(actor: User, project: str | Project, source: str | Path | bytes, *, name: str | None = None,
              alt: str = "") -> Asset:
    """Stores a file for the project. The name is derived from the file (made unique) unless given."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    if isinstance(source, bytes):
        data, given = source, name or "file"
    else:
        path = Path(source)
        if not path.is_file():
            raise NotFound(f"no such file {str(path)!r}", where="asset")
        data, given = path.read_bytes(), name or path.name
    where = f"project {project.name}, asset {given}"
    if not data:
        raise InvalidInput("the file is empty", where=where)
    if len(data) > MAX_ASSET_BYTES:
        raise InvalidInput(f"the file is larger than {MAX_ASSET_BYTES // (1024 * 1024)} MB", where=where)
    alt = validation.optional_text(alt, "alt", max_length=500, where=where)
    found = detect(data, given, where)
    if name is not None:
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise InvalidInput(f"invalid asset name {name!r}: lower-case letters, digits, '.-_' and an extension",
                               where=where, field="name")
        if Asset.select().where((Asset.project == project) & (Asset.name == name)).exists():
            raise Conflict(f"an asset called {name!r} already exists", where=f"project {project.name}")
        final = name
    else:
        final = _unique(project, clean_name(given, found.mime))
    limits.check_storage(project.organization, len(data))
    with database.atomic():
        digest = blobs.put(data)
        asset = Asset.create(organization=project.organization_id, project=project, uploaded_by=actor, name=final,
                             type=found.type, mime=found.mime, size=len(data), hash=digest, alt=alt,
                             width=found.width, height=found.height)
        bump_project(project)
        audit.record(actor, project.organization, "asset.add", "asset", asset.id,
                     {"project": project.name, "name": final, "size": len(data)})
    return asset


def list_assets(actor: User, project: str | Project) -> list[Asset]:
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    return list(Asset.select().where(Asset.project == project).order_by(Asset.name))


def get_asset(actor: User, project: str | Project, name: str) -> Asset:
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    return _find(project, name)


def _find(project: Project, name: str) -> Asset:
    asset = Asset.get_or_none((Asset.project == project) & (Asset.name == name))
    if asset is None:
        raise NotFound(f"no asset {name!r} (see 'bgpub asset list {project.name}')", where=f"project {project.name}")
    return asset


def asset_bytes(actor: User, project: str | Project, name: str) -> bytes:
    return blobs.get(get_asset(actor, project, name).hash)


def set_alt(actor: User, project: str | Project, name: str, alt: str) -> Asset:
    """Changes the asset's alternative text (what screen readers say)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    asset = _find(project, name)
    alt = validation.optional_text(alt, "alt", max_length=500, where=f"project {project.name}, asset {name}")
    with database.atomic():
        Asset.update(alt=alt).where(Asset.id == asset.id).execute()
        asset.alt = alt
        bump_project(project)
        audit.record(actor, project.organization, "asset.alt", "asset", asset.id,
                     {"project": project.name, "name": name})
    return asset


def remove_asset(actor: User, project: str | Project, name: str) -> None:
    """Deletes the asset; refused while a page (or the site settings) uses it, naming them.

    The bytes stay in the blob store: published versions may still refer to them.
    """
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    asset = _find(project, name)
    users = pages_using_asset(project, name)
    if users:
        shown = ", ".join(users[:10]) + (" ..." if len(users) > 10 else "")
        raise Conflict(f"still used by {shown}; remove it there first",
                       where=f"project {project.name}, asset {name}")
    with database.atomic():
        asset.delete_instance()
        bump_project(project)
        audit.record(actor, project.organization, "asset.remove", "asset", asset.id,
                     {"project": project.name, "name": name})

