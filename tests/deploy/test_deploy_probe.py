"""`bgpub target test`: every kind checks reachability and permissions without publishing, and says
why it cannot deploy when it cannot."""

from __future__ import annotations

import subprocess

import pytest

from bgpub.errors import PublishError
from bgpub.publish.targets import make_target


def test_ready_targets_say_what_was_checked(tmp_path, s3_server, bucket, webdav):
    remote, _ = webdav
    bare = tmp_path / "site.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    cases = {
        "dir": ({"path": str(tmp_path / "new" / "www")}, "may write in"),
        "rsync": ({"dest": str(tmp_path / "mirror")}, "may write in"),
        "git": ({"remote": str(bare)}, "may push (dry run accepted)"),
        "s3": ({"bucket": bucket, "endpoint_url": s3_server}, "may list, write and delete objects"),
        "rclone": ({"remote": f"{remote}www"}, "may write and delete files there"),
    }
    for kind, (config, last) in cases.items():
        checks = make_target(kind, config, tmp_path / "state" / kind).probe()
        assert checks[-1].startswith(last), (kind, checks)


def test_unusable_targets_say_why(tmp_path, s3_server, aws_env, monkeypatch):
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "index.html").write_text("someone else's site")
    monkeypatch.setenv("RCLONE_CONFIG_GONE_TYPE", "webdav")
    monkeypatch.setenv("RCLONE_CONFIG_GONE_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("RCLONE_RETRIES", "1")
    monkeypatch.setenv("RCLONE_LOW_LEVEL_RETRIES", "1")
    cases = {
        "dir": ({"path": str(foreign)}, "not a site published by bgpub"),
        "git": ({"remote": str(tmp_path / "nowhere.git")}, "git ls-remote failed"),
        "s3": (
            {"bucket": "no-such-bucket", "endpoint_url": s3_server},
            "reaching bucket no-such-bucket",
        ),
        "rclone": ({"remote": "gone:www"}, "rclone rcat failed"),
    }
    for kind, (config, reason) in cases.items():
        with pytest.raises(PublishError, match=reason):
            make_target(kind, config, tmp_path / "state" / kind).probe()
    assert (foreign / "index.html").read_text() == "someone else's site"
