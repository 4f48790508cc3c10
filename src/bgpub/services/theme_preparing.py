"""Preparing a theme's fonts in place, for its release (`bgpub theme prepare-fonts PATH`).

The renderer computes what changes (`render.font_preparing`: each unprepared `[[fonts]]` file as the
subset a build would make, theme.toml with `prepared = true` added); this module checks that every
file it is about to write lies inside the theme's own `fonts/` folder (no symlink leading out) and
only then writes, fonts first and theme.toml last, so a refusal changes nothing and an interrupted
run leaves no entry marked prepared whose files are not.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from bgpub.errors import InvalidInput, RenderError
from bgpub.render.font_preparing import prepare_fonts


@dataclass(frozen=True)
class PreparedTheme:
    """What a run did: the entries marked prepared and each rewritten file's size before and after."""

    manifest: Path
    entries: tuple[int, ...]
    files: dict[str, tuple[int, int]]  # theme-relative path -> (bytes before, bytes after)


def prepare_theme_fonts(path: str | Path) -> PreparedTheme:
    """Prepares the fonts of the theme folder `path`; a second run finds nothing to do."""
    folder = Path(path)
    manifest = folder / "theme.toml"
    if not folder.is_dir() or not manifest.is_file():
        raise InvalidInput(f"{path} is not a theme folder (it has no theme.toml)")
    if manifest.is_symlink():
        raise InvalidInput(
            "theme.toml is a symbolic link; prepare the theme it points to", where=str(manifest)
        )
    root = folder.resolve()
    where = str(manifest)
    try:
        text = manifest.read_bytes().decode("utf-8")
        result = prepare_fonts(root, text, where)
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"theme.toml is not UTF-8 text: {exc}", where=where) from exc
    except RenderError as exc:
        raise InvalidInput(exc.message, where=exc.where) from exc
    targets = {rel: _target(root, rel, where) for rel in result.files}
    sizes = {rel: (targets[rel].stat().st_size, len(data)) for rel, data in result.files.items()}
    for rel, data in result.files.items():
        _replace(targets[rel], data)
    if result.entries:
        _replace(root / "theme.toml", result.manifest.encode("utf-8"))
    return PreparedTheme(manifest, result.entries, sizes)


def _target(root: Path, rel: str, where: str) -> Path:
    """The file `rel` of the theme, refused unless it is a regular file inside the theme's own
    `fonts/` folder once every symbolic link is followed (a link could point a write anywhere)."""
    target = root / rel
    fonts = root / "fonts"
    if (
        target.is_symlink()
        or fonts.is_symlink()
        or not target.resolve().is_relative_to(fonts)
        or not target.is_file()
    ):
        raise InvalidInput(
            f"font file {rel} is not a file inside the theme's fonts/ folder", where=where
        )
    return target


def _replace(target: Path, data: bytes) -> None:
    """Writes `data` at `target` atomically: a reader sees the old file or the new one, never half."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, target)
