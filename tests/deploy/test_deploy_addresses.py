"""Base URLs (target's own, project's domain, host's address, none), host rule files, several targets
with their own URL, and promotion of the exact bytes from staging to production."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from tests.publish.sites import make_project, read_tree

from bgpub.db.models import DeployTarget, Version
from bgpub.errors import InvalidInput, NotFound
from bgpub.services import blobs
from bgpub.services.pages import change_slug
from bgpub.services.projects import update_project
from bgpub.services.promotion import promote_version
from bgpub.services.publishing import publish_project
from bgpub.services.targets import add_target, site_address


def version_bytes(number: int) -> dict[str, bytes]:
    manifest = Version.get(Version.number == number).manifest
    data = blobs.get_many({e[0] for e in manifest.values()})
    return {path: data[e[0]] for path, e in manifest.items()}


def test_where_the_base_url_comes_from(actor, project, tmp_path, monkeypatch):
    monkeypatch.delenv("BGPUB_SITES_DOMAIN", raising=False)
    www = add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))
    pages = add_target(actor, "demo", "pages", "git", remote="git@github.com:ada/demo.git")
    staging = add_target(
        actor,
        "demo",
        "staging",
        "dir",
        path=str(tmp_path / "s"),
        base_url="https://staging.example.com",
    )

    def url(target):  # add_target hands back a domain value: the row is the database's
        project_now = type(project).get_by_id(project.id)
        row = DeployTarget.get(DeployTarget.name == target.name)
        return site_address(project_now, row).base_url

    assert (url(www), url(pages), url(staging)) == (
        "",
        "https://ada.github.io/demo",
        "https://staging.example.com",
    )
    dry = publish_project(actor, "demo", target="www", dry_run=True)
    assert dry.base_url == "" and "no base URL is known" in dry.warnings[0]

    update_project(actor, "demo", subdomain="demo-site")
    assert url(www) == ""  # a subdomain needs the sites' domain to mean an address
    monkeypatch.setenv("BGPUB_SITES_DOMAIN", "bgpub.site")
    assert url(www) == "https://demo-site.bgpub.site"
    update_project(actor, "demo", custom_domain="www.demo.example")
    assert (url(www), url(pages), url(staging)) == (
        "https://www.demo.example",
        "https://www.demo.example",
        "https://staging.example.com",
    )
    update_project(actor, "demo", settings={"base_url": "https://demo.example/docs"})
    assert url(www) == "https://demo.example/docs"

    published = publish_project(actor, "demo", target="www")
    assert (
        published.ok
        and published.warnings == []
        and published.base_url == "https://demo.example/docs"
    )
    files = version_bytes(1)
    assert b"<loc>https://demo.example/docs/</loc>" in files["sitemap.xml"]
    assert b'rel="canonical" href="https://demo.example/docs/"' in files["index.html"]
    assert Version.get(Version.number == 1).base_url == "https://demo.example/docs"


def test_staging_then_production_with_the_same_bytes(actor, project, tmp_path):
    add_target(
        actor,
        "demo",
        "staging",
        "dir",
        path=str(tmp_path / "staging"),
        base_url="https://staging.example.com",
    )
    add_target(
        actor,
        "demo",
        "production",
        "dir",
        path=str(tmp_path / "www"),
        base_url="https://www.example.com",
    )
    with pytest.raises(InvalidInput, match="different base URLs"):
        publish_project(actor, "demo", target="all")
    assert Version.select().count() == 0

    staged = publish_project(actor, "demo", target="staging")
    assert staged.ok and b"https://staging.example.com/" in version_bytes(1)["index.html"]
    promoted = promote_version(actor, "demo", 1, to="production")
    assert promoted.ok, promoted.deployments
    assert read_tree(tmp_path / "www") == read_tree(tmp_path / "staging") == version_bytes(1)
    assert "rendered for https://staging.example.com" in promoted.warnings[0]
    assert Version.select().count() == 1  # nothing rendered or recorded anew

    own = publish_project(actor, "demo", target="production")  # rendered for production's own URL
    assert own.ok and b"https://www.example.com/" in read_tree(tmp_path / "www")["index.html"]
    again = promote_version(actor, "demo", 2, to="production")
    assert again.ok and again.warnings == [] and read_tree(tmp_path / "www") == version_bytes(2)
    with pytest.raises(NotFound, match="no version 9"):
        promote_version(actor, "demo", 9, to="production")
    with pytest.raises(NotFound, match="no target 'nope'"):
        promote_version(actor, "demo", 1, to="nope")


def test_host_rules_and_redirects_of_renamed_pages(actor, project, tmp_path):
    add_target(
        actor,
        "demo",
        "netlify",
        "dir",
        path=str(tmp_path / "www"),
        host_rules=True,
        base_url="https://demo.example",
    )
    assert publish_project(actor, "demo").ok
    headers = read_tree(tmp_path / "www")["_headers"].decode()
    assert "/assets/*\n  Cache-Control: public, max-age=31536000, immutable" in headers
    assert "X-Content-Type-Options: nosniff" in headers
    change_slug(actor, "demo", "page-1", "renamed")
    assert publish_project(actor, "demo").ok
    assert "/page-1/ /renamed/ 301" in read_tree(tmp_path / "www")["_redirects"].decode()
    change_slug(actor, "demo", "page-2", "other")
    assert publish_project(actor, "demo").ok
    rules = read_tree(tmp_path / "www")["_redirects"].decode()
    assert "/page-1/ /renamed/ 301" in rules and "/page-2/ /other/ 301" in rules  # carried forward


def run(db_target, home, *args):
    env = {**os.environ, "BGPUB_HOME": str(home), "BGPUB_DATABASE_URL": db_target.url}
    return subprocess.run(
        [sys.executable, "-m", "bgpub", *args], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_commands(db_target, home, actor, org, tmp_path, capsys):
    """target add/test, publish --target, promote --to, and their one-line errors (one of them in a
    process of its own: what a user's shell gets, no traceback)."""

    def cli(*args):  # the CLI's entry point in this process
        from bgpub.cli import main

        capsys.readouterr()
        code = 0
        try:
            main(["--database-url", db_target.url, *args])
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        out = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out.out, out.err)

    make_project(actor, "demo", pages=2)
    add_target(actor, "demo", "production", "dir", path=str(tmp_path / "www"))
    added = cli(
        "target",
        "add",
        "demo",
        "staging",
        "--kind",
        "dir",
        "--path",
        str(tmp_path / "staging"),
        "--base-url",
        "https://staging.example.com",
    )
    assert added.returncode == 0, added.stderr
    tested = cli("target", "test", "demo", "staging")
    assert tested.returncode == 0 and "target staging (dir) is ready" in tested.stdout, (
        tested.stderr
    )
    # the command group's one real process, on SQLite (PostgreSQL differs only in the database)
    if db_target.kind == "sqlite":
        refused = run(db_target, home, "target", "add", "demo", "cdn", "--kind", "s3")
    else:
        refused = cli("target", "add", "demo", "cdn", "--kind", "s3")
    assert (
        refused.returncode != 0
        and refused.stderr.startswith("error: ")
        and "needs --bucket" in refused.stderr
    )
    assert "Traceback" not in refused.stderr
    assert cli("publish", "demo", "--target", "staging").returncode == 0
    promoted = cli("promote", "demo", "1", "--to", "production")
    assert promoted.returncode == 0, promoted.stderr
    assert "promoted demo version 1 to production" in promoted.stdout
    assert "warning: version 1 was rendered for https://staging.example.com" in promoted.stderr
    assert read_tree(tmp_path / "www") == read_tree(tmp_path / "staging")
    missing = cli("promote", "demo", "7", "--to", "production")
    assert (
        missing.returncode != 0
        and missing.stderr.strip().count("\n") == 0
        and "no version 7" in missing.stderr
    )


