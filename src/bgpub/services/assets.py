"""Assets: files a project uses (images, video, documents, fonts, icons), bytes in the blob store.

The type comes from the content (magic bytes), cross-checked with the file name; images are decoded
with Pillow for their size, so a corrupt or mislabelled file is refused before anything is stored.
An SVG is a document that can run script, so what is stored is its rebuilt, inert form
(`services/svg.py`), never the upload. A file is sized with stat before it is read, then read in
chunks that are hashed on the way, never past the limit.

Front ends get `AssetRow` values (`add_asset`, `list_assets`, `show_asset`, `set_alt`,
`set_focus`); `get_asset` and `stored_asset` return rows for other services (asset files, renames).
"""

from __future__ import annotations

import hashlib
import io
import mimetypes
import os
import re
from dataclasses import dataclass
from pathlib import Path

from bgpub.db.connection import database
from bgpub.db.enums import AssetType
from bgpub.db.mapping import asset_row
from bgpub.db.models import Asset, Project, User
from bgpub.db.rows import tuple_rows
from bgpub.domain.assets import AssetRow
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.services import audit, blobs, limits, validation
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require
from bgpub.services.references import pages_using_asset
from bgpub.services.revisions import bump_project
from bgpub.services.svg import CleanSvg, sanitise_svg

MAX_ASSET_BYTES = 100 * 1024 * 1024
MAX_PIXELS = 40_000_000  # bigger photos are refused: decoding one costs hundreds of MB
EXIF_ORIENTATION = 0x0112
MAX_SVG_BYTES = 10 * 1024 * 1024  # an SVG is parsed into a tree, which costs many times the file
READ_CHUNK = 1024 * 1024
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
    "image/png": AssetType.IMAGE,
    "image/jpeg": AssetType.IMAGE,
    "image/gif": AssetType.IMAGE,
    "image/webp": AssetType.IMAGE,
    "image/avif": AssetType.IMAGE,
    "image/svg+xml": AssetType.IMAGE,
    "image/x-icon": AssetType.ICON,
    "application/pdf": AssetType.DOCUMENT,
    "text/plain": AssetType.DOCUMENT,
    "font/woff": AssetType.FONT,
    "font/woff2": AssetType.FONT,
    "font/otf": AssetType.FONT,
    "font/ttf": AssetType.FONT,
    "video/mp4": AssetType.VIDEO,
    "video/webm": AssetType.VIDEO,
}
EXTENSION_OF_MIME = {
    "image/png": ".png",
    "image/jpeg": ".jpg",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/avif": ".avif",
    "image/svg+xml": ".svg",
    "image/x-icon": ".ico",
    "application/pdf": ".pdf",
    "text/plain": ".txt",
    "font/woff": ".woff",
    "font/woff2": ".woff2",
    "font/otf": ".otf",
    "font/ttf": ".ttf",
    "video/mp4": ".mp4",
    "video/webm": ".webm",
}
SVG_ROOT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?svg[\s/>]")
XML_START = (b"<?xml", b"<svg", b"<!--", b"<!doctype")


@dataclass(frozen=True)
class Detected:
    mime: str
    type: AssetType
    width: int | None = None
    height: int | None = None
    svg: CleanSvg | None = None  # an SVG's rebuilt form: what gets stored


def sniff(data: bytes) -> str | None:
    """The mime type the bytes announce, or None for text and unknown formats."""
    for magic, offset, mime in MAGIC:
        if data[offset : offset + len(magic)] == magic:
            if mime == "video/mp4" and data[8:12] in (b"avif", b"avis"):
                return "image/avif"
            return mime
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if _looks_like_svg(data[:4096]):
        return "image/svg+xml"
    return None


