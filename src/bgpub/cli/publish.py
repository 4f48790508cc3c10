"""`bgpub publish`, `versions`, `diff` and `rollback`: output only; the work is in services.publishing."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from bgpub.cli.context import CliContext, pass_cli
from bgpub.domain.progress import Step, size_text

if TYPE_CHECKING:
    from bgpub.domain.versions import PublishResult


def human(size: int) -> str:
    """Byte counts as every summary prints them (the deploy progress line uses the same rule)."""
    return size_text(size)


@dataclass
class StageBar:
    """The bar publish, rollback and promote drive with their `Step`s: the step's label, then its
    items done of total (no total yet: an indeterminate bar)."""

    bar: Any  # a rich Progress (rich is imported only when a bar shows)
    task: Any  # its one task's id

    def __call__(self, step: Step) -> None:
        self.bar.update(
            self.task, description=step.label, completed=step.done, total=step.total or None
        )


@contextmanager
def progress_bar(enabled: bool) -> Iterator[StageBar | None]:
    """A rich progress bar on a terminal; nothing otherwise (pipes, --json)."""
    if not enabled:
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn("{task.description:<18}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    ) as bar:
        yield StageBar(bar, bar.add_task("starting", total=None))


def _print_diff(
    name: str, diff: dict[str, list[str]], limit: int = 50, *, deploy: bool = False
) -> None:
    added, changed, removed = len(diff["added"]), len(diff["changed"]), len(diff["removed"])
    if deploy:  # what a deploy to that target would send and delete
        click.echo(
            f"{name}: {added + changed} to send ({added} new, {changed} changed), {removed} to delete"
        )
    else:
        click.echo(f"{name}: {added} added, {changed} changed, {removed} removed")
    shown = 0
    for mark, key in (("+", "added"), ("~", "changed"), ("-", "removed")):
        for path in diff[key]:
            if shown < limit:
                click.echo(f"  {mark} {path}")
            shown += 1
    if shown > limit:
        click.echo(f"  ... and {shown - limit} more")


def _report(result: PublishResult, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(result.as_dict(), sort_keys=True))
    elif result.dry_run:
        click.echo(
            f"dry run: {result.project} would publish {result.files} files ({human(result.bytes)}), "
            f"{result.rendered} rendered anew; nothing was changed"
        )
        for name, diff in result.diff.items():
            _print_diff(name, diff, deploy=True)
    else:
        verb = "rolled back" if result.rollback else "published"
        click.echo(
            f"{verb} {result.project} version {result.version}: {result.pages} pages, {result.files} files "
            f"({human(result.bytes)}), {result.new_blobs} new blob(s), {result.seconds:.2f} s"
        )
        for d in result.deployments:
            click.echo(
                f"  {d.target} ({d.kind}) {d.status}: {d.files_sent} file(s), {human(d.bytes_sent)} sent"
                + (f" -> {d.location}" if d.location else "")
            )
    for warning in getattr(result, "warnings", []):
        click.echo(f"warning: {warning}", err=True)
    for d in result.deployments:
        if d.error:
            click.echo(f"error: target {d.target}: {d.error}", err=True)
    if not result.ok:
        sys.exit(1)


@click.command()
@click.argument("project")
@click.option(
    "--target",
    "target",
    metavar="NAME|all",
    help="Deploy to this target, or to every target with 'all'.",
)
@click.option(
    "-m", "--message", default="", help="What this version changes (the git commit message too)."
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show the files that would change on the live site; change nothing.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable result.")
@pass_cli
def publish(
    ctx: CliContext, project: str, target: str | None, message: str, dry_run: bool, as_json: bool
) -> None:
    """Render PROJECT, record it as a new version and deploy it (to a workspace folder by default)."""
    from bgpub.services.publishing import publish_project

    actor = ctx.workspace().actor
    with progress_bar(sys.stdout.isatty() and not as_json) as update:
        result = publish_project(
            actor, project, target=target, message=message, dry_run=dry_run, progress=update
        )
    _report(result, as_json)
    from bgpub.services.form_checks import forms_going_nowhere

    for problem in forms_going_nowhere(actor, project):
        click.echo(f"warning: {problem}", err=True)
    from bgpub.services.shop_checks import checkout_warnings

    for problem in checkout_warnings(actor, project):
        click.echo(f"warning: {problem}", err=True)


@click.command()
@click.argument("project")
@click.argument("version", type=int)
@click.option(
    "--target",
    "target",
    metavar="NAME|all",
    help="Roll back this target, or every target with 'all'.",
)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable result.")
@pass_cli
def rollback(
    ctx: CliContext, project: str, version: int, target: str | None, as_json: bool
) -> None:
    """Put VERSION of PROJECT live again, byte for byte, from the blob store."""
    from bgpub.services.publishing import rollback_project

    actor = ctx.workspace().actor
    with progress_bar(sys.stdout.isatty() and not as_json) as update:
        result = rollback_project(actor, project, version, target=target, progress=update)
    _report(result, as_json)


@click.command()
@click.argument("args", nargs=-1, required=True, metavar="PROJECT | prune PROJECT")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable list.")
@click.option("--keep", type=int, help="With 'prune': how many of the newest versions to keep.")
@pass_cli
def versions(ctx: CliContext, args: tuple[str, ...], as_json: bool, keep: int | None) -> None:
    """List PROJECT's versions, or 'versions prune PROJECT --keep N' to remove old ones and unused bytes."""
    actor = ctx.workspace().actor
    if args[0] == "prune" and len(args) == 2:
        from bgpub.services.versions import prune_versions

        if keep is None:
            raise click.UsageError("prune needs --keep N")
        report = prune_versions(actor, args[1], keep)
        if as_json:
            click.echo(json.dumps(report.__dict__))
        else:
            removed = ", ".join(map(str, report.versions_removed)) or "none"
            click.echo(
                f"removed versions: {removed}; {report.blobs_removed} blob(s), {human(report.bytes_freed)} freed"
            )
        return
    if len(args) != 1:
        raise click.UsageError("give one PROJECT, or 'prune PROJECT --keep N'")
    from bgpub.services.versions import list_versions

    rows = list_versions(actor, args[0])
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in rows], sort_keys=True))
        return
    if not rows:
        click.echo(f"{args[0]} has no versions yet; run 'bgpub publish {args[0]}'")
        return
    for r in rows:
        live = f"  live on {', '.join(r.live_on)}" if r.live_on else ""
        click.echo(
            f"v{r.number:<4} {r.created_at:%Y-%m-%d %H:%M}  {r.author:<24} {r.pages:>5} pages "
            f"{r.files:>6} files {human(r.bytes):>9}  {r.message}{live}"
        )


@click.command()
@click.argument("project")
@click.argument("old", type=int)
@click.argument("new", type=int)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable diff.")
@pass_cli
def diff(ctx: CliContext, project: str, old: int, new: int, as_json: bool) -> None:
    """Pages and files added, removed and changed from version OLD to version NEW."""
    from bgpub.services.versions import diff_versions

    result = diff_versions(ctx.workspace().actor, project, old, new)
    if as_json:
        click.echo(json.dumps(result.as_dict(), sort_keys=True))
        return
    pages = result.pages
    click.echo(
        f"pages: {len(pages['added'])} added, {len(pages['changed'])} changed, {len(pages['removed'])} removed"
    )
    for mark, key in (("+", "added"), ("~", "changed"), ("-", "removed")):
        for slug in pages[key]:
            click.echo(f"  {mark} {slug}")
    if pages["site"]:
        click.echo(f"  site settings changed: {', '.join(pages['site'])}")
    _print_diff("files", result.files)
