"""`bgpub target`: where a project's versions are deployed."""

from __future__ import annotations

import copy
import json

import click

from bgpub.cli.confirmation import Command
from bgpub.cli.context import CliContext, pass_cli


@click.group()
def target() -> None:
    """Deploy targets of a project: add, list, test, remove."""


def _kind_options(command: Command) -> Command:
    """One option per config key of every registered kind (the kinds declare them, not this module)."""
    from bgpub.services.target_kinds import option_table

    for option, _kinds in sorted(
        option_table().values(), key=lambda row: row[0].name, reverse=True
    ):
        if option.is_flag:
            command = click.option(
                option.flag_name, option.name, is_flag=True, default=None, help=option.help
            )(command)
        else:
            command = click.option(option.flag_name, option.name, help=option.help)(command)
    return command


def _kind_names() -> list[str]:
    from bgpub.services.target_kinds import kind_names

    return list(kind_names())


@target.command("add")
@click.argument("project")
@click.argument("name")
@click.option(
    "--kind", type=click.Choice(_kind_names()), required=True, help="What kind of target."
)
@_kind_options
@pass_cli
def target_add(ctx: CliContext, /, project: str, name: str, kind: str, **options: object) -> None:
    """Add a target NAME to PROJECT; each kind takes the options its help line names."""
    from bgpub.services.targets import add_target

    created = add_target(ctx.workspace().actor, project, name, kind, **options)
    click.echo(f"added {kind} target {created.name}: {json.dumps(created.config, sort_keys=True)}")


@target.command("test")
@click.argument("project")
@click.argument("name")
@pass_cli
def target_test(ctx: CliContext, project: str, name: str) -> None:
    """Check that target NAME is reachable and writable, without publishing anything."""
    from bgpub.services.targets import check_target

    report = check_target(ctx.workspace().actor, project, name)
    for line in report.checks:
        click.echo(f"ok: {line}")
    for line in report.warnings:
        click.echo(f"warning: {line}", err=True)
    click.echo(f"target {name} ({report.kind}) is ready: {report.location}")


@target.command("list")
@click.argument("project")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable list.")
@pass_cli
def target_list(ctx: CliContext, project: str, as_json: bool) -> None:
    """The targets of PROJECT and the version live on each."""
    from bgpub.services.targets import list_targets

    rows = list_targets(ctx.workspace().actor, project)
    if as_json:
        click.echo(json.dumps([r.__dict__ for r in rows], sort_keys=True))
        return
    if not rows:
        click.echo(
            f"{project} has no targets; 'bgpub publish {project}' uses a folder in the workspace"
        )
    for r in rows:
        live = f"v{r.live_version}" if r.live_version else "nothing live"
        click.echo(f"{r.name}\t{r.kind}\t{r.location}\t{live}\t{r.base_url or '(no base URL)'}")


@target.command("show")
@click.argument("project")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable description.")
@pass_cli
def target_show(ctx: CliContext, project: str, name: str, as_json: bool) -> None:
    """Target NAME of PROJECT: kind, location, options (access keys masked), live version, base URL."""
    from bgpub.services.targets import show_target

    view = show_target(ctx.workspace().actor, project, name)
    if as_json:
        click.echo(json.dumps(view.__dict__, sort_keys=True, ensure_ascii=False))
        return
    click.echo(f"{view.name} ({view.kind}) -> {view.location}")
    click.echo(f"  live: {f'v{view.live_version}' if view.live_version else 'nothing live'}")
    click.echo(f"  base URL: {view.base_url or '(none)'}")
    for key, value in sorted(view.config.items()):
        if isinstance(value, dict):
            value = ", ".join(f"{k} {v}" for k, v in value.items())
        click.echo(f"  {key}: {value}")


@target.command("remove")
@click.argument("project")
@click.argument("name")
@pass_cli
def target_remove(ctx: CliContext, project: str, name: str) -> None:
    """Forget target NAME (the deployed files stay where they are)."""
    from bgpub.services.targets import remove_target

    remove_target(ctx.workspace().actor, project, name)
    click.echo(f"removed target {name}")


def _alias(command: click.Command) -> click.Command:
    """The same command under another name, left out of --help (the other areas spell it rm)."""
    alias = copy.copy(command)
    alias.hidden = True
    return alias


target.add_command(_alias(target_remove), "rm")
