"""`bgpub target`: where a project's versions are deployed."""

from __future__ import annotations

import copy
import json

import click

from bgpub.cli.context import CliContext, pass_cli


@click.group()
def target() -> None:
    """Deploy targets of a project: add, list, remove."""


@target.command("add")
@click.argument("project")
@click.argument("name")
@click.option("--kind", type=click.Choice(["dir", "git", "rsync"]), required=True, help="What kind of target.")
@click.option("--path", help="dir: the live site path (becomes a symlink to the current release).")
@click.option("--keep", type=int, help="dir: how many release folders to keep (default 2).")
@click.option("--repo", help="git: path of a local repository (bare, or with the branch not checked out).")
@click.option("--branch", help="git: the branch to commit to (default gh-pages).")
@click.option("--dest", help="rsync: PATH or HOST:PATH.")
@pass_cli
def target_add(ctx: CliContext, project: str, name: str, kind: str, path: str | None, keep: int | None,
               repo: str | None, branch: str | None, dest: str | None) -> None:
    """Add a target NAME to PROJECT."""
    from bgpub.services.targets import add_target

    created = add_target(ctx.workspace().actor, project, name, kind, path=path, keep=keep, repo=repo,
                         branch=branch, dest=dest)
    click.echo(f"added {kind} target {created.name}: {json.dumps(created.config, sort_keys=True)}")


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
        click.echo(f"{project} has no targets; 'bgpub publish {project}' uses a folder in the workspace")
    for r in rows:
        live = f"v{r.live_version}" if r.live_version else "nothing live"
        click.echo(f"{r.name}\t{r.kind}\t{r.location}\t{live}")


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
