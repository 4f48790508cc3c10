"""The issue's "Done when", through the commands from a fresh workspace: the landing starter published to
a bare git remote, an S3-compatible server and an rclone WebDAV server at once; each deploy verified;
an edit published (one object sent to each); a rollback to version 1 after which a fresh clone, the
bucket read back with boto3 and the served folder all equal version 1 byte for byte."""

from __future__ import annotations

import json
import os
import subprocess
from dataclasses import dataclass

import pytest
from tests.deploy.conftest import bucket_objects
from tests.publish.sites import read_tree

from bgpub.db.models import Deployment, Version
from bgpub.services import blobs


@dataclass
class Done:
    stdout: str
    stderr: str


@pytest.fixture
def bgpub(db_target, home, capsys):
    """`bgpub ARGS...` through the CLI's own entry point, in this process (no interpreter start and
    import per command): what it printed; a non-zero exit fails the test."""
    from bgpub.cli import main

    def run(*args) -> Done:
        assert os.environ["BGPUB_HOME"] == str(home)
        capsys.readouterr()
        code = 0
        try:
            main(["--database-url", db_target.url, *map(str, args)])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        assert code == 0, (args, out.out, out.err)
        return Done(out.out, out.err)

    return run


def version_bytes(number: int) -> dict[str, bytes]:
    manifest = Version.get(Version.number == number).manifest
    data = blobs.get_many({e[0] for e in manifest.values()})
    return {path: data[e[0]] for path, e in manifest.items()}


def git(*args) -> str:
    return subprocess.run(["git", *args], capture_output=True, text=True, check=True).stdout


def clone(remote, where) -> dict[str, bytes]:
    git("clone", "-q", "-b", "gh-pages", str(remote), str(where))
    return {p: d for p, d in read_tree(where).items() if not p.startswith(".git/")}


def test_landing_to_git_s3_and_webdav_then_back_to_version_1(
    bgpub, workspace, tmp_path, s3_server, bucket, webdav
):
    remote, served = webdav
    bare = tmp_path / "pages.git"
    git("init", "-q", "--bare", str(bare))
    bgpub("new", "cadence", "--from", "landing")
    bgpub("project", "set", "cadence", "--domain", "www.cadence.example")
    bgpub("target", "add", "cadence", "pages", "--kind", "git", "--remote", str(bare))
    bgpub(
        "target",
        "add",
        "cadence",
        "cdn",
        "--kind",
        "s3",
        "--bucket",
        bucket,
        "--prefix",
        "www",
        "--endpoint-url",
        s3_server,
    )
    bgpub(
        "target",
        "add",
        "cadence",
        "dav",
        "--kind",
        "rclone",
        "--remote",
        f"{remote}www",
    )
    tested = bgpub("target", "test", "cadence", "cdn").stdout
    assert "ok: may list, write and delete objects under www/" in tested

    first = json.loads(
        bgpub("publish", "cadence", "--target", "all", "-m", "Launch", "--json").stdout
    )
    assert [(d["target"], d["status"]) for d in first["deployments"]] == [
        ("pages", "SUCCEEDED"),
        ("cdn", "SUCCEEDED"),
        ("dav", "SUCCEEDED"),
    ]
    v1 = version_bytes(1)
    assert v1["CNAME"] == b"www.cadence.example\n" and v1[".nojekyll"] == b""
    assert b"https://cadence.example.com/" in v1["sitemap.xml"]  # the starter's base_url setting

    bgpub("block", "set", "cadence", "home", "2", "heading=Plan less. Ship sooner.")
    second = json.loads(bgpub("publish", "cadence", "--target", "all", "--json").stdout)
    v2 = version_bytes(2)
    edited = sorted(p for p in v2 if v1.get(p) != v2[p])
    # the home page, and the sitemap when the edit moved its lastmod: nothing else is sent
    assert "index.html" in edited and set(edited) <= {"index.html", "sitemap.xml"}, edited
    assert {d["target"]: (d["status"], d["files_sent"]) for d in second["deployments"]} == {
        "pages": ("SUCCEEDED", len(edited)),
        "cdn": ("SUCCEEDED", len(edited)),
        "dav": ("SUCCEEDED", len(edited)),
    }
    assert (
        clone(bare, tmp_path / "clone-2")
        == bucket_objects(s3_server, bucket, "www/")
        == read_tree(served / "www")
    )
    assert read_tree(served / "www") == v2 != v1

    back = json.loads(bgpub("rollback", "cadence", "1", "--target", "all", "--json").stdout)
    assert all(
        d["status"] == "SUCCEEDED" and d["files_sent"] == len(edited) for d in back["deployments"]
    ), back
    assert clone(bare, tmp_path / "clone-1") == v1
    assert bucket_objects(s3_server, bucket, "www/") == v1
    assert read_tree(served / "www") == v1
    assert git("-C", str(bare), "log", "--format=%s", "gh-pages").splitlines() == [
        "Roll back to version 1: Launch",
        "Publish version 2",
        "Launch",
    ]
    pushed = (
        Deployment.select()
        .where(Deployment.target_name == "pages")
        .order_by(Deployment.started_at.desc())
    )
    assert pushed.first().remote_ref == git("-C", str(bare), "rev-parse", "gh-pages").strip()
