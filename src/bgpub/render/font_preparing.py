"""A theme's fonts prepared at release: each `[[fonts]]` file replaced by the subset a build would make.

A build subsets every theme font to its script's ranges (`fonts.face_ranges`, which depends on the
script alone), so each file has exactly one possible output. Making it once, when the theme is
released, and shipping it with `prepared = true` spares every cold build its fontTools run (seconds
of CPU) without being a cache: nothing depends on what a machine built before. This module only
computes (the new file bytes and the new theme.toml text); `services.theme_preparing` writes them.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bgpub.errors import RenderError
from bgpub.render.fonts import face_ranges, read_fonts
from bgpub.render.fontsubset import subset_woff2

_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*fonts[ \t]*\]\][ \t]*(#.*)?$")
_TABLE = re.compile(r"^[ \t]*\[")  # any table header: where an entry's own keys end
_PREPARED_FALSE = re.compile(r"^([ \t]*prepared[ \t]*=[ \t]*)false\b")


@dataclass(frozen=True)
class PreparedFonts:
    """What preparing a theme changes: the font files (theme-relative path -> new bytes) and
    theme.toml's new text; `entries` are the 1-based `[[fonts]]` entries newly marked prepared."""

    manifest: str
    entries: tuple[int, ...] = ()
    files: dict[str, bytes] = field(default_factory=dict)


def prepare_fonts(directory: Path, manifest: str, where: str) -> PreparedFonts:
    """The prepared files and manifest of the theme in `directory` whose theme.toml text is
    `manifest`; entries already prepared are left alone, so a second run changes nothing."""
    try:
        data = tomllib.loads(manifest)
    except tomllib.TOMLDecodeError as exc:
        raise RenderError(f"malformed theme manifest: {exc}", where=where) from exc
    entries = data.get("fonts")
    fonts = read_fonts(directory, entries, where)  # every entry checked, its files read
    if not fonts:
        return PreparedFonts(manifest)
    assert isinstance(entries, list)  # read_fonts refused anything else
    _check_listing(entries, where)
    todo = tuple(n for n, font in enumerate(fonts, start=1) if not font.prepared)
    files: dict[str, bytes] = {}
    for n in todo:
        for script, rel in entries[n - 1]["files"].items():
            if rel not in files:
                files[rel] = _subset(fonts[n - 1].files[script], script, rel, f"{where}, fonts {n}")
    text = _mark_prepared(manifest, todo) if todo else manifest
    _check_marked(data, text, todo, where)
    return PreparedFonts(text, todo, files)


def _check_listing(entries: list[Any], where: str) -> None:
    """A file listed for two scripts, or by a prepared and an unprepared entry, has no single
    prepared form: refused."""
    scripts: dict[str, str] = {}
    prepared: dict[str, bool] = {}
    for n, entry in enumerate(entries, start=1):
        flag = entry.get("prepared", False)
        for script, rel in entry["files"].items():
            if scripts.setdefault(rel, script) != script:
                raise RenderError(
                    f"font file {rel} is listed for both {scripts[rel]} and {script}",
                    where=f"{where}, fonts {n}",
                )
            if prepared.setdefault(rel, flag) != flag:
                raise RenderError(
                    f"font file {rel} is listed by a prepared and an unprepared entry",
                    where=f"{where}, fonts {n}",
                )


def _subset(source: bytes, script: str, rel: str, where: str) -> bytes:
    """The build's subset of one file (the same function and options a build would use)."""
    try:
        return subset_woff2(source, face_ranges(script, ("latin", script)))
    except Exception as exc:  # fontTools raises many kinds on a file that is not a font
        raise RenderError(f"font file {rel} cannot be read as a font: {exc}", where=where) from exc


def _mark_prepared(manifest: str, entries: tuple[int, ...]) -> str:
    """theme.toml with `prepared = true` in each of `entries` (1-based `[[fonts]]` tables): an
    existing `prepared = false` line is flipped, else a line is added after the entry's last key.
    Everything else (comments, order, spacing) stays as written."""
    lines = manifest.splitlines(keepends=True)
    headers = [i for i, line in enumerate(lines) if _HEADER.match(line)]
    for n in sorted(entries, reverse=True):  # from the end: earlier line numbers stay valid
        if n > len(headers):
            break  # not written as [[fonts]] tables: _check_marked refuses it
        start = headers[n - 1]
        end = next((i for i in range(start + 1, len(lines)) if _TABLE.match(lines[i])), len(lines))
        flip = next((i for i in range(start + 1, end) if _PREPARED_FALSE.match(lines[i])), None)
        if flip is not None:
            lines[flip] = _PREPARED_FALSE.sub(r"\1true", lines[flip], count=1)
            continue
        last = max(i for i in range(start, end) if lines[i].strip() and lines[i].strip()[0] != "#")
        newline = "\r\n" if lines[last].endswith("\r\n") else "\n"
        if not lines[last].endswith("\n"):
            lines[last] += newline
        lines.insert(last + 1, "prepared = true" + newline)
    return "".join(lines)


def _check_marked(data: dict[str, Any], text: str, entries: tuple[int, ...], where: str) -> None:
    """The edited text must read as the original with only `prepared = true` added to `entries`:
    a manifest written in a shape the line edit does not follow is refused, never mangled."""
    wanted = dict(data)
    wanted["fonts"] = [
        {**entry, "prepared": True} if n in entries else entry
        for n, entry in enumerate(data.get("fonts", []), start=1)
    ]
    try:
        got = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        got = None
    if got != wanted:
        raise RenderError(
            "cannot mark the fonts prepared in this manifest: write each entry as a [[fonts]] table",
            where=where,
        )
