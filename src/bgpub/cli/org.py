"""`bgpub org` (organizations and their subscription) and `bgpub member` (who belongs, with which role)."""

from __future__ import annotations

import click

from bgpub.cli.context import CliContext, pass_cli

ROLE_CHOICE = click.Choice(["OWNER", "ADMIN", "EDITOR", "VIEWER"], case_sensitive=False)
TIER_CHOICE = click.Choice(["FREE", "STARTER", "PRO", "ENTERPRISE"], case_sensitive=False)


def _limit(used: str, allowed: str | None) -> str:
    return f"{used} of {allowed}" if allowed is not None else f"{used} (unlimited)"


@click.group()
def org() -> None:
    """Organizations: create, list, show, change the tier, transfer, delete."""


@org.command("create")
@click.argument("slug")
@click.option("--name", help="Display name (default: the slug).")
@pass_cli
def org_create(ctx: CliContext, slug: str, name: str | None) -> None:
    """Create an organization with yourself as OWNER (FREE tier)."""
    from bgpub.services.organizations import create_organization

    created = create_organization(ctx.workspace().actor, slug, name)
    click.echo(f"created organization {created.slug} (FREE); you are OWNER")


@org.command("list")
@pass_cli
def org_list(ctx: CliContext) -> None:
    """Organizations you belong to, with your role."""
    from bgpub.services.organizations import list_organizations

    for item in list_organizations(ctx.workspace().actor):
        personal = "  personal" if item.is_personal else ""
        click.echo(f"{item.slug}\t{item.role}\t{item.tier}\t{item.status}{personal}")


@org.command("show")
@click.argument("slug")
@pass_cli
def org_show(ctx: CliContext, slug: str) -> None:
    """Tier, status, usage against the limits, and members."""
    from bgpub.services.limits import human_bytes
    from bgpub.services.members import list_members
    from bgpub.services.organizations import show_organization

    actor = ctx.workspace().actor
    item = show_organization(actor, slug)
    allowed_storage = (
        human_bytes(item.storage_allowed) if item.storage_allowed is not None else None
    )
    click.echo(f"{item.slug}: {item.name}")
    click.echo(f"  tier:     {item.tier} ({item.status})")
    click.echo(f"  your role: {item.role}")
    click.echo(
        f"  projects: {_limit(str(item.projects), None if item.projects_allowed is None else str(item.projects_allowed))}"
    )
    click.echo(f"  storage:  {_limit(human_bytes(item.storage_bytes), allowed_storage)}")
    click.echo(f"  members:  {item.members}")
    for member in list_members(actor, item.slug):
        click.echo(f"    {member.role:<7} {member.email}")


@org.command("tier")
@click.argument("slug")
@click.argument("tier", type=TIER_CHOICE, metavar="TIER")
@pass_cli
def org_tier(ctx: CliContext, slug: str, tier: str) -> None:
    """Change the subscription tier (OWNER; also reactivates a lapsed subscription)."""
    from bgpub.services.organizations import change_tier

    changed = change_tier(ctx.workspace().actor, slug, tier)
    click.echo(f"{changed.slug} is now {changed.tier.value} ({changed.subscription_status.value})")


@org.command("transfer")
@click.argument("slug")
@click.argument("email")
@pass_cli
def org_transfer(ctx: CliContext, slug: str, email: str) -> None:
    """Make another member OWNER; you become ADMIN."""
    from bgpub.services.organizations import transfer_organization

    transfer_organization(ctx.workspace().actor, slug, email)
    click.echo(f"{email} now owns {slug}; you are ADMIN")


@org.command("delete")
@click.argument("slug")
@click.option("--confirm", metavar="SLUG", required=True, help="Repeat the slug to confirm.")
@pass_cli
def org_delete(ctx: CliContext, slug: str, confirm: str) -> None:
    """Delete the organization and everything it owns (OWNER)."""
    from bgpub.services.organizations import delete_organization

    delete_organization(ctx.workspace().actor, slug, confirm=confirm)
    click.echo(f"deleted organization {slug}")


