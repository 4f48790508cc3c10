"""The target-kind registry: every kind declares and checks its own options, looked up by name."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from bgpub.db.enums import TargetKind
from bgpub.errors import InvalidInput
from bgpub.publish.targets import make_target, registry
from bgpub.publish.targets.git_remote import pages_url

# (kind, options, a fragment of the error) for input each kind must refuse before anything is stored
REFUSED = [
    ("dir", {}, "needs --path"),
    ("dir", {"path": "/tmp/x", "keep": "1"}, "between 2 and 20"),
    ("dir", {"path": "/tmp/x", "keep": "many"}, "not a whole number"),
    ("dir", {"path": "/tmp/x", "bucket": "b"}, "has no option --bucket"),
    ("git", {}, "needs --repo"),
    ("git", {"repo": "/tmp/r", "remote": "/tmp/s"}, "not both"),
    ("git", {"remote": "https://bob:hunter2@github.com/bob/site.git"}, "carries credentials"),
    ("git", {"remote": "https://ghp_token@github.com/bob/site.git"}, "carries credentials"),
    ("git", {"remote": "ext::sh -c evil"}, "not a git remote"),
    ("git", {"remote": "-uhack"}, "not a git remote"),
    ("git", {"remote": "ftp://host/repo"}, "use one of"),
    ("git", {"remote": "site.git"}, "not a git remote URL"),
    ("git", {"repo": "/tmp/r", "branch": "../main"}, "not a usable branch"),
    ("git", {"repo": "/tmp/r", "branch": "-f"}, "not a usable branch"),
    ("rsync", {}, "needs --dest"),
    ("s3", {}, "needs --bucket"),
    ("s3", {"bucket": "No_Such Bucket!"}, "not a bucket name"),
    ("s3", {"bucket": "site", "prefix": "a/../b"}, "not a usable key prefix"),
    ("s3", {"bucket": "site", "endpoint_url": "minio.local:9000"}, "not an http(s) URL"),
    ("rclone", {}, "needs --remote"),
    ("rclone", {"remote": "no-colon"}, "NAME:path"),
    ("rclone", {"remote": "--config=/etc/passwd:x"}, "NAME:path"),
    ("dir", {"path": "/tmp/x", "base_url": "ftp://example.com"}, "not an http(s) URL"),
    ("dir", {"path": "/tmp/x", "base_url": "https://example.com/?a=1"}, "not an http(s) URL"),
]


def test_the_registry_knows_exactly_the_database_kinds():
    assert set(registry.names()) == {kind.value for kind in TargetKind}
    for kind in registry.every_kind():
        assert kind.name == registry.get(kind.name).name
        assert kind.summary and kind.options, kind.name
        assert all(o.help for o in kind.all_options())


@pytest.mark.parametrize(("kind", "options", "message"), REFUSED)
def test_each_kind_refuses_bad_options_naming_them(kind, options, message):
    with pytest.raises(
        InvalidInput, match=message.replace("(", r"\(").replace(")", r"\)")
    ) as caught:
        registry.get(kind).config(options, "project demo, target x")
    assert str(caught.value).startswith("project demo, target x")


def test_configs_are_stored_normalised(tmp_path):
    assert registry.get("dir").config(
        {"path": str(tmp_path / "a" / ".." / "www"), "keep": "3"}, "t"
    ) == {"path": str(tmp_path / "www"), "keep": 3}
    assert registry.get("git").config({"remote": "git@github.com:Ada/site.git"}, "t") == {
        "remote": "git@github.com:Ada/site.git",
        "branch": "gh-pages",
    }
    assert registry.get("s3").config(
        {
            "bucket": "site",
            "prefix": "/www/en/",
            "host_rules": True,
            "base_url": "https://staging.example.com/",
        },
        "t",
    ) == {
        "bucket": "site",
        "prefix": "www/en/",
        "host_rules": True,
        "base_url": "https://staging.example.com",
    }


def test_an_unknown_kind_lists_the_known_ones(tmp_path):
    with pytest.raises(
        InvalidInput, match="unknown kind 'ftp'; use one of dir, git, rclone, rsync, s3"
    ):
        make_target("ftp", {}, tmp_path)


def test_an_extension_registers_a_kind_of_its_own(tmp_path):
    class Null:
        kind = "null"
        location = "nowhere"

    kind = registry.TargetType(
        "null",
        "drops everything",
        (registry.Option("label", "null: a label"),),
        lambda config, state: Null(),
    )
    registry.register(kind)
    try:
        assert "null" in registry.names()
        assert registry.get("null").config({"label": "x"}, "t") == {"label": "x"}
        assert make_target("null", {}, tmp_path).location == "nowhere"
    finally:
        registry._loaded.pop("null")


@pytest.mark.parametrize(
    ("remote", "url"),
    [
        ("git@github.com:Ada/site.git", "https://ada.github.io/site"),
        ("https://github.com/ada/ada.github.io.git", "https://ada.github.io"),
        ("ssh://git@gitlab.com/team/docs", "https://team.gitlab.io/docs"),
        ("https://git.example.com/ada/site.git", None),
        ("/srv/git/site.git", None),
    ],
)
def test_pages_hosts_give_the_site_its_address(remote, url):
    assert pages_url(remote) == url


def test_the_cli_takes_its_options_from_the_registry():
    from bgpub.cli import cli

    out = CliRunner().invoke(cli, ["target", "add", "--help"]).output
    for kind in registry.every_kind():
        assert kind.name in out
        for option in kind.all_options():
            assert option.flag_name in out, option.flag_name
