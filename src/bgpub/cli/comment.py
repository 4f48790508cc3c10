"""`bgpub comment ...`: the moderation queue of blog comments."""

from __future__ import annotations

import click

from bgpub.cli.confirmation import confirm_deletion, yes_option
from bgpub.cli.context import CliContext, pass_cli
from bgpub.cli.listing import rows_to_print


@click.group()
def comment() -> None:
    """Moderate blog comments: list, approve, mark as spam, remove."""


@comment.command("list")
@click.argument("project_ref", metavar="PROJECT")
@click.option(
    "--pending", "status", flag_value="PENDING", help="Only comments waiting for moderation."
)
@click.option("--approved", "status", flag_value="APPROVED", help="Only approved comments.")
@click.option("--spam", "status", flag_value="SPAM", help="Only spam.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_cli
def list_command(cli: CliContext, project_ref: str, status: str | None, as_json: bool) -> None:
    """Comments, newest first."""
    from bgpub.services.moderation import list_comments

    rows = list_comments(cli.workspace().actor, project_ref, status)
    if not rows_to_print(rows, as_json, "no comments" + (f" {status.lower()}" if status else "")):
        return
    for c in rows:
        first = c.body.splitlines()[0] if c.body else ""
        click.echo(
            f"{c.id}  {c.status:<8}  {c.created_at:%Y-%m-%d %H:%M}  {c.post}  {c.author_name}: "
            f"{first[:60]}"
        )


def _moderate(cli: CliContext, project_ref: str, comment_id: str, status: str) -> None:
    from bgpub.services.moderation import set_comment_status

    view = set_comment_status(cli.workspace().actor, project_ref, comment_id, status)
    click.echo(f"comment {view.id} on {view.post} is {view.status.lower()}")


@comment.command("approve")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("comment_id", metavar="ID")
@pass_cli
def approve(cli: CliContext, project_ref: str, comment_id: str) -> None:
    """Approve a comment: shown under its post from the next publish."""
    _moderate(cli, project_ref, comment_id, "APPROVED")


@comment.command("spam")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("comment_id", metavar="ID")
@pass_cli
def spam(cli: CliContext, project_ref: str, comment_id: str) -> None:
    """Mark a comment as spam (never shown)."""
    _moderate(cli, project_ref, comment_id, "SPAM")


@comment.command("rm")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("comment_id", metavar="ID")
@yes_option
@pass_cli
def remove(cli: CliContext, project_ref: str, comment_id: str, yes: bool) -> None:
    """Delete a comment (asks first; --yes does not)."""
    from bgpub.services.moderation import list_comments, remove_comment

    actor = cli.workspace().actor
    found = next((c for c in list_comments(actor, project_ref) if c.id == comment_id), None)
    if found is not None:
        confirm_deletion(f"comment {comment_id} by {found.author_name!r} on {found.post}", yes)
    remove_comment(actor, project_ref, comment_id)
    click.echo(f"removed comment {comment_id}")


@comment.command("add")
@click.argument("project_ref", metavar="PROJECT")
@click.argument("post_slug", metavar="POST")
@click.option("--author", required=True, help="The commenter's name.")
@click.option("--body", required=True, help="The comment (plain text).")
@click.option("--status", default="PENDING", show_default=True, help="PENDING, APPROVED or SPAM.")
@click.option("--date", "at", help="When it was written (UTC; default now).")
@pass_cli
def add(
    cli: CliContext,
    project_ref: str,
    post_slug: str,
    author: str,
    body: str,
    status: str,
    at: str | None,
) -> None:
    """Add a comment by hand (tests, seeds, a comment received elsewhere)."""
    from bgpub.services.moderation import add_comment

    view = add_comment(
        cli.workspace().actor, project_ref, post_slug, author, body, status=status, at=at
    )
    click.echo(f"added comment {view.id} on {view.post} ({view.status.lower()})")
