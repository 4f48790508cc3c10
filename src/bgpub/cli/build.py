"""`bgpub build PROJECT --out DIR`: render the site into a folder (incremental; no version, no deploy).

Imports neither Textual nor anything of the TUI; the progress bar (rich) shows only on a terminal.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable
from contextlib import nullcontext
from pathlib import Path
from types import TracebackType
from typing import Any

import click

from bgpub.cli.context import CliContext, pass_cli
from bgpub.domain.progress import Step

STAGES = {
    "snapshot": "Reading project",
    "render": "Rendering",
    "write": "Writing files",
    "done": "Done",
}


class _Bar:
    """A rich progress bar on stderr, driven by build_project's progress callback."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.progress = Progress(
            TextColumn("{task.description:<16}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self.task = self.progress.add_task(STAGES["snapshot"], total=None)

    def __enter__(self) -> _Bar:
        self.progress.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.progress.__exit__(exc_type, exc, traceback)

    def __call__(self, step: Step) -> None:
        indeterminate = step.stage in ("snapshot", "render")
        self.progress.update(
            self.task,
            description=STAGES.get(step.stage, step.label),
            completed=step.done,
            total=None if indeterminate else max(step.total, 1),
        )


def check_out_dir(out_dir: str, workspace: Path, live_paths: Iterable[str] = ()) -> None:
    """An empty --out would write into the current folder; the workspace's live/ and publish/ trees and
    the project's dir targets are what deploy targets serve or keep: a build must not overwrite them."""
    from bgpub.errors import InvalidInput

    if not out_dir.strip():
        raise InvalidInput(
            "an output folder is required (e.g. --out site)", where="--out", field="out"
        )
    target = Path(out_dir).expanduser().resolve()
    managed = [(f"bgpub's {name}/ folder", workspace / name) for name in ("live", "publish")]
    managed += [("the live folder of a dir target", Path(path)) for path in live_paths]
    for label, folder in managed:
        root = folder.expanduser().resolve()
        if target == root or root in target.parents:
            raise InvalidInput(
                f"{out_dir!r} is inside {label} ({root}), which deploys manage; build into "
                "another folder or use 'bgpub publish'",
                where="--out",
                field="out",
            )


def _dir_target_paths(actor: Any, project_ref: str) -> list[str]:
    """The live paths of the project's dir targets (where `bgpub publish` writes)."""
    from bgpub.services.targets import list_targets

    return [
        str(t.config["path"])
        for t in list_targets(actor, project_ref)
        if t.kind == "dir" and t.config.get("path")
    ]


@click.command()
@click.argument("project_ref", metavar="PROJECT")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    metavar="DIR",
    help="Folder to write the site into (created if needed).",
)
@click.option(
    "--base-url", help="Public URL of the site (default: the project's base_url setting)."
)
@click.option(
    "--progress/--no-progress", default=None, help="Show a progress bar (default: on a terminal)."
)
@pass_cli
def build(
    cli: CliContext, project_ref: str, out_dir: str, base_url: str | None, progress: bool | None
) -> None:
    """Render PROJECT into DIR; a later build into the same DIR re-renders only what changed."""
    from bgpub.services.building import build_project

    workspace = cli.workspace()
    actor = workspace.actor
    check_out_dir(
        out_dir,
        workspace.settings.workspace,
        _dir_target_paths(actor, project_ref) if out_dir.strip() else [],
    )
    show = sys.stderr.isatty() if progress is None else progress
    bar = _Bar() if show else None
    with bar if bar else nullcontext():
        report = build_project(actor, project_ref, out_dir, progress=bar, base_url=base_url)
    click.echo(
        f"built {project_ref}: {report.pages} pages, {report.files} files, {report.bytes} bytes, "
        f"{report.seconds:.2f} s ({report.rendered} rendered) -> {out_dir}"
    )
    for problem in report.warnings:  # forms posting nowhere, found in the snapshot it built
        click.echo(f"warning: {problem}", err=True)
