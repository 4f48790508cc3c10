"""Where builds read their components and themes, and how many processes they render with.

The environment is read here, by the pipeline's callers, and handed to the renderer: the renderer
reads no environment variable (`BGPUB_COMPONENTS_PATH` and `BGPUB_THEMES_PATH` name folders,
os.pathsep-separated, earlier ones winning; `BGPUB_RENDER_WORKERS` caps the processes of a big build).
"""

from __future__ import annotations

import os
from pathlib import Path

from bgpub.render import paths


def _dirs(variable: str, default: list[Path]) -> list[Path]:
    value = os.environ.get(variable, "")
    if value:
        return [Path(part) for part in value.split(os.pathsep) if part]
    return default


def components_dirs() -> list[Path]:
    """`BGPUB_COMPONENTS_PATH`, else the repository's (or the installed package's) `components/`."""
    return _dirs("BGPUB_COMPONENTS_PATH", paths.components_dirs())


def themes_dirs() -> list[Path]:
    """`BGPUB_THEMES_PATH`, else the repository's (or the installed package's) `themes/`."""
    return _dirs("BGPUB_THEMES_PATH", paths.themes_dirs())


def render_workers() -> int | None:
    """`BGPUB_RENDER_WORKERS` when it is a positive number; None lets the renderer use every core."""
    configured = os.environ.get("BGPUB_RENDER_WORKERS", "").strip()
    return int(configured) if configured.isdigit() and int(configured) > 0 else None
