"""`bgpub secrets` (rotate, export-key, import-key, status) and `bgpub integration` (add, list masked, remove)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from bgpub.cli.context import CliContext, pass_cli
from bgpub.errors import InvalidInput

TYPE_CHOICE = click.Choice(
    ["STRIPE", "GOOGLE_ANALYTICS", "PLAUSIBLE", "MAILCHIMP", "ZAPIER", "CUSTOM"],
    case_sensitive=False,
)


# How `secrets rotate` names each encrypted column in its summary; others show as table.column.
COLUMN_LABELS = {
    "integrations.config_encrypted": "integration config(s)",
    "webhooks.secret_encrypted": "webhook secret(s)",
    "webhooks.url_encrypted": "webhook URL(s)",
}
SECRET_WARNING = (
    "warning: these keys decrypt every secret stored in the database; move them over a private "
    "channel and delete copies once imported"
)


@click.group()
def secrets() -> None:
    """Encryption keys of stored secrets (integration configs, webhook signing secrets)."""


def _counts_line(counts: dict[str, int]) -> str:
    parts = [
        f"{n} {COLUMN_LABELS.get(column, column + ' value(s)')}"
        for column, n in counts.items()
        if column != "keys_dropped"
    ]
    listed = (
        ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
        if parts
        else "nothing"
    )
    dropped = counts.get("keys_dropped")
    return f"re-encrypted {listed}" + (f"; dropped {dropped} old key(s)" if dropped else "")


@secrets.command("rotate")
@click.option(
    "--keep-old-keys",
    is_flag=True,
    help="Keep the previous keys in the key file after re-encrypting.",
)
@click.option(
    "--start-over",
    is_flag=True,
    help="Every key was lost and every secret removed: forget the database's keys and start a new one.",
)
@pass_cli
def secrets_rotate(ctx: CliContext, keep_old_keys: bool, start_over: bool) -> None:
    """Create a new key and re-encrypt every secret under it (run on the owner connection)."""
    from bgpub.services.integrations import rotate_secrets

    counts = rotate_secrets(
        ctx.workspace().actor, drop_old_keys=not keep_old_keys, start_over=start_over
    )
    click.echo(_counts_line(counts))


@secrets.command("export-key")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the keys to this new file (mode 0600) instead of standard output.",
)
@click.option("--yes", is_flag=True, help="Print the keys even when standard output is a terminal.")
def secrets_export_key(output: Path | None, yes: bool) -> None:
    """Print the keys here (current first), to bring a team-mate's workspace to the same database."""
    from bgpub.services.secrets import export_keys, write_exported_keys

    keys = export_keys()
    if output is not None:
        write_exported_keys(output, keys)
        click.echo(f"wrote {len(keys)} key(s) to {output} (mode 0600)")
    elif sys.stdout.isatty() and not yes:
        raise InvalidInput(
            "this would show the keys on the screen: pipe it, use -o FILE, or add --yes",
            where="secrets export-key",
        )
    else:
        click.echo(b"\n".join(keys).decode("ascii"))
    click.echo(SECRET_WARNING, err=True)


@secrets.command("import-key")
@click.argument("source", default="-", metavar="[FILE|-]")
@pass_cli
def secrets_import_key(ctx: CliContext, source: str) -> None:
    """Add keys from FILE (or standard input) to this workspace's key file, once the database knows one."""
    from bgpub.services.secrets import ENV_KEY, import_keys

    try:
        text = (
            sys.stdin.read()
            if source == "-"
            else Path(source).read_text(encoding="ascii", errors="replace")
        )
    except OSError as exc:
        raise InvalidInput(f"cannot read it ({exc.strerror})", where=source) from None
    ctx.workspace()  # the database to check the keys against
    done = import_keys(text, source="standard input" if source == "-" else source)
    click.echo(f"imported {done.count} key(s) into {done.path} (mode 0600): {done.note}")
    if os.environ.get(ENV_KEY) or os.environ.get("BGPUB_SECRET_KEY"):
        click.echo(f"note: {ENV_KEY} is set; its keys come before the key file's", err=True)


@secrets.command("status")
@pass_cli
def secrets_status(ctx: CliContext) -> None:
    """The keys here, by fingerprint, and what the database knows of them (never a key)."""
    from bgpub.services.secrets import key_source, key_states

    ctx.workspace()
    states = key_states()
    if not states:
        click.echo(f"no key here (expected in {key_source()})")
    for state in states:
        click.echo(f"{state.fingerprint[:16]}\t{state.state}\t{key_source()}")


@click.group()
def integration() -> None:
    """Third-party integrations of a project; configs are encrypted and shown masked."""


@integration.command("add")
@click.argument("project")
@click.argument("type", type=TYPE_CHOICE)
@click.argument("name")
@click.argument("config", nargs=-1, required=True, metavar="KEY=VALUE...")
@pass_cli
def integration_add(
    ctx: CliContext, project: str, type: str, name: str, config: tuple[str, ...]
) -> None:
    """Add an integration (ADMIN), e.g. `bgpub integration add shop STRIPE stripe api-key=sk_live_...`.

    Tip: read a value from a file or the environment so it stays out of your shell history.
    """
    from bgpub.services.integrations import add_integration, config_from_pairs

    view = add_integration(
        ctx.workspace().actor, project, type, name, config_from_pairs(list(config))
    )
    click.echo(f"added integration {view.name} ({view.type}) with {', '.join(sorted(view.config))}")


@integration.command("list")
@click.argument("project")
@pass_cli
def integration_list(ctx: CliContext, project: str) -> None:
    """Integrations of PROJECT, config values masked."""
    from bgpub.services.integrations import list_integrations
    from bgpub.services.secrets import BRING_KEY, UNREADABLE

    unreadable = 0
    for view in list_integrations(ctx.workspace().actor, project):
        shown = " ".join(f"{key}={value}" for key, value in sorted(view.config.items()))
        if not view.readable:
            unreadable += 1
            shown = f"({UNREADABLE})"
        state = "" if view.enabled else "\tdisabled"
        click.echo(f"{view.name}\t{view.type}\t{shown}{state}")
    if unreadable:
        click.echo(f"note: {unreadable} integration(s) {UNREADABLE}; {BRING_KEY}", err=True)


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