def _looks_like_svg(head: bytes) -> bool:
    """XML text (UTF-8, or UTF-16 with its byte order mark) whose first element looks like an svg."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head.decode("utf-16", "ignore").encode("utf-8")
    head = head.removeprefix(b"\xef\xbb\xbf")
    return head.lstrip().lower().startswith(XML_START) and SVG_ROOT.search(head) is not None


def detect(data: bytes, name: str, where: str, *, already_clean: bool = True) -> Detected:
    """Type, mime and (for images) pixel size; refuses unknown, mislabelled or unsafe files.

    An SVG is rebuilt (`found.svg`). With `already_clean` (bytes about to be stored as they are, such
    as an import's), an SVG the rebuild would change in substance is refused; an upload passes False
    and stores `found.svg.data`.
    """
    guessed, encoding = mimetypes.guess_type(name, strict=False)
    if (
        encoding is not None
    ):  # `logo.svgz`, `x.png.gz`: hosts would serve it compressed, or as another type
        raise InvalidInput(
            f"the name says a {encoding}-compressed file; name it by its content "
            f"(such as .svg or .png)",
            where=where,
        )
    guessed = {
        "image/vnd.microsoft.icon": "image/x-icon",
        "application/font-woff": "font/woff",
        "application/x-font-ttf": "font/ttf",
    }.get(guessed or "", guessed)
    mime = sniff(data)
    if mime is None:
        if guessed == "text/plain":
            try:
                data.decode("utf-8")
            except UnicodeDecodeError:
                raise InvalidInput("a .txt file must be UTF-8 text", where=where) from None
            mime = "text/plain"
        else:
            raise InvalidInput(
                f"unsupported file type (allowed: {', '.join(sorted(TYPE_OF_MIME))})", where=where
            )
    if guessed and guessed != mime and not (guessed.split("/")[0] == mime.split("/")[0] == "font"):
        raise InvalidInput(f"the content is {mime} but the name says {guessed}", where=where)
    if mime == "image/svg+xml":
        return _detect_svg(data, where, already_clean)
    if mime in ("image/png", "image/jpeg", "image/gif", "image/webp"):
        width, height = _image_size(data, where)
        return Detected(mime, AssetType.IMAGE, width, height)
    return Detected(mime, TYPE_OF_MIME[mime])


def _detect_svg(data: bytes, where: str, already_clean: bool) -> Detected:
    if len(data) > MAX_SVG_BYTES:
        raise InvalidInput(
            f"an SVG larger than {MAX_SVG_BYTES // (1024 * 1024)} MB is refused", where=where
        )
    clean = sanitise_svg(data, where)
    if clean.active:
        raise InvalidInput(
            f"SVG with scripts or event handlers is refused (found {clean.active[0]}"
            + (f" and {len(clean.active) - 1} more" if len(clean.active) > 1 else "")
            + ")",
            where=where,
        )
    if already_clean and clean.removed:
        raise InvalidInput(
            f"the SVG holds content that is not allowed ({clean.removed[0]}); add it with "
            "'bgpub asset add', which stores a cleaned copy",
            where=where,
        )
    return Detected("image/svg+xml", AssetType.IMAGE, clean.width, clean.height, clean)


def _image_size(data: bytes, where: str) -> tuple[int, int]:
    """The upright pixel size (EXIF orientation applied); refuses images over 40 megapixels and
    decompression bombs from their header, before any pixel is decoded."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise InvalidInput(
                    f"the image is {width}x{height} ({width * height / 1e6:.1f} megapixels); "
                    f"images over {MAX_PIXELS // 1_000_000} megapixels are refused: resize it "
                    "first",
                    where=where,
                )
            image.verify()
        with Image.open(io.BytesIO(data)) as image:  # verify() leaves an image unusable
            orientation = image.getexif().get(EXIF_ORIENTATION)
    except Image.DecompressionBombError:
        raise InvalidInput(
            f"the image claims a pixel size far beyond the {MAX_PIXELS // 1_000_000} megapixel "
            "limit (a decompression bomb); refused",
            where=where,
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"the image cannot be decoded ({exc})", where=where) from None
    if orientation in (5, 6, 7, 8):  # turned a quarter: what readers see is the other way round
        return height, width
    return width, height


