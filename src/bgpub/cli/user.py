"""`bgpub user export EMAIL` and `bgpub user delete EMAIL`: a person's own data."""

from __future__ import annotations

import json
from pathlib import Path

import click

from bgpub.cli.context import CliContext, pass_cli


@click.group()
def user() -> None:
    """Personal data: export everything stored about a user, or anonymise them."""


@user.command("export")
@click.argument("email")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to a file (default: stdout).",
)
@pass_cli
def user_export(ctx: CliContext, email: str, output: Path | None) -> None:
    """Everything stored about EMAIL, as JSON (the user themselves; administrators use --as)."""
    from bgpub.services.users import export_user

    text = json.dumps(
        export_user(ctx.workspace().actor, email), indent=2, sort_keys=True, ensure_ascii=False
    )
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        click.echo(f"wrote {output}")


@user.command("delete")
@click.argument("email")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_cli
def user_delete(ctx: CliContext, email: str, yes: bool) -> None:
    """Anonymise EMAIL: memberships removed, audit rows kept without the email."""
    from bgpub.services.users import check_user_deletable, delete_user

    actor = ctx.workspace().actor
    check_user_deletable(
        actor, email
    )  # a missing user or a last OWNER is refused before the question
    if not yes:
        click.confirm(f"anonymise {email}? this cannot be undone", abort=True)
    delete_user(actor, email)
    click.echo(f"deleted the personal data of {email}")
