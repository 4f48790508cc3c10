"""`bgpub db grant EMAIL`: a member's own PostgreSQL login, restricted by row-level security."""

from __future__ import annotations

import click

from bgpub.cli.context import CliContext, pass_cli


@click.command("grant")
@click.argument("email")
@click.option("--revoke", is_flag=True, help="Drop the member's login instead.")
@click.option(
    "--password-stdin",
    is_flag=True,
    help="Read the password from standard input (default: generate one).",
)
@pass_cli
def grant(ctx: CliContext, email: str, revoke: bool, password_stdin: bool) -> None:
    """Create (or reset) the database login of member EMAIL (ADMIN of one of their organizations).

    The login sees only the rows of the member's organizations and may change them as their role
    allows; bgpub run with that login's URL acts as the member. The password is shown once.
    """
    from bgpub.services.database_logins import grant_database_login, revoke_database_login

    actor = ctx.workspace().actor
    if revoke:
        dropped = revoke_database_login(actor, email)
        click.echo(f"dropped login {dropped}" if dropped else f"{email} has no database login")
        return
    password = click.get_text_stream("stdin").readline().rstrip("\n") if password_stdin else None
    role, secret = grant_database_login(actor, email, password)
    click.echo(f"login {role} for {email}")
    if not password_stdin:
        click.echo(f"password (shown once): {secret}")
