"""Progress in bytes and objects from every kind of target, and s3 access keys from an encrypted
integration: used for the store's requests, never stored in the target, printed or logged."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass

import boto3
import pytest
from tests.deploy.conftest import bucket_objects
from tests.publish.sites import edit_page, read_tree

from bgpub.db.models import AuditLog, Deployment, DeployTarget, Version
from bgpub.domain.progress import Step
from bgpub.errors import InvalidInput, NotFound
from bgpub.publish.targets import s3_setup
from bgpub.services import blobs
from bgpub.services.integrations import add_integration, set_integration_enabled
from bgpub.services.publishing import publish_project, rollback_project
from bgpub.services.targets import add_target, list_targets, show_target

AKID = "AKIAEXAMPLEBGPUB0001"
SECRET = "s3cr3t/EXAMPLE+key+never+shown+0123456789"


@dataclass
class Outcome:
    code: int
    out: str
    err: str


@pytest.fixture
def bgpub(db_target, org, capsys):
    """`bgpub ARGS...` in-process, as the user would type it: (exit code, stdout, stderr)."""
    from bgpub.cli import main

    def run(*args: str) -> Outcome:
        capsys.readouterr()
        try:
            main(["--database-url", db_target.url, *map(str, args)])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run


def version_bytes(number: int) -> dict[str, bytes]:
    manifest = Version.get(Version.number == number).manifest
    data = blobs.get_many({e[0] for e in manifest.values()})
    return {path: data[e[0]] for path, e in manifest.items()}


def test_every_kind_reports_objects_and_bytes(
    actor, project, bgpub, tmp_path, s3_server, bucket, webdav
):
    remote, served = webdav
    bare = tmp_path / "pages.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    add_target(actor, "demo", "www", "dir", path=str(tmp_path / "www"))
    add_target(actor, "demo", "pages", "git", repo=str(bare))
    add_target(actor, "demo", "cdn", "s3", bucket=bucket, endpoint_url=s3_server)
    add_target(actor, "demo", "dav", "rclone", remote=remote)
    add_target(actor, "demo", "mirror", "rsync", dest=str(tmp_path / "mirror"))
    names = ["www", "pages", "cdn", "dav", "mirror"]

    def publish() -> tuple[object, dict[str, list]]:
        seen: dict[str, list] = {}

        def progress(step: Step) -> None:
            if step.stage == "deploy":
                seen.setdefault(step.target, []).append(step)
                assert step.label.startswith(f"deploy {step.target}: ")

        result = publish_project(actor, "demo", target="all", progress=progress)
        assert result.ok, result.deployments
        return result, seen

    first, seen = publish()
    total = sum(e[1] for e in Version.get(Version.number == 1).manifest.values())
    for d in first.deployments:
        last = seen[d.target][-1]
        assert last.done == last.total > 0, (d.target, last)
        assert last.bytes_done == last.bytes_total == d.bytes_sent == total, (d.target, last)
        assert all(
            a.bytes_done <= b.bytes_done
            for a, b in zip(seen[d.target], seen[d.target][1:], strict=False)
        )
        assert last.label == f"deploy {d.target}: {_size(total)} of {_size(total)}"
    assert sorted(seen) == sorted(names)

    edit_page(project, 1, "A new sentence.")
    before = bucket_objects(s3_server, bucket)
    dry = bgpub("publish", "demo", "--target", "all", "--dry-run")
    assert dry.code == 0, dry.err
    assert bucket_objects(s3_server, bucket) == before and Version.select().count() == 1
    second, seen = publish()
    v1, v2 = Version.get(Version.number == 1).manifest, Version.get(Version.number == 2).manifest
    paths = sorted(p for p, e in v2.items() if v1.get(p) != e)
    assert "page-1/index.html" in paths and set(v1) == set(v2)
    listed = "".join(f"  ~ {p}\n" for p in paths)
    for name in names:  # each target listed exactly what its deploy then sent
        head = f"{name}: {len(paths)} to send (0 new, {len(paths)} changed), 0 to delete\n"
        assert f"\n{head}{listed}" in dry.out, dry.out
    changed = sum(v2[p][1] for p in paths)
    for name in (
        "pages",
        "cdn",
        "dav",
        "www",
    ):  # rsync's literal bytes depend on its delta algorithm
        last = seen[name][-1]
        assert last.bytes_done == last.bytes_total == changed, (name, last)
    assert read_tree(served) == bucket_objects(s3_server, bucket) == version_bytes(2)


def _size(size: int) -> str:
    from bgpub.domain.progress import size_text

    return size_text(size)


@pytest.fixture
def keys_only_from_integration(monkeypatch, tmp_path):
    """No credentials anywhere in the standard chain: a request signs only with the integration's."""
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")


