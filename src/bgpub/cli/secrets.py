"""`bgpub secrets rotate` (re-encrypt every stored secret) and `bgpub integration` (add, list masked, remove)."""

from __future__ import annotations

import click

from bgpub.cli.context import CliContext, pass_cli

TYPE_CHOICE = click.Choice(["STRIPE", "GOOGLE_ANALYTICS", "PLAUSIBLE", "MAILCHIMP", "ZAPIER", "CUSTOM"],
                           case_sensitive=False)


@click.group()
def secrets() -> None:
    """Encryption keys of stored secrets (integration configs, webhook signing secrets)."""


@secrets.command("rotate")
@click.option("--keep-old-keys", is_flag=True, help="Keep the previous keys in the key file after re-encrypting.")
@pass_cli
def secrets_rotate(ctx: CliContext, keep_old_keys: bool) -> None:
    """Create a new key and re-encrypt every secret under it (run on the owner connection)."""
    from bgpub.services.integrations import rotate_secrets

    counts = rotate_secrets(ctx.workspace().actor, drop_old_keys=not keep_old_keys)
    click.echo(
        f"re-encrypted {counts['integrations']} integration config(s) and {counts['webhooks']} webhook secret(s)"
        + (f"; dropped {counts['keys_dropped']} old key(s)" if counts.get("keys_dropped") else "")
    )


@click.group()
def integration() -> None:
    """Third-party integrations of a project; configs are encrypted and shown masked."""


@integration.command("add")
@click.argument("project")
@click.argument("type", type=TYPE_CHOICE)
@click.argument("name")
@click.argument("config", nargs=-1, required=True, metavar="KEY=VALUE...")
@pass_cli
def integration_add(ctx: CliContext, project: str, type: str, name: str, config: tuple[str, ...]) -> None:
    """Add an integration (ADMIN), e.g. `bgpub integration add shop STRIPE stripe api-key=sk_live_...`.

    Tip: read a value from a file or the environment so it stays out of your shell history.
    """
    from bgpub.services.integrations import add_integration, config_from_pairs

    view = add_integration(ctx.workspace().actor, project, type, name, config_from_pairs(list(config)))
    click.echo(f"added integration {view.name} ({view.type}) with {', '.join(sorted(view.config))}")


@integration.command("list")
@click.argument("project")
@pass_cli
def integration_list(ctx: CliContext, project: str) -> None:
    """Integrations of PROJECT, config values masked."""
    from bgpub.services.integrations import list_integrations

    for view in list_integrations(ctx.workspace().actor, project):
        shown = " ".join(f"{key}={value}" for key, value in sorted(view.config.items()))
        state = "" if view.enabled else "\tdisabled"
        click.echo(f"{view.name}\t{view.type}\t{shown}{state}")


@integration.command("remove")
@click.argument("project")
@click.argument("name")
@pass_cli
def integration_remove(ctx: CliContext, project: str, name: str) -> None:
    """Delete an integration and its stored secret (ADMIN)."""
    from bgpub.services.integrations import remove_integration

    remove_integration(ctx.workspace().actor, project, name)
    click.echo(f"removed integration {name}")


@integration.command("enable")
@click.argument("project")
@click.argument("name")
@click.option("--off", is_flag=True, help="Disable instead.")
@pass_cli
def integration_enable(ctx: CliContext, project: str, name: str, off: bool) -> None:
    """Enable (or with --off disable) an integration (ADMIN)."""
    from bgpub.services.integrations import set_integration_enabled

    view = set_integration_enabled(ctx.workspace().actor, project, name, not off)
    click.echo(f"{view.name} is {'enabled' if view.enabled else 'disabled'}")
