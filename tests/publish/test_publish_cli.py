"""The command line end to end: new, publish, edit, publish, versions, diff, rollback (both backends).

Through the real entry point in this process (tests/inprocess_cli_support.py); the same story runs as
a real `python -m bgpub` process in tests/e2e/test_e2e_publish.py.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import datetime

from tests.inprocess_cli_support import run_bgpub_here
from tests.publish.sites import read_tree

from bgpub.db.models import Page
from bgpub.publish.manifest import digest


def run(db_target, home, *args, ok=True):
    env = {**os.environ, "BGPUB_HOME": str(home), "BGPUB_DATABASE_URL": db_target.url}
    code, out, err = run_bgpub_here(list(args), env=env)
    done = subprocess.CompletedProcess(args, code, out, err)
    if ok:
        assert done.returncode == 0, done.stderr
    return done


def test_done_when(db_target, home, workspace):
    run(db_target, home, "new", "demo", "--from", "landing")
    # pages last edited in 2020: the edit below then moves about's sitemap lastmod (whole seconds)
    # whatever the clock, so what it changes does not depend on how fast the commands run
    assert Page.update(updated_at=datetime(2020, 1, 1)).execute() > 0
    first = json.loads(run(db_target, home, "publish", "demo", "-m", "first", "--json").stdout)
    assert first["ok"] and first["version"] == 1
    live = first["deployments"][0]["location"]
    v1 = {p: [digest(d), len(d)] for p, d in read_tree(live).items()}
    v1_bytes = read_tree(live)
    run(db_target, home, "block", "set", "demo", "about", "2", "body=## Changed\n\nNew story.")
    dry = run(db_target, home, "publish", "demo", "--dry-run").stdout
    assert "~ about/index.html" in dry and "~ sitemap.xml" in dry and "nothing was changed" in dry
    second = run(db_target, home, "publish", "demo", "-m", "second").stdout
    # the page and the sitemap (lastmod follows each edit, issue 16)
    assert "published demo version 2" in second and "2 file(s)" in second
    listing = json.loads(run(db_target, home, "versions", "demo", "--json").stdout)
    assert [(v["number"], v["live_on"]) for v in listing] == [(2, ["default"]), (1, [])]
    assert "v2" in run(db_target, home, "versions", "demo").stdout
    diff = run(db_target, home, "diff", "demo", "1", "2").stdout
    assert "~ about" in diff and "~ about/index.html" in diff and "~ sitemap.xml" in diff
    run(db_target, home, "rollback", "demo", "1")
    assert read_tree(live) == v1_bytes
    assert {p: [digest(d), len(d)] for p, d in read_tree(live).items()} == v1
    targets = run(db_target, home, "target", "list", "demo").stdout
    assert "default\tdir" in targets and "v1" in targets


def test_errors_are_one_line(db_target, home, workspace):
    run(db_target, home, "new", "demo", "--from", "landing")
    done = run(db_target, home, "rollback", "demo", "7", ok=False)
    assert (
        done.returncode != 0 and done.stderr.startswith("error:") and "no version 7" in done.stderr
    )
    done = run(db_target, home, "target", "add", "demo", "gh", "--kind", "git", ok=False)
    assert done.returncode != 0 and "needs --repo" in done.stderr and "Traceback" not in done.stderr