def test_keys_from_an_encrypted_integration(
    actor, project, bgpub, s3_server, bucket, keys_only_from_integration, caplog, monkeypatch
):
    with pytest.raises(NotFound, match="no integration 'aws'"):
        add_target(
            actor, "demo", "cdn", "s3", bucket=bucket, endpoint_url=s3_server, credentials="aws"
        )
    add_integration(actor, "demo", "CUSTOM", "half", {"access_key_id": AKID})
    with pytest.raises(InvalidInput, match="has no secret_access_key"):
        add_target(
            actor, "demo", "cdn", "s3", bucket=bucket, endpoint_url=s3_server, credentials="half"
        )
    with pytest.raises(InvalidInput, match="not both"):
        add_target(actor, "demo", "cdn", "s3", bucket=bucket, credentials="half", profile="work")
    add_integration(
        actor, "demo", "CUSTOM", "aws", {"access_key_id": AKID, "secret_access_key": SECRET}
    )
    add_target(actor, "demo", "cdn", "s3", bucket=bucket, endpoint_url=s3_server, credentials="aws")
    assert (
        DeployTarget.get(DeployTarget.name == "cdn").config["credentials"] == "aws"
    )  # a name only

    signed: list[str] = []
    original = s3_setup.make_client

    def make_client(*args, **kwargs):  # every request's Authorization header, as sent
        client = original(*args, **kwargs)
        client.meta.events.register(
            "before-send.s3",
            lambda request, **_: signed.append(str(request.headers["Authorization"])),
        )
        return client

    monkeypatch.setattr(s3_setup, "make_client", make_client)
    monkeypatch.setattr(s3_setup, "CLIENTS", {})
    monkeypatch.setattr(s3_setup, "SESSIONS", {})
    with caplog.at_level("INFO"):  # (botocore's own DEBUG lines show the key id, as AWS's tools do)
        published = publish_project(actor, "demo", target="cdn")
    assert published.ok, published.deployments
    assert signed and all(f"Credential={AKID}/" in header for header in signed)
    plain = boto3.client(
        "s3", endpoint_url=s3_server, aws_access_key_id="x", aws_secret_access_key="y"
    )
    assert plain.list_objects_v2(Bucket=bucket)["KeyCount"] == len(version_bytes(1))

    shown = bgpub("target", "show", "demo", "cdn")
    assert shown.code == 0, shown.err
    assert "credentials: integration aws, access_key_id ••••, secret_access_key ••••" in shown.out
    as_json = json.loads(bgpub("target", "show", "demo", "cdn", "--json").out)
    assert as_json["config"]["credentials"]["integration"] == "aws"
    listed = bgpub("target", "list", "demo", "--json").out
    views = [show_target(actor, "demo", "cdn"), *list_targets(actor, "demo")]
    tested = bgpub("target", "test", "demo", "cdn")
    assert tested.code == 0 and "may list, write and delete objects" in tested.out, tested.err
    everything = [
        shown.out,
        shown.err,
        json.dumps(as_json),
        listed,
        tested.out,
        tested.err,
        repr(views),
        caplog.text,
    ]
    everything += [str(row.summary) for row in AuditLog.select()]
    everything += [str(row.error) for row in Deployment.select()]
    for text in everything:
        assert SECRET not in text and AKID not in text

    set_integration_enabled(actor, "demo", "aws", False)  # a disabled integration is not used
    edit_page(project, 1, "Something to send.")
    failed = publish_project(actor, "demo", target="cdn")
    assert not failed.ok and "the integration holding this target's access keys is disabled" in (
        failed.deployments[0].error
    )
    assert SECRET not in failed.deployments[0].error
    dry = bgpub("publish", "demo", "--target", "cdn", "--dry-run")
    assert "warning: target cdn: its last deployment did not finish" in dry.err, dry.err


def test_the_standard_chain_stays_the_default_and_the_editor_sees_bytes(
    actor, project, workspace, s3_server, bucket, aws_env
):
    """No --credentials: the AWS chain signs; the editor's publish (its session's progress callback,
    what the publish screen shows) reports the deploy's bytes."""
    from bgpub.tui.service_session import ServiceSession

    add_target(actor, "demo", "cdn", "s3", bucket=bucket, endpoint_url=s3_server)
    assert "credentials" not in show_target(actor, "demo", "cdn").config
    seen: list[Step] = []
    outcome = ServiceSession(workspace).publish("demo", "first", seen.append)
    assert outcome.version == 1
    total = sum(e[1] for e in Version.get(Version.number == 1).manifest.values())
    steps = [step.label for step in seen if step.label.startswith("deploy cdn: ")]
    assert steps[-1] == f"deploy cdn: {_size(total)} of {_size(total)}", steps
    assert (seen[-1].done, seen[-1].total) == (len(version_bytes(1)), len(version_bytes(1)))
    assert seen[-1].bytes_done == seen[-1].bytes_total == total
    assert bucket_objects(s3_server, bucket) == version_bytes(1)


