"""`bgpub webhook`: URLs told about publishes and rollbacks."""

from __future__ import annotations

import click

from bgpub.cli.context import CliContext, pass_cli


@click.group()
def webhook() -> None:
    """Webhooks of a project: add, list, remove."""


@webhook.command("add")
@click.argument("project")
@click.argument("url")
@click.option("--event", "events", multiple=True, type=click.Choice(["publish", "rollback"]),
              help="Events to send (default: all). Repeat for several.")
@click.option("--secret", help="Signing secret (default: a random one, printed once).")
@pass_cli
def webhook_add(ctx: CliContext, project: str, url: str, events: tuple[str, ...], secret: str | None) -> None:
    """POST a signed JSON payload to URL after each publish of PROJECT."""
    from bgpub.services.webhooks import SIGNATURE_HEADER, add_webhook

    hook, plain = add_webhook(ctx.workspace().actor, project, url, events=list(events) or None, secret=secret)
    click.echo(f"added webhook {hook.id} -> {url}")
    if not secret:
        click.echo(f"secret (shown once; verify {SIGNATURE_HEADER} = sha256=HMAC(secret, body)): {plain}")


@webhook.command("list")
@click.argument("project")
@pass_cli
def webhook_list(ctx: CliContext, project: str) -> None:
    """Webhooks of PROJECT with their last delivery."""
    from bgpub.services.webhooks import list_webhooks

    for w in list_webhooks(ctx.workspace().actor, project):
        state = "active" if w.active else "inactive"
        click.echo(f"{w.id}\t{w.url}\t{','.join(w.events) or 'all'}\t{state}\t{w.last_status}")


@webhook.command("remove")
@click.argument("project")
@click.argument("webhook_id")
@pass_cli
def webhook_remove(ctx: CliContext, project: str, webhook_id: str) -> None:
    """Remove a webhook by its id (see 'bgpub webhook list')."""
    from bgpub.services.webhooks import remove_webhook

    remove_webhook(ctx.workspace().actor, project, webhook_id)
    click.echo(f"removed webhook {webhook_id}")
