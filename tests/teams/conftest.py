"""Fixtures of the teams tests: the multi-tenant world and an in-process CLI runner."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

# the tests import their shared world as `teams_world` (pytest runs with --import-mode=importlib)
sys.path.insert(0, str(Path(__file__).parent))

from teams_world import ROLE_EMAILS, World, build_world  # noqa: E402
from world_image import WorldImage  # noqa: E402

from bgpub.db.enums import Role


@dataclass
class CliResult:
    code: int
    out: str
    err: str


@pytest.fixture
def home(home, tmp_path_factory, monkeypatch) -> Path:
    """The workspace folder, one per worker for every teams test and emptied before each: the world's
    rows name its absolute path (the default target's folder), so a restored world needs the same."""
    path = tmp_path_factory.getbasetemp() / "teams-home"
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir()
    monkeypatch.setenv("BGPUB_HOME", str(path))
    return path


@pytest.fixture(scope="session")
def world_images() -> dict[str, WorldImage]:
    """Per backend, what the first `build_world` of this worker left (see world_image.py)."""
    return {}


@pytest.fixture
def world(db_target, db, home, world_images, tmp_path_factory) -> World:
    """acme and its members, project `site` and the rest of `build_world`: built by the first test of
    each backend in this worker, restored for the others."""
    sqlite_path = (
        Path(db_target.url.removeprefix("sqlite:///")) if db_target.kind == "sqlite" else None
    )
    image = world_images.get(db_target.kind)
    if image is not None:
        image.restore(sqlite_path, home)
        return World()
    world = build_world()
    image = WorldImage(tmp_path_factory.mktemp(f"world-{db_target.kind}"), db_target.kind)
    image.capture(sqlite_path, home)
    world_images[db_target.kind] = image
    return world


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
