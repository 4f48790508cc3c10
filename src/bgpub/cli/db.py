"""`bgpub db`: migrations, seed data and the ER diagram."""

from __future__ import annotations

import click

from bgpub.cli.context import CliContext, pass_cli


class DatabaseGroup(click.Group):
    """Turns any driver error under `bgpub db ...` into one `error:` line (a traceback is a bug)."""

    def invoke(self, ctx: click.Context) -> object:
        from bgpub.services.schema_admin import driver_errors_as

        with driver_errors_as(f"bgpub db {ctx.invoked_subcommand or ''}".strip()):
            return super().invoke(ctx)


@click.group(cls=DatabaseGroup)
def db() -> None:
    """Manage the database: migrate, status, rollback, seed, erd."""


def _connect(obj: CliContext) -> None:
    """Connects to the database without the pending-migrations check (these commands fix that)."""
    obj.workspace(migrate_new=False, check_migrations=False)


@db.command()
@click.option(
    "--to", "target", metavar="NAME", help="Stop after this migration (e.g. 0001_initial)."
)
@pass_cli
def migrate(obj: CliContext, target: str | None) -> None:
    """Apply pending migrations in order, each in its own transaction."""
    from bgpub.services import schema_admin

    _connect(obj)
    applied = schema_admin.migrate(target)
    for name in applied:
        click.echo(f"applied  {name}")
    if not applied:
        click.echo("nothing to do: the database is up to date")


@db.command()
@click.option(
    "--check",
    is_flag=True,
    help="Exit with status 1 when migrations are pending (for deploy scripts).",
)
@pass_cli
def status(obj: CliContext, check: bool) -> None:
    """List every migration: applied (with its UTC date) or pending."""
    from bgpub.services import schema_admin

    _connect(obj)
    rows = schema_admin.migration_states()
    width = max((len(m.name) for m in rows), default=0)
    for m in rows:
        if m.applied is None:
            state = "pending"
        else:
            state = f"applied  {m.applied:%Y-%m-%d %H:%M:%S} UTC"
            if not m.shipped:
                state += "  (not shipped with this bgpub: the database is newer)"
        click.echo(f"{m.name:<{width}}  {state}")
    waiting = [m.name for m in rows if m.applied is None]
    click.echo(f"{len(waiting)} pending: run 'bgpub db migrate'" if waiting else "up to date")
    if check and waiting:
        from bgpub.errors import DatabaseUnavailable

        raise DatabaseUnavailable(f"{len(waiting)} migration(s) pending", where="--check")


@db.command()
@click.argument("steps", type=click.IntRange(min=1), default=1)
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
@pass_cli
def rollback(obj: CliContext, steps: int, yes: bool) -> None:
    """Revert the last STEPS applied migrations (default 1), newest first.

    Reverting drops what those migrations added, data included: back up first.
    """
    from bgpub.services import schema_admin

    _connect(obj)
    targets = schema_admin.applied_newest_first(steps)
    if not targets:
        click.echo("nothing to roll back: no migration is applied")
        return
    if not yes:
        click.confirm(f"Revert {', '.join(targets)}? Data they added is lost", abort=True)
    for name in schema_admin.rollback(steps):
        click.echo(f"reverted {name}")


@db.command()
@pass_cli
def seed(obj: CliContext) -> None:
    """Add demo data: users in every role, an organization, a site, a blog and a shop (idempotent)."""
    from bgpub.config import write_config_value
    from bgpub.services.seed import OWNER_EMAIL, seed_demo

    workspace = obj.workspace()
    report = seed_demo(workspace.settings.workspace)
    if report.changed:
        made = ", ".join(f"{count} {table}" for table, count in sorted(report.created.items()))
        click.echo(f"seeded: {made}")
    else:
        click.echo("nothing to do: the demo data is already there")
    if not workspace.settings.user_email:
        write_config_value("user.email", OWNER_EMAIL, workspace.settings.workspace)
        click.echo(
            f"acting as {OWNER_EMAIL} from now on (change it with 'bgpub config user.email EMAIL')"
        )
    elif workspace.settings.user_email != OWNER_EMAIL and report.changed:
        click.echo(
            f"the demo belongs to {OWNER_EMAIL}: 'bgpub config user.email {OWNER_EMAIL}' to work on it"
        )


@db.command()
@click.option("--all-columns", is_flag=True, help="Show every column, not only keys.")
def erd(all_columns: bool) -> None:
    """Print a Mermaid ER diagram of every table, generated from the models (no database needed)."""
    from bgpub.services.schema_admin import entity_diagram

    click.echo(entity_diagram(all_columns=all_columns), nl=False)


from bgpub.cli.db_grant import grant  # noqa: E402  (teams and security)

db.add_command(grant)
