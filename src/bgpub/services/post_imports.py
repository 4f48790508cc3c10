"""Bringing a blog over: a folder of Markdown posts (Hugo, Jekyll, Eleventy, Pelican) or a WordPress export.

Each import reads everything first (`front_matter`, `wxr`: no database), then writes in one
transaction: posts, categories, tags, comments, pages and the files they use, or nothing at all.
A second run imports nothing twice: a post (or page) whose slug the project already has is skipped
and reported, and a file already stored (same bytes) is reused. WordPress ids and guids are not
kept: the slug is what a reader's URL and a redirect name, so it is the identity an import checks.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from bgpub.db.connection import database
from bgpub.db.enums import PostStatus
from bgpub.db.fields import new_id, utcnow
from bgpub.db.models import (
    Asset,
    BlogCategory,
    BlogComment,
    BlogPost,
    BlogPostTag,
    BlogTag,
    OrganizationMember,
    Page,
    Project,
    User,
)
from bgpub.db.rows import tuple_rows
from bgpub.domain.slugs import slugify, unique_slug
from bgpub.errors import InvalidInput, NotFound
from bgpub.services import assets, audit, blobs, post_fields, validation
from bgpub.services.blocks import check_block
from bgpub.services.front_matter import read_folder
from bgpub.services.library import current_library, saved_components_of
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require
from bgpub.services.post_sources import Finding, ImportReport, IncomingPost
from bgpub.services.revisions import bump_project
from bgpub.services.wxr import attachment_candidates, read_export

PAGE_COMPONENT = (
    "rich-text"  # an imported page is one rich-text block: its `body` prop holds the Markdown
)
PAGE_PROP = "body"
BATCH = 200  # rows per INSERT: one statement per batch instead of one per row
TERM_SLUG_MAX = 100  # blog_categories.slug and blog_tags.slug


def import_posts(
    actor: User, project: str | Project, folder: str | Path, *, now: datetime | None = None
) -> ImportReport:
    """Posts from every Markdown file under `folder`; a post dated after `now` (default: the clock)
    and not a draft is SCHEDULED, as Hugo leaves future posts out until their date."""
    project = _editable(actor, project)
    root = Path(folder)
    if not root.is_dir():
        raise NotFound(f"no such folder {str(root)!r}", where="import-posts")
    posts, skipped, notes = read_folder(root)
    moment = now or utcnow()
    for post in posts:
        if post.status is PostStatus.PUBLISHED and post.published_at and post.published_at > moment:
            post.status = PostStatus.SCHEDULED
    report = ImportReport(project.name, root.name, skipped=skipped, notes=notes)
    _write(actor, project, root, posts, report, "post.import")
    return report


def import_wordpress(actor: User, project: str | Project, export: str | Path) -> ImportReport:
    """Posts, published pages, comments (not spam) and the attachments found beside the export."""
    project = _editable(actor, project)
    path = Path(export)
    if not path.is_file():
        raise NotFound(f"no such file {str(path)!r}", where="import-wordpress")
    data = read_export(path)
    report = ImportReport(project.name, path.name, skipped=data.skipped, notes=data.notes)
    _write(
        actor,
        project,
        path.parent,
        data.posts,
        report,
        "post.import_wordpress",
        attachment_candidates,
    )
    return report


def _editable(actor: User, project: str | Project) -> Project:
    project = find_project(actor, project)
    require(actor, project.organization, Action.EDIT)
    return project


class _Writer:
    """The state of one import's transaction: what the project has and what this import added."""

    def __init__(
        self,
        actor: User,
        project: Project,
        root: Path,
        report: ImportReport,
        candidates: Callable[[str], list[str]],
    ):
        self.actor, self.project, self.root, self.report = actor, project, root, report
        self.candidates = candidates  # where a referenced file may sit under the root
        self.post_slugs = {
            s
            for (s,) in tuple_rows(
                BlogPost.select(BlogPost.slug).where(BlogPost.project == project)
            )
        }
        self.page_slugs = {
            s for (s,) in tuple_rows(Page.select(Page.slug).where(Page.project == project))
        }
        self.sources: dict[tuple[str, str], str] = {}
        self.categories = {
            c.name.casefold(): c
            for c in BlogCategory.select().where(BlogCategory.project == project)
        }
        self.tags = {
            t.name.casefold(): t for t in BlogTag.select().where(BlogTag.project == project)
        }
        self.files: dict[
            str, str | None
        ] = {}  # path under the root -> asset name (None: not importable)
        self.library = current_library()
        self.saved = saved_components_of(project.organization_id)
        self.rows: dict[Any, list[dict[str, Any]]] = {
            BlogPost: [],
            BlogPostTag: [],
            BlogComment: [],
        }
        self.aliases = {
            a
            for (row,) in tuple_rows(
                BlogPost.select(BlogPost.aliases).where(BlogPost.project == project)
            )
            for a in (row or [])
        }

    def claim(self, post: IncomingPost) -> str | None:
        """Why the post cannot be written (a duplicate or an invalid field), or None."""
        taken = self.post_slugs if post.kind == "post" else self.page_slugs
        earlier = self.sources.get((post.kind, post.slug))
        if earlier:
            return f"slug {post.slug!r} is also the slug of {earlier}, imported first"
        if post.slug in taken:
            return (
                f"the project already has a {post.kind} with slug {post.slug!r} (imported before?)"
            )
        where = f"project {self.project.name}, {post.kind} {post.slug}"
        if (
            len(post.excerpt) > post_fields.EXCERPT_MAX
        ):  # a summary longer than an excerpt may be: cut at a word
            post.excerpt = (
                post.excerpt[: post_fields.EXCERPT_MAX - 1].rsplit(" ", 1)[0].rstrip() + "…"
            )
            self.report.notes.append(
                Finding(post.source, f"excerpt cut to {post_fields.EXCERPT_MAX} characters")
            )
        try:  # the checks `bgpub post` and the editor run, so the messages are the same
            post_fields.slug(post.slug, where=where)
            post_fields.title(post.title, where=where)
            post_fields.excerpt(post.excerpt, where=where)
            post_fields.body(post.body, where=where)
            post_fields.byline(post.author, where=where)
            if post.category:
                post_fields.category_name(post.category, where=where)
            for name in post.tags:
                post_fields.tag_name(name, where=where)
            for name in post.keywords:
                validation.required_text(
                    name, "keyword", max_length=post_fields.NAME_MAX, where=where
                )
        except InvalidInput as exc:
            return exc.message
        kept = []
        for comment in post.comments:
            try:
                post_fields.comment_author(comment.author, where=where)
                post_fields.comment_body(comment.body, where=where)
            except InvalidInput as exc:
                self.report.skipped.append(
                    Finding(f"{post.source}, comment by {comment.author[:40]!r}", exc.message)
                )
                continue
            kept.append(comment)
        post.comments = kept
        self.sources[(post.kind, post.slug)] = post.source
        return None

    def member(self, email: str) -> User | None:
        if not email:
            return None
        found: User | None = (
            User.select()
            .join(OrganizationMember)
            .where(
                (OrganizationMember.organization == self.project.organization_id)
                & (User.email == email)
            )
            .first()
        )
        return found

    def category(self, name: str) -> BlogCategory | None:
        return (
            self._term(BlogCategory, self.categories, name, self.report.categories)
            if name
            else None
        )

    def tag(self, name: str) -> BlogTag:
        found: BlogTag = self._term(BlogTag, self.tags, name, self.report.tags)
        return found

    def _term(self, model: Any, known: dict[str, Any], name: str, created: list[str]) -> Any:
        """The category or tag called `name` (case aside, as Hugo and WordPress match them), else a new
        one with a slug of its own, as `bgpub category add` makes it."""
        key = name.casefold()
        if key not in known:
            taken = {row.slug for row in known.values()}
            base = slugify(name, max_length=TERM_SLUG_MAX, fallback=model.__name__[4:].lower())
            slug = unique_slug(base, taken, max_length=TERM_SLUG_MAX)
            known[key] = model.create(project=self.project, name=name, slug=slug)
            created.append(name)
        return known[key]

    def file(self, ref: str, candidates: list[str], where: str) -> str | None:
        """The asset name of the file `ref` beside the import (stored once; same bytes reused), or None
        with a note saying why it is not imported."""
        if ref in self.files:
            return self.files[ref]
        self.files[ref] = None
        root = self.root.resolve()
        found = next((self.root / c for c in candidates if (self.root / c).is_file()), None)
        if found is None:
            self.report.notes.append(
                Finding(where, f"file {ref!r} not imported: it is not beside the import")
            )
            return None
        if not found.resolve().is_relative_to(root):
            self.report.notes.append(
                Finding(where, f"file {ref!r} not imported: it links outside the import's folder")
            )
            return None
        label = f"project {self.project.name}, file {ref}"
        try:
            data, _ = assets.read_upload(found, label)
            detected = assets.detect(data, found.name, label, already_clean=False)
            digest = blobs.digest(detected.svg.data if detected.svg else data)
            existing = Asset.get_or_none((Asset.project == self.project) & (Asset.hash == digest))
            name = (
                existing.name
                if existing
                else assets.add_asset(self.actor, self.project, found).name
            )
        except InvalidInput as exc:
            self.report.notes.append(Finding(where, f"file {ref!r} not imported: {exc.message}"))
            return None
        if existing is None:
            self.report.assets.append(name)
        self.files[ref] = name
        return name

    def post(self, post: IncomingPost) -> None:
        author = self.member(post.author_email)
        cover = (
            self.file(post.cover, self.candidates(post.cover), post.source) if post.cover else None
        )
        stored = [
            name
            for ref in post.attachments
            if (name := self.file(ref, self.candidates(ref), post.source))
        ]
        if stored:
            self.report.notes.append(
                Finding(
                    post.source,
                    "the text still links to its files at their old "
                    "addresses; they are imported as assets: " + ", ".join(stored),
                )
            )
        status = post.status
        if status is PostStatus.SCHEDULED and post.published_at is None:
            status = PostStatus.DRAFT
            self.report.notes.append(
                Finding(post.source, "scheduled without a date: imported as a draft")
            )
        aliases = []
        for alias in post.aliases:
            if (
                alias in self.post_slugs
                or alias in self.aliases
                or (("post", alias) in self.sources)
            ):
                self.report.notes.append(
                    Finding(
                        post.source,
                        f"alias {alias!r} not kept: another post already answers at that address",
                    )
                )
            else:
                aliases.append(alias)
                self.aliases.add(alias)
        category = self.category(post.category)
        now = utcnow()
        post_id = new_id()
        self.rows[BlogPost].append(
            {
                "id": post_id,
                "created_at": now,
                "updated_at": now,
                "project": self.project.id,
                "author": author.id if author else None,
                "author_name": post.author or (author.name if author else ""),
                "category": category.id if category else None,
                "title": post.title,
                "slug": post.slug,
                "excerpt": post.excerpt,
                "body": post.body,
                "cover_asset": cover,
                "status": status,
                "published_at": post.published_at,
                "edited_at": post.edited_at,
                "keywords": post.keywords,
                "aliases": aliases,
            }
        )
        for tag in dict.fromkeys(self.tag(name).id for name in post.tags):
            self.rows[BlogPostTag].append({"id": new_id(), "post": post_id, "tag": tag})
        for comment in post.comments:
            moment = comment.created_at or now
            self.rows[BlogComment].append(
                {
                    "id": new_id(),
                    "post": post_id,
                    "author_name": comment.author,
                    "author_email": comment.email or None,
                    "body": comment.body,
                    "status": comment.status,
                    "created_at": moment,
                    "updated_at": moment,
                }
            )
        if len(self.rows[BlogPost]) >= BATCH:
            self.flush()
        self.report.comments += len(post.comments)
        self.report.posts.append(post.slug)

    def flush(self) -> None:
        """Writes the rows gathered so far, posts before what refers to them, in batches."""
        for model in (BlogPost, BlogPostTag, BlogComment):
            rows, self.rows[model] = self.rows[model], []
            for start in range(0, len(rows), BATCH):
                model.insert_many(rows[start : start + BATCH]).execute()

    def page(self, post: IncomingPost, position: int, home: bool) -> str | None:
        where = f"project {self.project.name}, page {post.slug}, block 1 ({PAGE_COMPONENT})"
        try:
            props = check_block(
                self.library,
                PAGE_COMPONENT,
                {PAGE_PROP: post.body or post.title},
                where,
                self.saved,
                {},
            )
        except InvalidInput as exc:
            return exc.message
        for ref in ([post.cover] if post.cover else []) + post.attachments:
            self.file(ref, self.candidates(ref), post.source)
        Page.create(
            project=self.project,
            slug=post.slug,
            title=post.title,
            position=position,
            show_in_nav=False,
            is_home=home,
            blocks=[{"component": PAGE_COMPONENT, "props": props}],
            updated_by=self.actor,
        )
        self.report.pages.append(post.slug)
        return None


def _write(
    actor: User,
    project: Project,
    root: Path,
    posts: list[IncomingPost],
    report: ImportReport,
    action: str,
    candidates: Callable[[str], list[str]] = lambda ref: [ref],
) -> None:
    with database.atomic():
        writer = _Writer(actor, project, root, report, candidates)
        position = len(writer.page_slugs)
        has_home = Page.select().where((Page.project == project) & Page.is_home).exists()
        for post in posts:
            problem = writer.claim(post)
            if problem is None and post.kind == "page":
                problem = writer.page(post, position, not has_home)
                if problem is None:
                    position, has_home = position + 1, True
            elif problem is None:
                writer.post(post)
            if problem is not None:
                report.skipped.append(Finding(post.source, problem))
        writer.flush()
        if report.posts or report.pages or report.assets:
            bump_project(project)
        audit.record(
            actor,
            project.organization,
            action,
            "project",
            project.id,
            {
                "project": project.name,
                "source": report.source,
                "posts": len(report.posts),
                "pages": len(report.pages),
                "assets": len(report.assets),
                "comments": report.comments,
                "skipped": len(report.skipped),
            },
        )
