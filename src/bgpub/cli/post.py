"""`bgpub post ...`: write posts in $EDITOR (or from a file or stdin), list, show, publish, schedule, remove."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from bgpub.cli.confirmation import confirm_deletion, stdin_is_terminal, yes_option
from bgpub.cli.context import CliContext, pass_cli
from bgpub.cli.listing import echo_json, rows_to_print
from bgpub.cli.text_files import read_utf8

if TYPE_CHECKING:
    from bgpub.domain.posts import PostView


def _when(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _fields_of(view: PostView) -> dict[str, Any]:
    """The header of a post's file: what `post edit` opens and `post show` prints."""
    return {
        "title": view.title,
        "slug": view.slug,
        "status": view.status,
        "publish_at": _when(view.published_at),
        "category": view.category,
        "tags": list(view.tags),
        "author": view.author_email or view.author,
        "excerpt": view.excerpt,
        "cover": view.cover,
    }


def _use_editor(edit: bool | None) -> bool:
    return stdin_is_terminal() if edit is None else edit


def _read_input(body_file: Path | None) -> str:
    if body_file is not None:
        return read_utf8(body_file, str(body_file))
    return sys.stdin.read()


@click.group()
def post() -> None:
    """Write, list, publish and schedule blog posts."""


@post.command("new")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("title")
@click.option("--category", help="Category name (created if new).")
@click.option("--tag", "tags", multiple=True, help="A tag (repeat for more).")
@click.option("--author", help="A member's e-mail address or a byline (default: you).")
@click.option("--slug", help="URL slug (default: from the title).")
@click.option("--excerpt", help="A short summary.")
@click.option(
    "--draft", is_flag=True, help="Keep it a draft (default: published at the next publish)."
)
@click.option(
    "--schedule",
    "schedule_at",
    metavar="WHEN",
    help="Publish at this UTC time, e.g. '2026-12-24 09:00'.",
)
@click.option(
    "--body-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Markdown body (or a whole "
    "post file with front matter); without it and without a terminal, standard input is read.",
)
@click.option(
    "--edit/--no-edit", "edit", default=None, help="Open $VISUAL/$EDITOR (default: on a terminal)."
)
@pass_cli
def new(
    cli: CliContext,
    project_ref: str,
    title: str,
    category: str | None,
    tags: tuple[str, ...],
    author: str | None,
    slug: str | None,
    excerpt: str | None,
    draft: bool,
    schedule_at: str | None,
    body_file: Path | None,
    edit: bool | None,
) -> None:
    """Write a new post: `bgpub post new blog "Hello" --tag travel` opens your editor."""
    from bgpub.services.posts import create_post

    if draft and schedule_at:
        raise click.UsageError("--draft and --schedule exclude each other")
    status = "DRAFT" if draft else "SCHEDULED" if schedule_at else "PUBLISHED"
    fields: dict[str, Any] = {
        "title": title,
        "slug": slug or "",
        "status": status,
        "publish_at": schedule_at or "",
        "category": category or "",
        "tags": list(tags),
        "author": author or "",
        "excerpt": excerpt or "",
        "cover": None,
    }
    actor = cli.workspace().actor

    def save(given: dict[str, Any], body: str) -> PostView:
        merged = {**fields, **given}
        return create_post(
            actor,
            project_ref,
            merged["title"],
            slug=merged["slug"] or None,
            body=body,
            excerpt=merged["excerpt"] or "",
            category=merged["category"] or None,
            tags=merged["tags"] or (),
            author=merged["author"] or None,
            cover=merged["cover"] or None,
            status=merged["status"],
            publish_at=merged["publish_at"] or None,
        )

    from bgpub.cli.post_file import compose, edit_until_valid, parse

    if _use_editor(edit):
        start = _read_input(body_file) if body_file else ""
        view = edit_until_valid(compose(fields, start), save, where="post file")
        if view is None:
            click.echo("empty post file: nothing was saved", err=True)
            sys.exit(1)
    else:
        given, body = parse(_read_input(body_file), str(body_file or "stdin"))
        view = save(given, body)
    click.echo(
        f"{view.status.lower()} post {view.slug}"
        + (f" (at {_when(view.published_at)} UTC)" if view.status == "SCHEDULED" else "")
    )


