"""Import of an exported folder or a starter site: check everything first, then write it in one transaction.

Hostile or broken input (malformed JSON, unknown components, wrong prop types, slugs such as
`../x`, duplicate slugs, missing or altered blobs) is refused with one error naming the place,
and nothing is written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bgpub.db.bulk import insert_rows
from bgpub.db.connection import database
from bgpub.db.enums import AssetType, CommentStatus, PostStatus
from bgpub.db.fields import new_id, utcnow
from bgpub.db.models import (
    Asset,
    BaseModel,
    BlogCategory,
    BlogComment,
    BlogPost,
    BlogPostTag,
    BlogTag,
    Component,
    ComponentLibrary,
    Organization,
    OrganizationMember,
    Page,
    Project,
    SharedSection,
    User,
)
from bgpub.domain.components import SavedComponent
from bgpub.domain.page_fields import PAGE_FIELDS
from bgpub.domain.slugs import slugify, unique_slug
from bgpub.errors import Conflict, InvalidInput, NotFound
from bgpub.render.paths import content_root
from bgpub.services import audit, blobs, limits, post_fields
from bgpub.services.assets import check_focus
from bgpub.services.collector import collector_paused
from bgpub.services.importing_checks import check_shape, check_snapshot
from bgpub.services.library import current_library, saved_components_of, upsert_library_row
from bgpub.services.permissions import Action, require
from bgpub.services.projects import check_name, check_theme, require_name, resolve_new
from bgpub.snapshot import PostSnapshot, ProjectSnapshot

if TYPE_CHECKING:
    from bgpub.render import components as components_of_render


@dataclass(frozen=True)
class ImportReport:
    project: Project
    pages: int
    assets: int
    notes: tuple[str, ...] = ()


def sites_dirs() -> list[Path]:
    """`BGPUB_SITES_PATH` (os.pathsep-separated) or the repository's `sites/`."""
    value = os.environ.get("BGPUB_SITES_PATH", "")
    if value:
        return [Path(p) for p in value.split(os.pathsep) if p]
    return [content_root() / "sites"]


def list_starters() -> list[str]:
    names: set[str] = set()
    for base in sites_dirs():
        if base.is_dir():
            names.update(p.parent.name for p in base.glob("*/project.json"))
    return sorted(names)


def starter_dir(starter: str | Path) -> Path:
    """A starter site by name (in sites/) or by folder path."""
    path = Path(starter).expanduser()
    if (path / "project.json").is_file():
        return path
    if isinstance(starter, str) and "/" not in starter and starter not in (".", ".."):
        for base in sites_dirs():
            if (base / starter / "project.json").is_file():
                return base / starter
    known = ", ".join(list_starters()) or "none installed"
    raise NotFound(
        f"no starter site {str(starter)!r} (known: {known}; or give a folder with project.json)",
        where="--from",
    )


def read_export(directory: str | Path) -> tuple[ProjectSnapshot, dict[str, bytes]]:
    """The snapshot in `directory/project.json` and the verified bytes of every asset it names."""
    root = Path(directory)
    manifest = root / "project.json"
    if not manifest.is_file():
        raise NotFound("holds no project.json", where=str(root))
    try:
        raw = manifest.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput("is not UTF-8 text", where=str(manifest)) from None
    try:
        parsed = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"malformed JSON: {exc.msg}", where=f"{manifest}:{exc.lineno}") from None
    except RecursionError:
        raise InvalidInput("malformed JSON: nested too deeply", where=str(manifest)) from None
    except ValueError as exc:  # json's own limits, e.g. an integer of more than 4300 digits
        raise InvalidInput(
            f"malformed JSON: {str(exc).split(':')[0]}", where=str(manifest)
        ) from None
    if isinstance(parsed, dict) and isinstance(
        parsed.get("pages"), list
    ):  # before reading 10**6 pages
        limits.check_import_pages(len(parsed["pages"]), str(manifest))
    check_shape(parsed, str(manifest))
    snapshot = ProjectSnapshot.from_dict(parsed, where=str(manifest))
    data: dict[str, bytes] = {}
    for i, asset in enumerate(snapshot.assets):
        where = f"{manifest}: assets[{i}] ({asset.name})"
        if not blobs.is_hash(asset.hash):
            raise InvalidInput(f"hash {asset.hash!r} is not a sha256 hex digest", where=where)
        if asset.hash in data:
            continue
        path = root / "blobs" / asset.hash
        if not path.is_file():
            raise InvalidInput(f"missing blob blobs/{asset.hash}", where=where)
        content = path.read_bytes()
        if blobs.digest(content) != asset.hash:
            raise InvalidInput(
                f"blobs/{asset.hash} does not match its sha256 (altered or corrupt)", where=where
            )
        data[asset.hash] = content
    return snapshot, data


@collector_paused()  # reading and importing: see import_snapshot
def import_project(
    actor: User,
    directory: str | Path,
    name: str | None = None,
    *,
    organization: str | Organization | None = None,
    theme: str | None = None,
    title: str | None = None,
) -> ImportReport:
    """Creates a project from an exported folder; `name` replaces the snapshot's name."""
    snapshot, data = read_export(directory)
    return import_snapshot(
        actor,
        snapshot,
        data,
        name=name,
        organization=organization,
        theme=theme,
        title=title,
        where=str(Path(directory) / "project.json"),
    )