@click.group()
def member() -> None:
    """Members of an organization: add, role, remove, list."""


@member.command("add")
@click.argument("organization")
@click.argument("email")
@click.option("--role", type=ROLE_CHOICE, default="VIEWER", show_default=True)
@pass_cli
def member_add(ctx: CliContext, organization: str, email: str, role: str) -> None:
    """Add a member; an unknown email is invited (a user record is created)."""
    from bgpub.services.members import add_member

    added = add_member(ctx.workspace().actor, organization, email, role)
    click.echo(f"added {added.email} to {organization} as {added.role.value}")


@member.command("role")
@click.argument("organization")
@click.argument("email")
@click.argument("role", type=ROLE_CHOICE)
@pass_cli
def member_role(ctx: CliContext, organization: str, email: str, role: str) -> None:
    """Change a member's role (the last OWNER cannot be demoted)."""
    from bgpub.services.members import change_role

    changed = change_role(ctx.workspace().actor, organization, email, role)
    click.echo(f"{changed.email} is now {changed.role.value} in {organization}")


@member.command("remove")
@click.argument("organization")
@click.argument("email")
@pass_cli
def member_remove(ctx: CliContext, organization: str, email: str) -> None:
    """Remove a member (or yourself); the last OWNER cannot be removed."""
    from bgpub.services.members import remove_member

    remove_member(ctx.workspace().actor, organization, email)
    click.echo(f"removed {email} from {organization}")


@member.command("list")
@click.argument("organization")
@pass_cli
def member_list(ctx: CliContext, organization: str) -> None:
    """Members with their roles, OWNERs first."""
    from bgpub.services.members import list_members

    for item in list_members(ctx.workspace().actor, organization):
        login = f"\tdb:{item.db_role}" if item.db_role else ""
        click.echo(f"{item.role}\t{item.email}{login}")


@org.group("key")
def org_key() -> None:
    """API keys of an organization (ADMIN): create (shown once), list, revoke."""


@org_key.command("create")
@click.argument("organization")
@click.argument("name")
@click.option(
    "--permission",
    "permissions",
    multiple=True,
    type=click.Choice(["read", "write", "delete"]),
    help="Repeat for several (default: read).",
)
@click.option("--project", help="Restrict the key to this project of the organization.")
@pass_cli
def org_key_create(
    ctx: CliContext, organization: str, name: str, permissions: tuple[str, ...], project: str | None
) -> None:
    """Create an API key; it is printed once and only its hash is kept."""
    from bgpub.services.api_keys import create_api_key

    view, plain = create_api_key(
        ctx.workspace().actor, organization, name, list(permissions) or None, project=project
    )
    click.echo(f"api key {view.name} ({', '.join(view.permissions)}), prefix {view.prefix}")
    click.echo(f"key (shown once): {plain}")


@org_key.command("list")
@click.argument("organization")
@pass_cli
def org_key_list(ctx: CliContext, organization: str) -> None:
    """API keys by prefix, never the keys themselves."""
    from bgpub.services.api_keys import list_api_keys

    for view in list_api_keys(ctx.workspace().actor, organization):
        state = "revoked" if view.revoked else "active"
        used = (
            view.last_used_at.isoformat(timespec="seconds") if view.last_used_at else "never used"
        )
        click.echo(f"{view.prefix}\t{view.name}\t{','.join(view.permissions)}\t{state}\t{used}")


@org_key.command("revoke")
@click.argument("organization")
@click.argument("prefix")
@pass_cli
def org_key_revoke(ctx: CliContext, organization: str, prefix: str) -> None:
    """Revoke the API key with PREFIX."""
    from bgpub.services.api_keys import revoke_api_key

    revoke_api_key(ctx.workspace().actor, organization, prefix)
    click.echo(f"revoked {prefix}")
