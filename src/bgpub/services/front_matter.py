"""Reads a folder of Markdown posts with front matter, as Hugo, Jekyll, Eleventy and Pelican write them.

YAML (`---`), TOML (`+++`) and JSON (`{...}`) front matter go through python-frontmatter (TOML with
the standard library's tomllib); Pelican's `Key: value` header lines are read too. Nothing here
touches the database: each file becomes an `IncomingPost` or a reason it was skipped, and whatever
the site cannot keep (shortcodes, Liquid tags, raw HTML) becomes a finding with its `file:line`.
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

import frontmatter
import yaml
from frontmatter.default_handlers import BaseHandler, JSONHandler, YAMLHandler

from bgpub.db.enums import PostStatus
from bgpub.errors import InvalidInput
from bgpub.services import validation
from bgpub.services.markdown_findings import scan_body
from bgpub.services.post_sources import (
    Finding,
    IncomingPost,
    alias_slug,
    as_utc,
    relative_file,
    slug_of,
)

MAX_FILE_BYTES = 5 * 1024 * 1024  # a post, not a data dump
IGNORED_FOLDERS = frozenset(
    {"node_modules", "vendor", "_site", "public"}
)  # dependencies and build output
SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")
KNOWN_KEYS = {
    "title",
    "date",
    "publishdate",
    "pubdate",
    "draft",
    "published",
    "status",
    "tags",
    "tag",
    "keywords",
    "categories",
    "category",
    "summary",
    "description",
    "excerpt",
    "slug",
    "aliases",
    "redirect_from",
    "author",
    "authors",
    "cover",
    "image",
    "featured_image",
    "thumbnail",
    "lastmod",
    "modified",
    "updated",
}
JEKYLL_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-(.+)$")
PELICAN_LINE = re.compile(r"^([A-Za-z][A-Za-z_ -]{0,30}):\s*(.*)$")


class TomlHandler(BaseHandler):
    """`+++` TOML front matter (Hugo), read with the standard library's tomllib."""

    FM_BOUNDARY = re.compile(r"^\+{3,}\s*$", re.MULTILINE)
    START_DELIMITER = END_DELIMITER = "+++"

    def load(self, fm: str, **kwargs: object) -> Any:
        return tomllib.loads(fm)


class _TextDates(yaml.SafeLoader):
    """Safe YAML that leaves timestamps as text, so a bad date is reported as the date it is."""


_TextDates.add_constructor(
    "tag:yaml.org,2002:timestamp",
    lambda loader, node: loader.construct_scalar(node),  # type: ignore[arg-type]  # types-PyYAML types `node` as any Node; timestamps are scalars
)


class YamlHandler(YAMLHandler):
    """`---` YAML front matter (Hugo, Jekyll, Eleventy), safe loading, dates read by `as_utc`."""

    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=_TextDates)  # noqa: S506 - a SafeLoader subclass


HANDLERS = (YamlHandler(), TomlHandler(), JSONHandler())


class SkippedFile(Exception):
    """A file that cannot become a post; the message says why."""


def read_folder(root: Path) -> tuple[list[IncomingPost], list[Finding], list[Finding]]:
    """Every Markdown file under `root` (sorted, symlinks leaving it ignored): (posts, skipped, notes)."""
    posts: list[IncomingPost] = []
    skipped: list[Finding] = []
    notes: list[Finding] = []
    resolved_root = root.resolve()
    passed_over: dict[str, int] = {}
    for path in sorted(p for p in root.rglob("*") if p.suffix.lower() in SUFFIXES):
        name = path.relative_to(root).as_posix()
        folder = next(
            (
                part
                for part in path.relative_to(root).parts[:-1]
                if part.startswith(".") or part in IGNORED_FOLDERS
            ),
            None,
        )
        if folder is not None:  # a package's README in node_modules is not a post
            passed_over[folder] = passed_over.get(folder, 0) + 1
            continue
        if not path.resolve().is_relative_to(resolved_root):
            skipped.append(Finding(name, "a link to a file outside the folder: not read"))
            continue
        if not path.is_file():
            continue
        if path.name == "_index.md" or (path.name == "index.markdown" and path.parent == root):
            skipped.append(Finding(name, "a section's index page, not a post"))
            continue
        try:
            post, found = read_post(path, name)
        except SkippedFile as exc:
            skipped.append(Finding(name, str(exc)))
            continue
        posts.append(post)
        notes.extend(found)
    for folder, count in sorted(passed_over.items()):
        skipped.append(
            Finding(
                f"{folder}/", f"{count} Markdown file(s) in hidden or dependency folders not read"
            )
        )
    return posts, skipped, notes


