"""Where the component library and the themes live by default: env overrides, else the repository."""

from __future__ import annotations

import os
from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
PACKAGED_ROOT = Path(__file__).resolve().parents[1] / "content"


def content_root() -> Path:
    """The repository in a checkout (editable install); the copy setup.py bundles into a wheel otherwise."""
    return REPOSITORY_ROOT if (REPOSITORY_ROOT / "components").is_dir() else PACKAGED_ROOT


def _dirs(variable: str, default: Path) -> list[Path]:
    value = os.environ.get(variable, "")
    if value:
        return [Path(part) for part in value.split(os.pathsep) if part]
    return [default]


def components_dirs() -> list[Path]:
    """`BGPUB_COMPONENTS_PATH` (os.pathsep-separated) or the repository's `components/`."""
    return _dirs("BGPUB_COMPONENTS_PATH", content_root() / "components")


def themes_dirs() -> list[Path]:
    """`BGPUB_THEMES_PATH` (os.pathsep-separated) or the repository's `themes/`."""
    return _dirs("BGPUB_THEMES_PATH", content_root() / "themes")
