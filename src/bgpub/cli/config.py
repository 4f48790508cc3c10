"""`bgpub config KEY [VALUE]` (like git config) and `bgpub whoami`."""

from __future__ import annotations

import json
import re

import click

from bgpub.cli.context import CliContext, pass_cli
from bgpub.config import read_config_file, workspace_dir, write_config_value
from bgpub.errors import InvalidInput

KEY_RE = re.compile(r"^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$")
BOOLEAN_KEYS = {"user.impersonation"}
KNOWN_KEYS = (
    "database.url",
    "user.email",
    "user.impersonation",
)  # what bgpub.config.load_settings reads
TRUE_WORDS = {"true", "yes", "on", "1"}
FALSE_WORDS = {"false", "no", "off", "0"}


def _parse_value(key: str, value: str) -> str | bool:
    if key in BOOLEAN_KEYS:
        word = value.strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise InvalidInput(f"expected true or false, got {value!r}", where=f"config {key}")
    if key == "user.email":
        from bgpub.services.validation import email

        return email(value, "user.email", where=f"config {key}")
    return value


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value if isinstance(value, str) else json.dumps(value)


@click.command()
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.option("--unset", is_flag=True, help="Remove KEY from the configuration.")
@click.option("--list", "list_all", is_flag=True, help="Show every key and value.")
@click.option(
    "--rename",
    is_flag=True,
    help="With user.email: give the current user this new address (instead of switching users).",
)
@pass_cli
def config(
    ctx: CliContext, key: str | None, value: str | None, unset: bool, list_all: bool, rename: bool
) -> None:
    """Read or set a configuration value of this workspace, like `git config`.

    \b
    bgpub config user.email ada@example.com     act as this (existing) user
    bgpub config user.email ada@example.com --rename   give the current user that address
    bgpub config user.email                     print it
    bgpub config user.impersonation true        allow --as EMAIL (tests, administration)
    bgpub config database.url postgresql://...  use a shared PostgreSQL database
    """
    workspace = workspace_dir()
    if list_all or key is None:
        for name, stored in sorted(read_config_file(workspace).items()):
            click.echo(f"{name}={_show(stored)}")
        return
    if not KEY_RE.match(key):
        raise InvalidInput("keys look like section.name, e.g. user.email", where=f"config {key}")
    if unset:  # also for a key no longer known, to clean it up
        write_config_value(key, None, workspace)
        return
    if key not in KNOWN_KEYS:
        raise InvalidInput(f"unknown key (known: {', '.join(KNOWN_KEYS)})", where=f"config {key}")
    if value is None:
        stored = read_config_file(workspace).get(key)
        if stored is None:
            raise SystemExit(1)  # like git: an unset key prints nothing and exits 1
        click.echo(_show(stored))
        return
    parsed = _parse_value(key, value)
    if key == "user.email":
        _check_user(ctx, str(parsed), rename)
    write_config_value(key, parsed, workspace)


def _check_user(ctx: CliContext, email: str, rename: bool) -> None:
    """Accepts an address only when it will work: a user of the database, a brand-new database, or
    (with --rename) the current user's new address. Otherwise refuses, config unchanged, so a
    workspace is never left pointing at a user who does not exist."""
    from bgpub.errors import BgpubError
    from bgpub.services.users import email_known, rename_user, user_count

    try:
        workspace = ctx.workspace()
        known, empty = email_known(email), user_count() == 0
    except BgpubError as exc:  # no database to ask (yet): set it, and say it was not checked
        click.echo(f"warning: user.email set without checking it exists ({exc})", err=True)
        return
    if rename:
        actor = workspace.actor
        renamed = rename_user(actor, email)
        click.echo(f"renamed {actor.email} to {renamed.email}; acting as {renamed.email}")
        return
    if known or empty:
        return
    current = workspace.settings.user_email or "the current user"
    raise InvalidInput(
        f"no user {email} in this database, so nobody could act. To give {current} this address run "
        f"'bgpub config user.email {email} --rename'; to act as someone new, an ADMIN first runs "
        f"'bgpub member add ORG {email}'",
        where="config user.email",
    )


@click.command()
@pass_cli
def whoami(ctx: CliContext) -> None:
    """Show the acting user and their organizations and roles."""
    from bgpub.services.organizations import list_organizations

    actor = ctx.workspace().actor
    label = f"{actor.name} <{actor.email}>" if actor.name else actor.email
    click.echo(label)
    for org in list_organizations(actor):
        personal = " (personal)" if org.is_personal else ""
        click.echo(f"  {org.slug}: {org.role}{personal}")