def test_the_domain_reaches_sitemap_canonical_og_url_and_feeds(
    actor, project, tmp_path, monkeypatch
):
    """Each way of knowing the address (custom domain, subdomain, a bucket website endpoint) gives
    every absolute URL of the version: sitemap, canonical link, og:url and the blog's feeds (read
    with feedparser)."""
    import feedparser
    import html5lib

    from bgpub.services.posts import create_post

    monkeypatch.setenv("BGPUB_SITES_DOMAIN", "bgpub.site")
    create_post(actor, "demo", "Hello world", body="First post.", status="PUBLISHED")
    add_target(actor, "demo", "cdn", "s3", bucket="demo-site", region="eu-west-1", website=True)
    add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))
    cdn = DeployTarget.get(DeployTarget.name == "cdn")
    www = DeployTarget.get(DeployTarget.name == "www")
    bucket = "http://demo-site.s3-website-eu-west-1.amazonaws.com"
    assert site_address(type(project).get_by_id(project.id), cdn).base_url == bucket
    dry = publish_project(actor, "demo", target="cdn", dry_run=True)
    assert (dry.base_url, dry.warnings) == (bucket, [])

    cases = [
        ({"subdomain": "demo-site"}, "https://demo-site.bgpub.site"),
        ({"custom_domain": "www.demo.example"}, "https://www.demo.example"),
    ]
    for number, (change, base) in enumerate(cases, 1):
        update_project(actor, "demo", **change)
        assert site_address(type(project).get_by_id(project.id), www).base_url == base
        assert publish_project(actor, "demo", target="www").ok
        files = version_bytes(number)
        assert f"<loc>{base}/</loc>".encode() in files["sitemap.xml"]
        head = html5lib.parse(files["index.html"], namespaceHTMLElements=False).find("head")
        assert head.find("link[@rel='canonical']").get("href") == f"{base}/"
        assert head.find("meta[@property='og:url']").get("content") == f"{base}/"
        for feed in ("blog/atom.xml", "blog/rss.xml"):
            parsed = feedparser.parse(files[feed])
            assert not parsed.bozo, (feed, parsed.bozo_exception)
            assert [e.link for e in parsed.entries] == [f"{base}/blog/hello-world/"], feed
        assert json.loads(files["blog/feed.json"])["items"][0]["url"] == f"{base}/blog/hello-world/"