@post.command("edit")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.option(
    "--body-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Replace the post with this file (front matter + Markdown) instead of opening the editor.",
)
@pass_cli
def edit_command(cli: CliContext, project_ref: str, slug: str, body_file: Path | None) -> None:
    """Open a post in $VISUAL/$EDITOR; it is saved only if it changed and still validates."""
    from bgpub.cli.post_file import compose, edit_until_valid, parse
    from bgpub.services.posts import get_post, update_post

    actor = cli.workspace().actor
    view = get_post(actor, project_ref, slug)
    original = _fields_of(view)

    def save(given: dict[str, Any], body: str) -> PostView:
        merged = {**original, **given}
        timing: dict[str, Any] = {}
        if (merged["status"], merged["publish_at"]) != (original["status"], original["publish_at"]):
            timing = {"status": merged["status"], "publish_at": merged["publish_at"] or None}
        return update_post(
            actor,
            project_ref,
            slug,
            title=merged["title"],
            new_slug=merged["slug"] or slug,
            body=body,
            excerpt=merged["excerpt"] or "",
            category=merged["category"] or "",
            tags=merged["tags"] or [],
            author=merged["author"] or "",
            cover=merged["cover"] or None,
            **timing,
        )

    text = compose(original, view.body)
    saved: PostView | None
    if body_file is not None:
        given, body = parse(_read_input(body_file), str(body_file))
        saved = save(given, body)
    else:
        saved = edit_until_valid(text, save, where=f"post {slug}", unchanged_ok=False)
    if saved is None or saved == view:
        click.echo(f"post {slug} unchanged: nothing was saved")
        return
    click.echo(
        f"saved post {saved.slug}"
        + (f" (was {slug}; the old URL redirects)" if saved.slug != slug else "")
    )


@post.command("list")
@click.argument("project_ref", metavar="PROJECT")
@click.option("--status", help="DRAFT, SCHEDULED, PUBLISHED or ARCHIVED.")
@click.option("--tag", help="Only posts with this tag.")
@click.option("--category", help="Only posts in this category.")
@click.option("--search", help="Text in the title, excerpt or body.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_command(
    cli: CliContext,
    project_ref: str,
    status: str | None,
    tag: str | None,
    category: str | None,
    search: str | None,
    as_json: bool,
) -> None:
    """The posts, newest first."""
    from bgpub.services.posts import list_posts

    rows = list_posts(
        cli.workspace().actor, project_ref, status=status, tag=tag, category=category, search=search
    )
    empty = f"no posts; write one with 'bgpub post new {project_ref} \"Title\"'"
    if not rows_to_print(rows, as_json, empty):
        return
    width = max(len(p.slug) for p in rows)
    for p in rows:
        extra = "  ".join(
            x for x in (p.category and f"[{p.category}]", p.tags and "#" + " #".join(p.tags)) if x
        )
        click.echo(
            f"{p.status:<9}  {_when(p.published_at) or '-':<16}  {p.slug:<{width}}  {p.title}"
            + (f"  {extra}" if extra else "")
        )


@post.command("show")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.option("--json", "as_json", is_flag=True, help="Print JSON (with the body).")
@pass_cli
def show(cli: CliContext, project_ref: str, slug: str, as_json: bool) -> None:
    """Print a post as the file `post edit` opens."""
    from bgpub.cli.post_file import compose
    from bgpub.services.posts import get_post

    view = get_post(cli.workspace().actor, project_ref, slug)
    if as_json:
        echo_json({**view.as_json(), "body": view.body})
        return
    click.echo(compose(_fields_of(view), view.body), nl=False)


@post.command("rm")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@yes_option
@pass_cli
def remove(cli: CliContext, project_ref: str, slug: str, yes: bool) -> None:
    """Delete a post and its comments (asks first; --yes does not)."""
    from bgpub.services.posts import get_post, remove_post

    actor = cli.workspace().actor
    view = get_post(actor, project_ref, slug)
    confirm_deletion(f"post {slug} ({view.title!r}, {view.status.lower()}) of {project_ref}", yes)
    remove_post(actor, project_ref, slug)
    click.echo(f"removed post {slug}")


@post.command("publish")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@pass_cli
def publish(cli: CliContext, project_ref: str, slug: str) -> None:
    """Mark a post published (it goes live with the next `bgpub publish`)."""
    from bgpub.services.posts import publish_post

    view = publish_post(cli.workspace().actor, project_ref, slug)
    click.echo(f"post {slug} is published (since {_when(view.published_at)} UTC)")


@post.command("unpublish")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@pass_cli
def unpublish(cli: CliContext, project_ref: str, slug: str) -> None:
    """Make a post a draft again (left out of the next publish)."""
    from bgpub.services.posts import unpublish_post

    unpublish_post(cli.workspace().actor, project_ref, slug)
    click.echo(f"post {slug} is a draft")


@post.command("schedule")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("slug")
@click.argument("when")
@pass_cli
def schedule(cli: CliContext, project_ref: str, slug: str, when: str) -> None:
    """Publish a post at WHEN (UTC, e.g. '2026-12-24 09:00'), with `bgpub schedule run`."""
    from bgpub.services.posts import schedule_post

    view = schedule_post(cli.workspace().actor, project_ref, slug, when)
    click.echo(f"post {slug} is scheduled for {_when(view.published_at)} UTC")