def check_focus(value: object, name: str, where: str) -> float | None:
    """A focal point coordinate: None (the middle) or a number from 0 to 1."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        raise InvalidInput(
            f"{name} must be a number from 0 to 1 (0: left or top edge, 1: right or bottom), "
            f"got {value!r}",
            where=where,
            field=name,
        )
    return float(value)


def set_focus(actor: User, project: str | Project, name: str, x: float, y: float) -> AssetRow:
    """Sets the image's focal point: crops (cards, covers, share images) keep it in view."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    asset = stored_asset(project, name)
    where = f"project {project.name}, asset {name}"
    if asset.type != AssetType.IMAGE:
        raise InvalidInput(
            f"only images have a focal point ({name} is a {asset.type.value.lower()})", where=where
        )
    fx, fy = check_focus(x, "x", where), check_focus(y, "y", where)
    with database.atomic():
        Asset.update(focus_x=fx, focus_y=fy).where(Asset.id == asset.id).execute()
        asset.focus_x, asset.focus_y = fx, fy
        bump_project(project)
        audit.record(
            actor,
            project.organization,
            "asset.focus",
            "asset",
            asset.id,
            {"project": project.name, "name": name, "x": fx, "y": fy},
        )
    return asset_row(asset)


def clean_name(name: str, mime: str) -> str:
    """A safe, lower-case file name (letters, digits, `.-_`) with an extension matching the content."""
    path = Path(name)
    stem = re.sub(r"[^a-z0-9._-]+", "-", path.stem.lower()).strip("-._") or "file"
    ext = path.suffix.lower()
    if mimetypes.guess_type(f"x{ext}", strict=False)[0] is None or ext == "":
        ext = EXTENSION_OF_MIME.get(mime, ".bin")
    return f"{stem[:110]}{ext}"


def _unique(project: Project, name: str) -> str:
    taken = {n for (n,) in tuple_rows(Asset.select(Asset.name).where(Asset.project == project))}
    if name not in taken:
        return name
    stem, ext = name.rsplit(".", 1)
    counter = 2
    while f"{stem}-{counter}.{ext}" in taken:
        counter += 1
    return f"{stem}-{counter}.{ext}"


def add_asset(
    actor: User,
    project: str | Project,
    source: str | Path | bytes,
    *,
    name: str | None = None,
    alt: str = "",
) -> AssetRow:
    """Stores a file for the project. The name is derived from the file (made unique) unless given."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    if isinstance(source, bytes):
        given = name or "file"
        where = f"project {project.name}, asset {given}"
        if len(source) > MAX_ASSET_BYTES:
            raise InvalidInput(
                f"the file is larger than {_megabytes(MAX_ASSET_BYTES)}", where=where
            )
        data, digest = source, blobs.digest(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise NotFound(f"no such file {str(path)!r}", where="asset")
        given = name or path.name
        where = f"project {project.name}, asset {given}"
        data, digest = read_upload(path, where)
    if not data:
        raise InvalidInput("the file is empty", where=where)
    alt = validation.optional_text(alt, "alt", max_length=500, where=where, multiline=True)
    found = detect(data, given, where, already_clean=False)
    if found.svg is not None:
        data = found.svg.data
        digest = blobs.digest(data)
    if name is not None:
        if not isinstance(name, str) or not NAME_RE.fullmatch(name):
            raise InvalidInput(
                f"invalid asset name {name!r}: lower-case letters, digits, '.-_' and an extension",
                where=where,
                field="name",
            )
        if Asset.select().where((Asset.project == project) & (Asset.name == name)).exists():
            raise Conflict(
                f"an asset called {name!r} already exists", where=f"project {project.name}"
            )
        final = name
    else:
        final = _unique(project, clean_name(given, found.mime))
    limits.check_storage(project.organization, len(data))
    with database.atomic():
        blobs.put_many({digest: data}, verify=False)
        asset = Asset.create(
            organization=project.organization_id,
            project=project,
            uploaded_by=actor,
            name=final,
            type=found.type,
            mime=found.mime,
            size=len(data),
            hash=digest,
            alt=alt,
            width=found.width,
            height=found.height,
        )
        bump_project(project)
        audit.record(
            actor,
            project.organization,
            "asset.add",
            "asset",
            asset.id,
            {"project": project.name, "name": final, "size": len(data)},
        )
    return asset_row(asset)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB"


def read_upload(path: Path, where: str, limit: int = MAX_ASSET_BYTES) -> tuple[bytes, str]:
    """The file's bytes and sha256, refused by its size before any byte is read.

    Read in chunks hashed on the way and stopped at the limit, so a file that grows after the stat
    (or a special file that reports no size) costs at most the limit, never its own size.
    """
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise InvalidInput(
                    f"the file is larger than {_megabytes(limit)} ({_megabytes(size)})", where=where
                )
            buffer = bytearray()
            sha = hashlib.sha256()
            while chunk := handle.read(READ_CHUNK):
                if len(buffer) + len(chunk) > limit:
                    raise InvalidInput(f"the file is larger than {_megabytes(limit)}", where=where)
                sha.update(chunk)
                buffer += chunk
    except OSError as exc:
        raise InvalidInput(f"cannot read the file: {exc.strerror or exc}", where=where) from None
    return bytes(buffer), sha.hexdigest()


def list_assets(actor: User, project: str | Project) -> list[AssetRow]:
    """The project's assets by name, as domain values (front ends never hold a row)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    return [
        asset_row(a) for a in Asset.select().where(Asset.project == project).order_by(Asset.name)
    ]


