"""Fixtures of the end-to-end tests: the real `bgpub` command on a migrated database of each kind."""

from __future__ import annotations

import pytest
from tests.e2e.e2e_cli import Bgpub

QA_EMAIL = "qa@example.com"


@pytest.fixture
def cli(db_target, tmp_path) -> Bgpub:
    """`bgpub` acting as qa@example.com (BGPUB_USER_EMAIL) on this test's private database."""
    home = tmp_path / "home"
    home.mkdir()
    runner = Bgpub(db_target.url, home, tmp_path)
    runner.env["BGPUB_USER_EMAIL"] = QA_EMAIL
    return runner


@pytest.fixture
def bare_cli(db_target, tmp_path) -> Bgpub:
    """`bgpub` with no configured user: the workspace picks its default first user."""
    home = tmp_path / "home"
    home.mkdir()
    return Bgpub(db_target.url, home, tmp_path)