def _decode(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise SkippedFile(
            f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB ({size} bytes)"
        )
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SkippedFile(
            f"not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "convert the file to UTF-8 and import again"
        ) from None


def split_header(text: str) -> tuple[dict[str, Any], str, int]:
    """(metadata, body, line of the file where the body starts)."""
    handler = frontmatter.detect_format(text, HANDLERS)
    if handler is None:
        return _pelican_header(text)
    try:
        raw, content = handler.split(text)
    except ValueError:
        raise SkippedFile("the front matter is not closed") from None
    kind = type(handler).__name__.removesuffix("Handler").upper()
    try:
        metadata = handler.load(raw)
    except (
        yaml.YAMLError,
        tomllib.TOMLDecodeError,
        json.JSONDecodeError,
        RecursionError,
        ValueError,
    ) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise SkippedFile(f"the {kind} front matter cannot be read: {first}") from None
    if not isinstance(metadata, dict):
        raise SkippedFile(f"the {kind} front matter is not a table of keys and values")
    head = text[: len(text) - len(content)]
    return metadata, content, head.count("\n") + 1


def _pelican_header(text: str) -> tuple[dict[str, Any], str, int]:
    lines = text.split("\n")
    metadata: dict[str, Any] = {}
    for number, line in enumerate(lines):
        if not line.strip():
            return (
                (metadata, "\n".join(lines[number + 1 :]), number + 2)
                if metadata
                else ({}, text, 1)
            )
        match = PELICAN_LINE.match(line)
        if not match:
            return {}, text, 1
        metadata[match.group(1).strip().lower()] = match.group(2).strip()
    return metadata, "", len(lines) + 1


def _text(meta: dict[str, Any], keys: tuple[str, ...]) -> tuple[str, Any]:
    for key in keys:
        if key in meta and meta[key] not in (None, ""):
            return key, meta[key]
    return "", None


def _names(value: Any, field: str, where: str) -> list[str]:
    """A list of names from a list, or a comma-separated string (Pelican, Jekyll)."""
    if value is None or value == "":
        return []
    items = (
        value
        if isinstance(value, list)
        else str(value).split(",")
        if isinstance(value, str | int | float)
        else None
    )
    if items is None:
        raise SkippedFile(f"{field} must be a list of names, got {validation.json_kind(value)}")
    names: list[str] = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, str | int | float):
            raise SkippedFile(
                f"{field} must be a list of names, got an item that is {validation.json_kind(item)}"
            )
        try:
            name = validation.optional_text(str(item), field, max_length=100, where=where)
        except InvalidInput as exc:
            raise SkippedFile(exc.message) from None
        if name and name not in names:
            names.append(name)
    return names


def _flag(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "false", "no", "0"):
        return value.strip().lower() in ("true", "yes", "1")
    raise SkippedFile(f"{field} must be true or false, got {value!r}")


def _status(meta: dict[str, Any]) -> PostStatus:
    if "draft" in meta and _flag(meta["draft"], "draft"):
        return PostStatus.DRAFT
    if "published" in meta and not _flag(meta["published"], "published"):
        return PostStatus.DRAFT
    status = str(meta.get("status", "")).strip().lower()
    if status in ("draft", "hidden", "private"):
        return PostStatus.DRAFT
    return PostStatus.PUBLISHED


def _author(value: Any) -> tuple[str, str, list[str]]:
    """(byline, email, further authors)."""
    if isinstance(value, list):
        names = [_author(v)[0] for v in value]
        first = _author(value[0]) if value else ("", "", [])
        return first[0], first[1], [n for n in names[1:] if n]
    if isinstance(value, dict):
        name = str(value.get("name") or value.get("email") or "")
        return name.strip(), str(value.get("email") or "").strip().lower(), []
    text = str(value or "").strip()
    match = re.match(r"^(.*?)\s*<([^<>@\s]+@[^<>\s]+)>$", text)
    if match:
        return match.group(1) or match.group(2), match.group(2).lower(), []
    return text, text.lower() if validation.EMAIL_RE.fullmatch(text) else "", []


def _cover(meta: dict[str, Any]) -> str:
    _, value = _text(meta, ("cover", "image", "featured_image", "thumbnail"))
    if isinstance(value, dict):
        value = value.get("image") or value.get("src") or ""
    return value if isinstance(value, str) else ""


def _slug(meta: dict[str, Any], path: Path, title: str, notes: list[Finding], name: str) -> str:
    given = meta.get("slug")
    stem = path.parent.name if path.stem in ("index", "_index") else path.stem
    jekyll = JEKYLL_NAME.match(stem)
    source = str(given) if given not in (None, "") else (jekyll.group(2) if jekyll else stem)
    slug = slug_of(source) or slug_of(title)
    if given not in (None, "") and slug != given:
        notes.append(Finding(name, f"slug {given!r} is not a valid URL slug: imported as {slug!r}"))
    if not slug:
        raise SkippedFile("no slug can be made from the file name or the title")
    return slug


