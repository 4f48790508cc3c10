"""Blog categories and tags: add, list, rename, remove and merge; posts name them by name or slug.

Slugs come from names through `bgpub.domain.slugs`, unique within the project; renaming re-derives the slug.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from peewee import fn

from bgpub.db.connection import database
from bgpub.db.models import BlogCategory, BlogPost, BlogPostTag, BlogTag, Project, User
from bgpub.db.rows import tuple_rows
from bgpub.domain.slugs import slugify, unique_slug
from bgpub.errors import Conflict, NotFound
from bgpub.services import post_fields
from bgpub.services.permissions import Action
from bgpub.services.project_access import project_for
from bgpub.services.project_changes import record_change

_Term = TypeVar("_Term", BlogCategory, BlogTag)

SLUG_MAX = 100


@dataclass(frozen=True)
class TermView:
    """A category or tag as the front ends show it."""

    name: str
    slug: str
    posts: int


def _where(project: Project, kind: str, name: str | None = None) -> str:
    return f"project {project.name}, {kind}" + (f" {name}" if name else "")


def _find(model: type[_Term], project: Project, ref: str, kind: str) -> _Term:
    row = model.get_or_none(
        (model.project == project) & ((model.name == ref) | (model.slug == ref))
    )
    if row is None:
        known = (
            ", ".join(
                model.select(model.name)
                .where(model.project == project)
                .order_by(model.name)
                .scalars()
            )
            or "none yet"
        )
        raise NotFound(f"no {kind} {ref!r} (known: {known})", where=f"project {project.name}")
    return row


def _new_slug(
    model: type[BlogCategory] | type[BlogTag], project: Project, name: str, keep: str | None = None
) -> str:
    taken = set(model.select(model.slug).where(model.project == project).scalars()) - {keep}
    return unique_slug(
        slugify(name, max_length=SLUG_MAX, fallback=model.__name__[4:].lower()),
        taken,
        max_length=SLUG_MAX,
    )


def _same_name(
    model: type[_Term], project: Project, name: str, other_than: str | None = None
) -> _Term | None:
    query = model.select().where(
        (model.project == project) & (fn.LOWER(model.name) == name.lower())
    )
    if other_than:
        query = query.where(model.id != other_than)
    found: _Term | None = query.first()
    return found


def category_row(project: Project, name: str, *, create: bool) -> BlogCategory:
    """The category called (or slugged) `name`; created when missing and `create` (inside the caller's
    transaction, no permission check: callers have done it)."""
    row = BlogCategory.get_or_none(
        (BlogCategory.project == project)
        & ((BlogCategory.name == name) | (BlogCategory.slug == name))
    )
    if row is None and create:
        row = BlogCategory.create(
            project=project, name=name, slug=_new_slug(BlogCategory, project, name)
        )
    if row is None:
        row = _find(BlogCategory, project, name, "category")  # raises NotFound
    return row


def tag_rows(project: Project, names: Iterable[str]) -> list[BlogTag]:
    """The tags called (or slugged) `names`, in order, created when missing (no permission check)."""
    rows: list[BlogTag] = []
    for name in dict.fromkeys(names):
        row = BlogTag.get_or_none(
            (BlogTag.project == project) & ((BlogTag.name == name) | (BlogTag.slug == name))
        )
        if row is None:
            row = BlogTag.create(project=project, name=name, slug=_new_slug(BlogTag, project, name))
        if row.id not in {r.id for r in rows}:
            rows.append(row)
    return rows


# -- categories ---------------------------------------------------------------------------------------
def list_categories(actor: User, project: str | Project) -> list[TermView]:
    project = project_for(actor, project, Action.READ)
    counts = dict(
        tuple_rows(
            BlogPost.select(BlogPost.category, fn.COUNT(BlogPost.id))
            .where(BlogPost.project == project)
            .group_by(BlogPost.category)
        )
    )
    rows = BlogCategory.select().where(BlogCategory.project == project).order_by(BlogCategory.name)
    return [TermView(c.name, c.slug, counts.get(c.id, 0)) for c in rows]


def add_category(actor: User, project: str | Project, name: str) -> TermView:
    project = project_for(actor, project, Action.EDIT)
    name = post_fields.category_name(name, where=_where(project, "category"))
    if _same_name(BlogCategory, project, name):
        raise Conflict(
            f"a category named {name!r} already exists", where=_where(project, "category")
        )
    with database.atomic():
        row = category_row(project, name, create=True)
        record_change(actor, project, "category.add", "blog_category", row.id, {"name": name})
    return TermView(row.name, row.slug, 0)


def rename_category(actor: User, project: str | Project, ref: str, new_name: str) -> TermView:
    project = project_for(actor, project, Action.EDIT)
    row = _find(BlogCategory, project, ref, "category")
    new_name = post_fields.category_name(new_name, where=_where(project, "category", ref))
    if _same_name(BlogCategory, project, new_name, other_than=row.id):
        raise Conflict(
            f"a category named {new_name!r} already exists", where=_where(project, "category", ref)
        )
    with database.atomic():
        old = row.name
        row.name, row.slug = new_name, _new_slug(BlogCategory, project, new_name, keep=row.slug)
        row.save()
        record_change(
            actor,
            project,
            "category.rename",
            "blog_category",
            row.id,
            {"from": old, "to": new_name},
        )
    posts = BlogPost.select().where(BlogPost.category == row).count()
    return TermView(row.name, row.slug, posts)


def remove_category(actor: User, project: str | Project, ref: str) -> int:
    """Deletes the category; its posts keep existing without one. Returns how many posts it had."""
    project = project_for(actor, project, Action.EDIT)
    row = _find(BlogCategory, project, ref, "category")
    with database.atomic():
        posts: int = BlogPost.update(category=None).where(BlogPost.category == row).execute()
        row.delete_instance()
        record_change(
            actor,
            project,
            "category.remove",
            "blog_category",
            row.id,
            {"name": row.name, "posts": posts},
        )
    return posts


# -- tags -----------------------------------------------------------------------------------------------
def list_tags(actor: User, project: str | Project) -> list[TermView]:
    project = project_for(actor, project, Action.READ)
    counts = dict(
        tuple_rows(
            BlogPostTag.select(BlogPostTag.tag, fn.COUNT(BlogPostTag.id))
            .join(BlogTag)
            .where(BlogTag.project == project)
            .group_by(BlogPostTag.tag)
        )
    )
    rows = BlogTag.select().where(BlogTag.project == project).order_by(BlogTag.name)
    return [TermView(t.name, t.slug, counts.get(t.id, 0)) for t in rows]


def rename_tag(actor: User, project: str | Project, ref: str, new_name: str) -> TermView:
    project = project_for(actor, project, Action.EDIT)
    row = _find(BlogTag, project, ref, "tag")
    new_name = post_fields.tag_name(new_name, where=_where(project, "tag", ref))
    if _same_name(BlogTag, project, new_name, other_than=row.id):
        raise Conflict(
            f"a tag named {new_name!r} already exists; use 'tag merge' to fold one into the other",
            where=_where(project, "tag", ref),
        )
    with database.atomic():
        old = row.name
        row.name, row.slug = new_name, _new_slug(BlogTag, project, new_name, keep=row.slug)
        row.save()
        record_change(
            actor, project, "tag.rename", "blog_tag", row.id, {"from": old, "to": new_name}
        )
    return TermView(row.name, row.slug, BlogPostTag.select().where(BlogPostTag.tag == row).count())


def merge_tags(actor: User, project: str | Project, source: str, target: str) -> TermView:
    """Re-tags every post of `source` with `target` and deletes `source`."""
    project = project_for(actor, project, Action.EDIT)
    old = _find(BlogTag, project, source, "tag")
    new = _find(BlogTag, project, target, "tag")
    if old.id == new.id:
        raise Conflict(
            f"cannot merge tag {old.name!r} into itself", where=_where(project, "tag", source)
        )
    with database.atomic():
        tagged = set(BlogPostTag.select(BlogPostTag.post).where(BlogPostTag.tag == new).scalars())
        moved = 0
        for link in BlogPostTag.select().where(BlogPostTag.tag == old):
            if link.post_id not in tagged:
                BlogPostTag.create(post=link.post_id, tag=new)
                moved += 1
        old.delete_instance()  # its links go with it (CASCADE)
        record_change(
            actor,
            project,
            "tag.merge",
            "blog_tag",
            new.id,
            {"from": old.name, "to": new.name, "posts": moved},
        )
    return TermView(new.name, new.slug, BlogPostTag.select().where(BlogPostTag.tag == new).count())
