"""The command line itself: help everywhere, and one clear line for every user mistake."""

from __future__ import annotations

import pytest
from tests.e2e.e2e_cli import Bgpub, in_process


@pytest.fixture
def shell(request, tmp_path) -> Bgpub:
    """`bgpub` on a brand-new SQLite workspace (migrated on first use)."""
    home = tmp_path / "home"
    home.mkdir()
    return Bgpub(f"sqlite:///{home / 'bgpub.db'}", home, tmp_path, in_process=in_process(request))


@pytest.mark.subprocess  # this command group once through a real `python -m bgpub`
def test_help_and_unknown_commands(shell):
    assert "Usage: bgpub" in shell.ok("--help").stdout
    assert "Usage: bgpub publish" in shell.ok("publish", "--help").stdout
    assert "--keep" in shell.ok("versions", "prune", "--help").stdout
    shell.fails("nonsense", mentions=("nonsense",))
    shell.fails("page", "nonsense", mentions=("nonsense",))
    shell.fails("publish", mentions=("PROJECT",))


def test_group_without_subcommand_is_help_or_one_line(shell):
    result = shell.run("page")
    if result.returncode == 0:
        assert "Usage: bgpub page" in result.stdout
    else:
        assert len([line for line in result.stderr.splitlines() if line.strip()]) == 1, str(result)


@pytest.mark.subprocess  # this command group once through a real `python -m bgpub`
def test_unanswered_confirmation_is_one_error_line(shell):
    shell.ok("project", "list")  # a brand-new SQLite workspace is migrated on first use
    shell.fails("db", "rollback")
    assert "up to date" in shell.ok("db", "status").stdout
