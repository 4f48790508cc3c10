"""`bgpub theme ...`: work on a theme folder itself (for theme authors; no project, no database)."""

from __future__ import annotations

import click


@click.group()
def theme() -> None:
    """Theme authors' tools: prepare a theme's fonts for release."""


@theme.command("prepare-fonts")
@click.argument("path", type=click.Path(file_okay=False, path_type=str))
def prepare_fonts(path: str) -> None:
    """Replace each font file of the theme folder PATH by the subset a build would make, once.

    Each [[fonts]] entry of theme.toml not yet marked gets `prepared = true` and its files are
    rewritten; a build then ships them as they are instead of running fontTools on every cold
    build. Run it when you release the theme; a second run changes nothing.
    """
    from bgpub.services.theme_preparing import prepare_theme_fonts

    done = prepare_theme_fonts(path)
    for rel, (before, after) in sorted(done.files.items()):
        click.echo(f"{rel}: {before} -> {after} bytes")
    if not done.entries:
        click.echo(f"{done.manifest}: nothing to prepare (every [[fonts]] entry is prepared)")
        return
    entries = ", ".join(str(n) for n in done.entries)
    files = f"{len(done.files)} file{'' if len(done.files) == 1 else 's'}"
    click.echo(f"{done.manifest}: fonts {entries} marked prepared ({files})")