def get_asset(actor: User, project: str | Project, name: str) -> Asset:
    """The asset row if the actor may read it (services only; front ends: show_asset)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    return stored_asset(project, name)


def show_asset(actor: User, project: str | Project, name: str) -> AssetRow:
    """One asset of the project (what `bgpub asset rm` names before asking)."""
    return asset_row(get_asset(actor, project, name))


def stored_asset(project: Project, name: str) -> Asset:
    """The stored asset of that name, or NotFound naming the command that lists them (shared by the
    services that change an asset: alt text, focus, renames)."""
    asset = Asset.get_or_none((Asset.project == project) & (Asset.name == name))
    if asset is None:
        raise NotFound(
            f"no asset {name!r} (see 'bgpub asset list {project.name}')",
            where=f"project {project.name}",
        )
    return asset


def asset_bytes(actor: User, project: str | Project, name: str) -> bytes:
    return blobs.get(get_asset(actor, project, name).hash)


def set_alt(actor: User, project: str | Project, name: str, alt: str) -> AssetRow:
    """Changes the asset's alternative text (what screen readers say)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    asset = stored_asset(project, name)
    alt = validation.optional_text(
        alt, "alt", max_length=500, where=f"project {project.name}, asset {name}", multiline=True
    )
    with database.atomic():
        Asset.update(alt=alt).where(Asset.id == asset.id).execute()
        asset.alt = alt
        bump_project(project)
        audit.record(
            actor,
            project.organization,
            "asset.alt",
            "asset",
            asset.id,
            {"project": project.name, "name": name},
        )
    return asset_row(asset)


def remove_asset(actor: User, project: str | Project, name: str) -> None:
    """Deletes the asset; refused while a page (or the site settings) uses it, naming them.

    The bytes stay in the blob store: published versions may still refer to them.
    """
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    asset = stored_asset(project, name)
    users = pages_using_asset(project, name)
    if users:
        shown = ", ".join(users[:10]) + (" ..." if len(users) > 10 else "")
        raise Conflict(
            f"still used by {shown}; remove it there first",
            where=f"project {project.name}, asset {name}",
        )
    with database.atomic():
        asset.delete_instance()
        bump_project(project)
        audit.record(
            actor,
            project.organization,
            "asset.remove",
            "asset",
            asset.id,
            {"project": project.name, "name": name},
        )
