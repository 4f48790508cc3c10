"""`bgpub db ...` as a user runs it: both backends, one-line errors.

Through the real entry point in this process (tests/inprocess_cli_support.py: the environment, stdin,
exit code and output a process gets); `bgpub db` as a real process is
tests/e2e/test_e2e_foundation.py::test_migrate_status_seed_twice_and_erd.
"""

from __future__ import annotations

import os
import subprocess

import pytest
from tests.inprocess_cli_support import run_bgpub_here


def _env(home) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("BGPUB_DATABASE_URL", "DATABASE_URL")}
    env["BGPUB_HOME"] = str(home)
    return env


def bgpub(*args: str, home, url: str | None = None, stdin: str = "") -> subprocess.CompletedProcess:
    """`bgpub ARGS` through the entry point in this process."""
    extra = ["--database-url", url] if url else []
    code, out, err = run_bgpub_here([*extra, *args], env=_env(home), stdin=stdin)
    return subprocess.CompletedProcess([*extra, *args], code, out, err)


def ok(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 0, result.stderr
    return result.stdout


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_migrate_status_rollback_seed(blank_database, tmp_path):
    url = blank_database()
    home = tmp_path / "home"
    assert "0001_initial" in ok(bgpub("db", "status", home=home, url=url)).split("pending")[0]
    out = ok(bgpub("db", "migrate", "--to", "0001_initial", home=home, url=url))
    assert out.strip() == "applied  0001_initial"
    status = bgpub("db", "status", "--check", home=home, url=url)
    assert "pending" in one_line_error(status)
    assert "0001_initial" in status.stdout and "UTC" in status.stdout and "pending" in status.stdout

    refused = one_line_error(bgpub("db", "seed", home=home, url=url))
    assert "pending" in refused and "bgpub db migrate" in refused

    assert "applied  0002_page_noindex_and_view_index" in ok(
        bgpub("db", "migrate", home=home, url=url)
    )
    assert "up to date" in ok(bgpub("db", "status", "--check", home=home, url=url))
    assert "nothing to do" in ok(bgpub("db", "migrate", home=home, url=url))

    first = ok(bgpub("db", "seed", home=home, url=url))
    assert "4 users" in first and "10 pages" in first  # the seed: bakery, blog and shop projects
    assert "nothing to do" in ok(bgpub("db", "seed", home=home, url=url))

    aborted = bgpub("db", "rollback", home=home, url=url, stdin="n\n")
    assert aborted.returncode != 0 and "pending" not in ok(
        bgpub("db", "status", home=home, url=url)
    )
    newest = ok(bgpub("db", "status", home=home, url=url)).splitlines()[-2].split()[0]
    assert (
        ok(bgpub("db", "rollback", "1", "--yes", home=home, url=url)).strip()
        == f"reverted {newest}"
    )
    assert f"{newest}" in ok(bgpub("db", "status", home=home, url=url)).split("pending")[0]
    ok(bgpub("db", "migrate", home=home, url=url))
    assert "nothing to do" in ok(bgpub("db", "seed", home=home, url=url))


def test_sqlite_default_workspace(tmp_path):
    home = tmp_path / "fresh"
    ok(bgpub("db", "migrate", home=home))
    assert (home / "bgpub.db").exists()
    assert "seeded" in ok(bgpub("db", "seed", home=home))
    assert "nothing to do" in ok(bgpub("db", "seed", home=home))


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://nobody@127.0.0.1:1/x", "cannot connect"),
        ("mysql://x", "unsupported database URL scheme"),
        ("postgresql://127.0.0.1:5432", "names no database"),
        ("sqlite:////proc/no/such/dir/x.db", "cannot create the folder"),
        ("sqlite://", "in-memory"),
    ],
)
def test_bad_database_urls_are_one_line(tmp_path, url, expected):
    for command in (
        ["db", "status"],
        ["db", "migrate"],
        ["db", "seed"],
        ["db", "rollback", "--yes"],
    ):
        assert expected in one_line_error(bgpub(*command, home=tmp_path, url=url))


def test_unknown_target_and_bad_steps(tmp_path):
    assert "unknown migration" in one_line_error(
        bgpub("db", "migrate", "--to", "0099_nope", home=tmp_path)
    )
    assert "STEPS" in one_line_error(bgpub("db", "rollback", "0", home=tmp_path))


def test_erd_needs_no_database(tmp_path):
    out = ok(bgpub("db", "erd", home=tmp_path, url="mysql://not-used"))
    assert out.startswith("erDiagram\n")
    assert not (tmp_path / "bgpub.db").exists()


def test_help_on_every_db_command(tmp_path):
    for command in ("migrate", "status", "rollback", "seed", "erd"):
        assert "Usage:" in ok(bgpub("db", command, "--help", home=tmp_path))