def _cover_file(ref: str, path: Path, name: str, notes: list[Finding]) -> str:
    """The cover as a path under the import's root: beside the post, or for a site path (`/images/x.jpg`)
    at the root or in Hugo's `static/`; "" with a finding when it cannot be read from the folder."""
    if not ref:
        return ""
    root = path.parents[len(PurePosixPath(name).parts) - 1]
    try:
        if ref.startswith("/") and not ref.startswith("//"):
            candidates = [
                relative_file(PurePosixPath(), ref.lstrip("/")),
                relative_file(PurePosixPath("static"), ref.lstrip("/")),
            ]
        else:
            candidates = [relative_file(PurePosixPath(name).parent, ref)]
    except ValueError as exc:
        notes.append(Finding(name, f"cover not imported: {exc}"))
        return ""
    return next((c for c in candidates if (root / c).is_file()), candidates[0])


def _edited(
    meta: dict[str, Any], published: datetime | None, name: str, notes: list[Finding]
) -> datetime | None:
    """The last edit after publishing (`lastmod`, `modified`, `updated`), kept only when later than the date."""
    key, raw = _text(meta, ("lastmod", "modified", "updated"))
    if raw is None:
        return None
    try:
        edited = as_utc(raw)
    except (ValueError, TypeError) as exc:
        notes.append(Finding(name, f"{key} not kept: {exc}"))
        return None
    return edited if published is not None and edited is not None and edited > published else None


def read_post(path: Path, name: str) -> tuple[IncomingPost, list[Finding]]:
    """One Markdown file as a post and its findings; raises SkippedFile with the reason."""
    text = _decode(path)
    meta, body, first_line = split_header(text)
    meta = {str(k).lower(): v for k, v in meta.items()}
    notes: list[Finding] = []
    where = f"file {name}"
    try:
        title = validation.required_text(meta.get("title"), "title", max_length=200, where=where)
    except InvalidInput as exc:
        raise SkippedFile(exc.message) from None
    date_key, raw_date = _text(meta, ("date", "publishdate", "pubdate"))
    jekyll = JEKYLL_NAME.match(path.stem)
    if raw_date is None and jekyll:
        date_key, raw_date = "date (from the file name)", jekyll.group(1)
    try:
        published = as_utc(raw_date) if raw_date is not None else None
    except (ValueError, TypeError) as exc:
        raise SkippedFile(f"{date_key}: {exc}") from None
    _, excerpt = _text(meta, ("summary", "description", "excerpt"))
    categories = _names(meta.get("categories", meta.get("category")), "categories", where)
    if len(categories) > 1:
        notes.append(
            Finding(
                name,
                f"a post has one category: kept {categories[0]!r}, not "
                + ", ".join(repr(c) for c in categories[1:]),
            )
        )
    tags = _names(meta.get("tags", meta.get("tag")), "tags", where)
    keywords = _names(meta.get("keywords"), "keywords", where)
    edited = _edited(meta, published, name, notes)
    authors = meta.get("author", meta.get("authors"))
    if "author" not in meta and isinstance(authors, str):  # Pelican: `Authors: A, B`
        authors = [a.strip() for a in authors.split(",") if a.strip()]
    byline, email, others = _author(authors)
    if others:
        notes.append(
            Finding(
                name, f"a post has one author: kept {byline!r}, not " + ", ".join(map(repr, others))
            )
        )
    slug = _slug(meta, path, title, notes, name)
    aliases = []
    for alias in _names(meta.get("aliases", meta.get("redirect_from")), "aliases", where):
        earlier = alias_slug(alias)
        if earlier and earlier != slug and earlier not in aliases:
            aliases.append(earlier)
    cover = _cover_file(_cover(meta), path, name, notes)
    unknown = sorted(k for k in meta if k not in KNOWN_KEYS)
    if unknown:
        notes.append(Finding(name, "front matter keys not kept: " + ", ".join(unknown)))
    notes.extend(scan_body(body, name, first_line))
    post = IncomingPost(
        source=name,
        title=title,
        slug=slug,
        body=body.strip() + "\n" if body.strip() else "",
        status=_status(meta),
        published_at=published,
        edited_at=edited,
        excerpt=str(excerpt or "").strip(),
        author=str(byline)[:200],
        author_email=email,
        category=categories[0] if categories else "",
        tags=tags,
        keywords=keywords,
        aliases=aliases,
        cover=cover,
    )
    return post, notes
