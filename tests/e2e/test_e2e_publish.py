"""Issue 4 end to end: publish, edit, publish again, versions, diff, and a byte-identical rollback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.e2e.e2e_cli import assert_same_tree, tree


@pytest.mark.subprocess  # this command group once through a real `python -m bgpub`
def test_publish_edit_publish_versions_diff_rollback(cli, tmp_path):
    cli.ok("new", "demo", "--from", "landing")
    first = json.loads(cli.ok("publish", "demo", "--message", "first", "--json").stdout)
    assert first["ok"] is True
    live = Path(first["deployments"][0]["location"])
    assert (live / "index.html").is_file()
    saved_v1 = tmp_path / "v1"
    shutil.copytree(live, saved_v1, symlinks=False)  # what went live first, by value

    cli.ok("block", "set", "demo", "home", "2", "heading=Second edition, by QA")
    dry = cli.ok("publish", "demo", "--dry-run").stdout
    assert "index.html" in dry
    assert tree(live) == tree(saved_v1), "--dry-run changed the live site"

    second = cli.ok("publish", "demo", "--message", "second edition").stdout
    assert "version 2" in second
    assert b"Second edition, by QA" in (live / "index.html").read_bytes()

    versions = json.loads(cli.ok("versions", "demo", "--json").stdout)
    assert [(v["number"], v["message"]) for v in versions] == [(2, "second edition"), (1, "first")]
    assert versions[0]["live_on"] and not versions[1]["live_on"]
    assert "v2" in cli.ok("versions", "demo").stdout

    diff = cli.ok("diff", "demo", "1", "2").stdout
    assert "~ home" in diff and "~ index.html" in diff
    assert "about" not in diff, "an unchanged page is reported as changed"

    cli.ok("rollback", "demo", "1")
    assert_same_tree(live, saved_v1)
    versions = json.loads(cli.ok("versions", "demo", "--json").stdout)
    assert versions[1]["number"] == 1 and versions[1]["live_on"] and not versions[0]["live_on"]

    cli.fails("rollback", "demo", "99", mentions=("no version 99",))
    cli.fails("diff", "demo", "1", "7", mentions=("no version 7",))
    cli.fails("publish", "no-such-project", mentions=("no-such-project",))
    cli.fails("publish", "demo", "--target", "nowhere", mentions=("nowhere",))
    assert_same_tree(live, saved_v1)
