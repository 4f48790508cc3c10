"""The test command passes on a machine without a global git identity: tests bring their own."""

from __future__ import annotations

import os
import subprocess


def test_git_commits_work_without_any_configured_identity(tmp_path):
    empty = tmp_path / "gitconfig"
    empty.write_text("")
    env = {
        **os.environ,
        "GIT_CONFIG_GLOBAL": str(empty),
        "GIT_CONFIG_NOSYSTEM": "1",
        "HOME": str(tmp_path),
    }
    repo = tmp_path / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True, env=env)
    (repo / "a.txt").write_text("a\n")
    subprocess.run(["git", "-C", str(repo), "add", "a.txt"], check=True, env=env)
    done = subprocess.run(
        ["git", "-C", str(repo), "commit", "-qm", "first"], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    tree = subprocess.run(
        ["git", "-C", str(repo), "write-tree"], capture_output=True, text=True, env=env
    ).stdout.strip()
    other = subprocess.run(
        ["git", "-C", str(repo), "commit-tree", tree, "-m", "x"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert other.returncode == 0, other.stderr
