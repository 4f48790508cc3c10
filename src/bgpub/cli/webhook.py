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
@click.option(
    "--event",
    "events",
    multiple=True,
    type=click.Choice(
        ["publish", "rollback", "order.created", "form.submitted", "comment.received"]
    ),
    help="Events to send (default: all). Repeat for several.",
)
@click.option(
    "--secret", help="Signing secret, whsec_<base64> (default: a random one, printed once)."
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Allow a URL that resolves to loopback, private or link-local addresses.",
)
@pass_cli
def webhook_add(
    ctx: CliContext,
    project: str,
    url: str,
    events: tuple[str, ...],
    secret: str | None,
    allow_private: bool,
) -> None:
    """POST a signed JSON payload to URL after each publish of PROJECT."""
    from bgpub.services.webhooks import new_webhook

    hook = new_webhook(
        ctx.workspace().actor,
        project,
        url,
        events=list(events) or None,
        secret=secret,
        allow_private=allow_private,
    )
    click.echo(
        f"added webhook {hook.id} -> {hook.url}"
        + (" (private addresses allowed)" if hook.allow_private else "")
    )
    if secret is None:
        click.echo(
            f"secret (shown once; receivers verify webhook-signature, see the guide): {hook.secret}"
        )


@webhook.command("list")
@click.argument("project")
@pass_cli
def webhook_list(ctx: CliContext, project: str) -> None:
    """Webhooks of PROJECT with their last delivery (URLs in full for OWNER and ADMIN, else masked)."""
    from bgpub.services.webhooks import list_webhooks

    for w in list_webhooks(ctx.workspace().actor, project):
        state = "active" if w.active else "inactive"
        reach = "private allowed" if w.allow_private else "public only"
        click.echo(
            f"{w.id}\t{w.url}\t{','.join(w.events) or 'all'}\t{state}\t{reach}\t{w.last_status}"
        )


@webhook.command("remove")
@click.argument("project")
@click.argument("webhook_id")
@pass_cli
def webhook_remove(ctx: CliContext, project: str, webhook_id: str) -> None:
    """Remove a webhook by its id (see 'bgpub webhook list')."""
    from bgpub.services.webhooks import remove_webhook

    remove_webhook(ctx.workspace().actor, project, webhook_id)
    click.echo(f"removed webhook {webhook_id}")
