"""Fixtures for the renderer tests: a small component library and themes owned by these tests."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(
    0, str(Path(__file__).parent)
)  # the render_* helper modules, whatever the import mode

from render_fixtures import FIXTURES, blobs, demo_snapshot  # noqa: E402

from bgpub.render import load_library, load_themes  # noqa: E402


@pytest.fixture(scope="session")
def library():
    return load_library([FIXTURES / "components"])


@pytest.fixture(scope="session")
def themes():
    return load_themes([FIXTURES / "themes"])


@pytest.fixture
def make_snapshot():
    """Factory: `make_snapshot(**changes)` -> the demo snapshot with fields replaced."""
    return demo_snapshot


@pytest.fixture
def blob_store():
    return blobs
