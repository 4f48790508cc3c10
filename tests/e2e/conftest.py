"""Fixtures of the end-to-end tests: the real `bgpub` command on a migrated database of each kind."""

from __future__ import annotations

import pytest
from tests.e2e.e2e_cli import Bgpub, in_process

QA_EMAIL = "qa@example.com"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "subprocess: `bgpub` runs as `python -m bgpub` in a subprocess, not in this process (on SQLite;"
        " the PostgreSQL variant runs in this process)",
    )


@pytest.fixture
def cli(request, db_target, tmp_path) -> Bgpub:
    """`bgpub` acting as qa@example.com (BGPUB_USER_EMAIL) on this test's private database."""
    home = tmp_path / "home"
    home.mkdir()
    runner = Bgpub(db_target.url, home, tmp_path, in_process=in_process(request))
    runner.env["BGPUB_USER_EMAIL"] = QA_EMAIL
    return runner


@pytest.fixture
def bare_cli(request, db_target, tmp_path) -> Bgpub:
    """`bgpub` with no configured user: the workspace picks its default first user."""
    home = tmp_path / "home"
    home.mkdir()
    return Bgpub(db_target.url, home, tmp_path, in_process=in_process(request))
