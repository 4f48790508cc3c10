"""Fixtures of the teams tests: the multi-tenant world and an in-process CLI runner."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# the tests import their shared world as `teams_world` (pytest runs with --import-mode=importlib)
sys.path.insert(0, str(Path(__file__).parent))

from teams_world import ROLE_EMAILS, build_world  # noqa: E402

from bgpub.db.enums import Role


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def world(db_target, db, home):
    return build_world()


@pytest.fixture
def run_cli(db_target, capsys, monkeypatch, home):
    """Runs `bgpub ARGS...` in this process on the test's database; `as_email` sets user.email."""
    from bgpub.cli import main

    def run(*args: str, as_email: str | None = ROLE_EMAILS[Role.OWNER]) -> CliResult:
        if as_email:
            monkeypatch.setenv("BGPUB_USER_EMAIL", as_email)
        else:
            monkeypatch.delenv("BGPUB_USER_EMAIL", raising=False)
        capsys.readouterr()
        try:
            main(["--database-url", db_target.url, *args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run
