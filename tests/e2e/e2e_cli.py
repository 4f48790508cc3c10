"""Helpers of the end-to-end tests: run the real `bgpub` command as a user would.

A distinct module name (test folders share sys.modules). Every run gets its own BGPUB_HOME and
`--database-url`, so the user's environment never leaks in.

Commands run in this process by default (`tests/inprocess_cli_support.py`: the real entry point with
the same environment, working folder, empty stdin; exit code, stdout and stderr as a process gives
them): a new interpreter per command cost 0.5 s of CPU and proved nothing more. Tests marked
`@pytest.mark.subprocess` (one per command group, and those about the process itself: argv bytes, no
terminal, signals) run `python -m bgpub` in a subprocess instead, on SQLite (their PostgreSQL variant
runs in this process).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.inprocess_cli_support import run_bgpub_here

CLEARED_ENV = (
    "BGPUB_DATABASE_URL",
    "DATABASE_URL",
    "BGPUB_USER_EMAIL",
    "BGPUB_ALLOW_IMPERSONATION",
)


@dataclass
class Result:
    """What one `bgpub` run gave back."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return f"bgpub {' '.join(self.args)} -> {self.returncode}\nstdout: {self.stdout}\nstderr: {self.stderr}"


class Bgpub:
    """Runs `python -m bgpub --database-url URL ...` in a private workspace."""

    def __init__(self, url: str, home: Path, cwd: Path, *, in_process: bool = True) -> None:
        self.url = url
        self.home = home
        self.cwd = cwd
        self.in_process = in_process
        env = {k: v for k, v in os.environ.items() if k not in CLEARED_ENV}
        env["BGPUB_HOME"] = str(home)
        env["PYTHONIOENCODING"] = "utf-8"
        env["COLUMNS"] = "200"
        self.env = env

    def run(self, *args: str, timeout: float = 60) -> Result:
        """Runs one command, whatever its outcome."""
        if self.in_process:
            return self._run_here(args)
        out = subprocess.run(
            [sys.executable, "-m", "bgpub", "--database-url", self.url, *args],
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.cwd,
            timeout=timeout,
            stdin=subprocess.DEVNULL,
        )
        return Result(tuple(args), out.returncode, out.stdout, out.stderr)

    def _run_here(self, args: tuple[str, ...]) -> Result:
        """`bgpub ARGS` through its entry point in this process, in this runner's environment and folder."""
        code, out, err = run_bgpub_here(
            ["--database-url", self.url, *args], env=self.env, cwd=self.cwd
        )
        return Result(tuple(args), code, out, err)

    def ok(self, *args: str) -> Result:
        """Runs a command that must succeed quietly on stderr (no traceback)."""
        result = self.run(*args)
        assert result.returncode == 0, str(result)
        assert "Traceback" not in result.stderr, str(result)
        return result

    def fails(self, *args: str, mentions: tuple[str, ...] = ()) -> Result:
        """Runs a command that must be refused with exactly one clear `error:` line."""
        result = self.run(*args)
        assert_one_error_line(result)
        for text in mentions:
            assert text.lower() in result.stderr.lower(), f"{text!r} not named\n{result}"
        return result

    def popen(self, *args: str) -> subprocess.Popen:
        """Starts a long-running command (preview) with pipes, always as a real process."""
        return subprocess.Popen(
            [sys.executable, "-m", "bgpub", "--database-url", self.url, *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            env=self.env,
            cwd=self.cwd,
        )


def in_process(request) -> bool:
    """Commands run in this process unless the test is marked `subprocess` (see the module's note); a
    marked test runs them as processes once, on SQLite: its PostgreSQL variant differs only in the
    database, which the in-process run reaches the same way."""
    if request.node.get_closest_marker("subprocess") is None:
        return True
    if "db_target" in request.fixturenames:
        return request.getfixturevalue("db_target").kind != "sqlite"
    return False


def assert_one_error_line(result: Result) -> None:
    """A user mistake: non-zero exit, exactly one `error: ...` line on stderr, never a traceback."""
    assert result.returncode != 0, f"expected a refusal\n{result}"
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout, str(result)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("error: ")]
    assert len(errors) == 1, f"expected exactly one 'error:' line\n{result}"
    assert lines[-1] == errors[0], f"the error must be the last line on stderr\n{result}"


def query(url: str, sql: str) -> list[tuple]:
    """A raw read of the database behind the CLI, to prove what was (not) written."""
    if url.startswith("sqlite:///"):
        con = sqlite3.connect(url[len("sqlite:///") :])
        try:
            return con.execute(sql).fetchall()
        finally:
            con.close()
    import psycopg2

    con = psycopg2.connect(url)
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchall()
    finally:
        con.close()


def execute(url: str, sql: str) -> None:
    """A raw write, outside bgpub, as someone with the database in hand would try."""
    if url.startswith("sqlite:///"):
        con = sqlite3.connect(url[len("sqlite:///") :])
        try:
            con.execute(sql)
            con.commit()
        finally:
            con.close()
        return
    import psycopg2

    con = psycopg2.connect(url)
    try:
        with con.cursor() as cur:
            cur.execute(sql)
        con.commit()
    finally:
        con.close()


def count_rows(url: str, tables: tuple[str, ...]) -> dict[str, int]:
    """Row counts of TABLES."""
    return {t: query(url, f"SELECT COUNT(*) FROM {t}")[0][0] for t in tables}


def tree(root: Path) -> dict[str, bytes]:
    """Every file under ROOT (symlinks followed, dot-folders skipped) by relative path."""
    files: dict[str, bytes] = {}
    for path in sorted(Path(root).resolve().rglob("*")):
        rel = path.relative_to(Path(root).resolve())
        if any(part.startswith(".") for part in rel.parts):
            continue
        if path.is_file():
            files[rel.as_posix()] = path.read_bytes()
    return files


def assert_same_tree(left: Path, right: Path) -> None:
    """Byte-for-byte equality of two folders, with a readable difference."""
    a, b = tree(left), tree(right)
    assert sorted(a) == sorted(b), (
        f"paths differ: only left {sorted(set(a) - set(b))}, only right {sorted(set(b) - set(a))}"
    )
    changed = [p for p in a if a[p] != b[p]]
    assert not changed, f"files differ: {changed}"
