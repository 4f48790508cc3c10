"""Fixtures for the blog rendering tests: the real components and themes, and a snapshot factory."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # blogrender_support, whatever the import mode

from bgpub.render import load_library, load_themes  # noqa: E402
from bgpub.render.paths import components_dirs, themes_dirs  # noqa: E402


@pytest.fixture(scope="session")
def library():
    return load_library(components_dirs())


@pytest.fixture(scope="session")
def themes():
    return load_themes(themes_dirs())
