"""Where the component library and the themes live by default: the repository, or the installed package.

No environment variable is read here (the renderer reads none): `bgpub.services.sources` applies
`BGPUB_COMPONENTS_PATH` and `BGPUB_THEMES_PATH` and hands the folders in.
"""

from __future__ import annotations

from pathlib import Path

REPOSITORY_ROOT = Path(__file__).resolve().parents[3]
BUILTIN_DIR = Path(__file__).resolve().parent / "builtin"
PACKAGED_ROOT = Path(__file__).resolve().parents[1] / "content"


def content_root() -> Path:
    """The repository in a checkout (editable install); the copy setup.py bundles into a wheel otherwise."""
    return REPOSITORY_ROOT if (REPOSITORY_ROOT / "components").is_dir() else PACKAGED_ROOT


def components_dirs() -> list[Path]:
    """The repository's `components/` (the default when the caller names no folders)."""
    return [content_root() / "components"]


def themes_dirs() -> list[Path]:
    """The repository's `themes/` (the default when the caller names no folders)."""
    return [content_root() / "themes"]