def test_redirects_become_object_redirects(actor, project, tmp_path, s3_server, bucket, aws_env):
    """A renamed page and a post's old slug: `WebsiteRedirectLocation` on the object at the old
    address (HEAD with boto3), kept when nothing changes, updated when the target moves, and
    verified; a store without the option gets none, and a dir target no extra pages."""
    from bgpub.services.pages import change_slug
    from bgpub.services.posts import create_post, update_post

    add_target(
        actor,
        "demo",
        "cdn",
        "s3",
        bucket=bucket,
        endpoint_url=s3_server,
        object_redirects=True,
        base_url="https://demo.example/docs",
    )
    create_post(actor, "demo", "Hello world", body="First.", status="PUBLISHED")
    assert publish_project(actor, "demo", target="cdn").ok
    client = boto3.client("s3", endpoint_url=s3_server)

    def redirect(path: str) -> str | None:
        return client.head_object(Bucket=bucket, Key=path).get("WebsiteRedirectLocation")

    assert redirect("page-1/index.html") is None
    change_slug(actor, "demo", "page-1", "renamed")
    update_post(actor, "demo", "hello-world", new_slug="hello-again")
    second = publish_project(actor, "demo", target="cdn")
    assert second.ok, second.deployments
    files = version_bytes(2)
    assert "/docs/page-1/ /docs/renamed/ 301" in files["_redirects"].decode()
    assert "/docs/blog/hello-world/ /docs/blog/hello-again/ 301" in files["_redirects"].decode()
    assert redirect("page-1/index.html") == "/docs/renamed/"
    assert redirect("blog/hello-world/index.html") == "/docs/blog/hello-again/"
    assert redirect("renamed/index.html") is None and redirect("index.html") is None
    page = files["page-1/index.html"].decode()
    assert 'content="0; url=/docs/renamed/"' in page and 'name="robots" content="noindex"' in page

    change_slug(actor, "demo", "renamed", "final")  # the old address now points further
    third = publish_project(actor, "demo", target="cdn")
    assert third.ok, third.deployments
    assert redirect("renamed/index.html") == "/docs/final/"
    assert bucket_objects(s3_server, bucket) == version_bytes(3)

    client.copy_object(  # someone drops the redirect: verification sees it
        Bucket=bucket,
        Key="renamed/index.html",
        CopySource={"Bucket": bucket, "Key": "renamed/index.html"},
        MetadataDirective="REPLACE",
        ContentType="text/html; charset=utf-8",
        Metadata={"sha256": Version.get(Version.number == 3).manifest["renamed/index.html"][0]},
    )
    from bgpub.publish.targets import s3_checks
    from bgpub.services.targets import get_target, open_target

    target = open_target(get_target(type(project).get_by_id(project.id), "cdn"))
    found = s3_checks.verify_changes(
        target,
        Version.get(Version.number == 3).manifest,
        ["renamed/index.html"],
        [],
        {},
        {"renamed/index.html": "/docs/final/"},
    )
    assert "renamed/index.html redirects to nowhere, not to /docs/final/" in found
    back = rollback_project(actor, "demo", 2, target="cdn")  # byte for byte, redirects with them
    assert back.ok, back.deployments
    assert (
        redirect("renamed/index.html") is None and redirect("page-1/index.html") == "/docs/renamed/"
    )
    assert bucket_objects(s3_server, bucket) == version_bytes(2)


def test_stores_without_object_redirects_get_none(
    actor, project, s3_server, bucket, aws_env, tmp_path
):
    from bgpub.services.pages import change_slug

    add_target(actor, "demo", "cdn", "s3", bucket=bucket, endpoint_url=s3_server)
    assert publish_project(actor, "demo").ok
    change_slug(actor, "demo", "page-1", "renamed")
    assert publish_project(actor, "demo").ok
    # every host gets the old address's page and a `_redirects` line (issue 12); only stores that
    # support it also get object redirects
    assert b"url=/renamed/" in version_bytes(2)["page-1/index.html"]
    assert "/page-1/ /renamed/ 301" in version_bytes(2)["_redirects"].decode()
    client = boto3.client("s3", endpoint_url=s3_server)
    heads = [client.head_object(Bucket=bucket, Key=p) for p in bucket_objects(s3_server, bucket)]
    assert not any(h.get("WebsiteRedirectLocation") for h in heads)