def create_from_starter(
    actor: User,
    name: str,
    starter: str | Path,
    *,
    theme: str | None = None,
    organization: str | Organization | None = None,
    title: str | None = None,
) -> Project:
    """`bgpub new NAME --from landing`: a copy of a starter site under a new name, with the navbar and
    footer its pages repeat lifted into the shared header and footer in the same transaction (a new
    user edits the navbar once, not on every page; the site renders the same)."""
    from bgpub.services.section_lift import lift_project

    folder = starter_dir(starter)
    snapshot, data = read_export(folder)
    with database.atomic():
        report = import_snapshot(
            actor,
            snapshot,
            data,
            name=name,
            organization=organization,
            theme=theme,
            title=title or None,
            where=str(folder / "project.json"),
            action="project.create",
        )
        lift_project(report.project, actor, creating=True)
    return Project.get_by_id(report.project.id)


# a 100,000-page import holds millions of objects until it ends: the cyclic collector's passes
# over them were 10% of it (2.1 s of 19.8 s), for no cycles to collect
@collector_paused()
def import_snapshot(
    actor: User,
    snapshot: ProjectSnapshot,
    data: dict[str, bytes],
    *,
    name: str | None = None,
    organization: str | Organization | None = None,
    theme: str | None = None,
    title: str | None = None,
    where: str = "snapshot",
    action: str = "project.import",
) -> ImportReport:
    """Checks the whole snapshot, then writes the project, its pages, assets, posts and products."""
    limits.check_import_pages(len(snapshot.pages), where)
    if name is not None:
        require_name(name)
    org, bare = resolve_new(
        actor,
        name if name is not None else check_name(snapshot.name, f"{where}: name"),
        organization,
    )
    require(actor, org, Action.CREATE_PROJECT)
    if theme is not None:
        snapshot = replace(snapshot, theme=check_theme(theme, "--theme"))
    if title:
        snapshot = replace(snapshot, title=title)
    snapshot = replace(snapshot, name=bare)
    library = current_library()
    check_snapshot(snapshot, data, library, where)
    _check_saved_components(org, snapshot.components, where)
    notes: list[str] = []
    for field in ("subdomain", "custom_domain"):
        value = getattr(snapshot, field)
        if value and Project.select().where(getattr(Project, field) == value).exists():
            cleared: dict[str, Any] = {field: None}
            snapshot = replace(snapshot, **cleared)
            notes.append(f"{field} {value!r} is used by another project and was left empty")
    limits.check_project_quota(org)
    limits.check_storage(org, sum(a.size for a in snapshot.assets))
    with database.atomic():
        project = Project.create(
            organization=org,
            created_by=actor,
            name=bare,
            title=snapshot.title,
            description=snapshot.description,
            language=snapshot.language,
            theme=snapshot.theme,
            theme_overrides=dict(snapshot.theme_overrides),
            settings=dict(snapshot.settings),
            subdomain=snapshot.subdomain,
            custom_domain=snapshot.custom_domain,
        )
        _write_components(actor, org, snapshot.components, library)
        _write_pages(actor, project, snapshot)
        blobs.put_many(data, verify=False)
        _write_assets(actor, project, snapshot)
        _write_posts(actor, org, project, snapshot)
        _write_products(project, snapshot)
        audit.record(
            actor,
            org,
            action,
            "project",
            project.id,
            {"name": bare, "pages": len(snapshot.pages), "assets": len(snapshot.assets)},
        )
    return ImportReport(project, len(snapshot.pages), len(snapshot.assets), tuple(notes))


def _check_saved_components(
    org: Organization, components: Iterable[SavedComponent], where: str
) -> None:
    existing = {c.key: c for c in saved_components_of(org)}
    for i, component in enumerate(components):
        have = existing.get(component.key)
        if have is not None and have != component:
            raise Conflict(
                f"organization {org.slug} already has a different saved component {component.key!r}; "
                "rename one of them",
                where=f"{where}: components[{i}]",
            )


def _write_components(
    actor: User,
    org: Organization,
    components: Iterable[SavedComponent],
    library: components_of_render.ComponentLibrary,
) -> None:
    existing = {c.key for c in saved_components_of(org)}
    for component in components:
        if component.key in existing:
            continue
        row = ComponentLibrary.get_or_none(ComponentLibrary.key == component.base)
        if row is None or row.checksum != library[component.base].fingerprint:
            row = upsert_library_row(library[component.base], row)
        Component.create(
            organization=org,
            library=row,
            created_by=actor,
            key=component.key,
            name=component.name,
            description=component.description,
            defaults=dict(component.defaults),
        )


def _stamps(count: int) -> list[datetime]:
    """Increasing creation times, so listings keep the snapshot's order."""
    start = utcnow()
    return [start + timedelta(microseconds=i) for i in range(count)]


def _insert(model: type[BaseModel], rows: list[dict[str, Any]]) -> None:
    insert_rows(model, rows)


def _write_pages(actor: User, project: Project, snapshot: ProjectSnapshot) -> None:
    home = next((i for i, p in enumerate(snapshot.pages) if p.is_home), 0)
    now = utcnow()
    rows = [
        {
            "id": new_id(),
            "created_at": now,
            "updated_at": now,
            "project": project.id,
            "slug": p.slug,
            "title": p.title,
            "position": i,
            "is_home": i == home,
            "revision": 1,
            "updated_by": actor.id,
            **{f.name: getattr(p, f.name) for f in PAGE_FIELDS},
            "blocks": [{"component": b.component, "props": b.props} for b in p.blocks],
        }
        for i, p in enumerate(snapshot.pages)
    ]
    _insert(Page, rows)
    _insert(
        SharedSection,
        [
            {
                "id": new_id(),
                "created_at": now,
                "updated_at": now,
                "project": project.id,
                "name": s.name,
                "revision": 1,
                "updated_by": actor.id,
                "blocks": [{"component": b.component, "props": b.props} for b in s.blocks],
            }
            for s in snapshot.sections
        ],
    )


def _write_assets(actor: User, project: Project, snapshot: ProjectSnapshot) -> None:
    now = utcnow()
    rows = [
        {
            "id": new_id(),
            "created_at": now,
            "updated_at": now,
            "organization": project.organization_id,
            "project": project.id,
            "uploaded_by": actor.id,
            "name": a.name,
            "type": AssetType(a.type),
            "mime": a.mime,
            "size": a.size,
            "hash": a.hash,
            "alt": a.alt,
            "width": a.width,
            "height": a.height,
            "focus_x": check_focus(a.focus_x, "focus_x", f"asset {a.name}"),
            "focus_y": check_focus(a.focus_y, "focus_y", f"asset {a.name}"),
        }
        for a in snapshot.assets
    ]
    _insert(Asset, rows)


def _author(org: Organization, label: str) -> User | None:
    if not label:
        return None
    found: User | None = (
        User.select()
        .join(OrganizationMember)
        .where(
            (OrganizationMember.organization == org)
            & ((User.name == label) | (User.email == label.lower()))
        )
        .order_by(User.email)
        .first()
    )
    return found


def _published(post: PostSnapshot) -> datetime | None:
    """`published_at`, or midnight of `date` when only the date is known."""
    if post.published_at:
        return post_fields.read_snapshot_time(post.published_at, "published_at")
    return datetime.fromisoformat(post.date) if post.date else None


def _write_posts(
    actor: User, org: Organization, project: Project, snapshot: ProjectSnapshot
) -> None:
    """Posts with their status and times, categories (with or without posts), tags, aliases, comments."""
    if not snapshot.posts and not snapshot.categories:
        return
    categories: dict[str, str] = {}
    tags: dict[str, str] = {}
    used: dict[str, set[str]] = {"category": set(), "tag": set()}

    def unique(kind: str, text: str) -> str:
        slug = unique_slug(slugify(text, max_length=100, fallback=kind), used[kind], max_length=100)
        used[kind].add(slug)
        return slug

    for name in [*snapshot.categories, *(p.category for p in snapshot.posts if p.category)]:
        if name not in categories:
            categories[name] = BlogCategory.create(
                project=project, name=name, slug=unique("category", name)
            ).id
    for post in snapshot.posts:
        for tag in post.tags:
            if tag not in tags:
                tags[tag] = BlogTag.create(project=project, name=tag, slug=unique("tag", tag)).id
    links: list[dict[str, Any]] = []
    comments: list[dict[str, Any]] = []
    for stamp, post in zip(_stamps(len(snapshot.posts)), snapshot.posts, strict=True):
        author = _author(org, post.author)
        row = BlogPost.create(
            project=project,
            author=author,
            author_name=post.author,
            category=categories.get(post.category),
            title=post.title,
            slug=post.slug,
            excerpt=post.excerpt,
            body=post.body,
            cover_asset=post.cover,
            status=PostStatus(post.status),
            published_at=_published(post),
            edited_at=post_fields.read_snapshot_time(post.updated_at, "updated_at"),
            aliases=list(post.aliases),
            created_at=stamp,
            updated_at=stamp,
        )
        links.extend(
            {"id": new_id(), "post": row.id, "tag": tags[t]} for t in dict.fromkeys(post.tags)
        )
        for i, comment in enumerate(post.comments):
            created = post_fields.read_snapshot_time(comment.date, "date")
            assert created is not None  # the checks refuse a comment without a date
            written = created + timedelta(microseconds=i)
            comments.append(
                {
                    "id": new_id(),
                    "post": row.id,
                    "author_name": comment.author,
                    "author_email": None,
                    "body": comment.body,
                    "status": CommentStatus(comment.status).value,
                    "created_at": written,
                    "updated_at": written,
                }
            )
    _insert(BlogPostTag, links)
    _insert(BlogComment, comments)


def _write_products(project: Project, snapshot: ProjectSnapshot) -> None:
    from bgpub.services.product_snapshots import write_products

    write_products(project, snapshot, _stamps(len(snapshot.products)))
