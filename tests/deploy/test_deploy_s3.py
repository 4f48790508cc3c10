"""The s3 target against a real S3-compatible HTTP server (moto's) on loopback: what a plain S3 client
lists and reads back is the version, byte for byte, with the headers browsers and CDNs need."""

from __future__ import annotations

import hashlib
import json

import boto3
import pytest
from tests.deploy.conftest import bucket_objects
from tests.publish.sites import MemoryBlobs, site

from bgpub.publish.manifest import digest
from bgpub.publish.targets import DeployRequest, make_target


@pytest.fixture
def target(s3_server, bucket, aws_env, tmp_path):
    return make_target("s3", {"bucket": bucket, "endpoint_url": s3_server}, tmp_path / "state")


def counted(target) -> dict[str, int]:
    """Counts the S3 operations the target's client makes, by name."""
    calls: dict[str, int] = {}

    def count(model, **_):
        calls[model.name] = calls.get(model.name, 0) + 1

    target.client().meta.events.register("before-call.s3", count)
    return calls


def styled_site(n: int, colour: str, *, changed: dict[int, str] | None = None) -> dict[str, bytes]:
    css = f"body{{color:{colour}}}".encode()
    files = site(n, changed=changed)
    del files["assets/style.css"]
    files[f"assets/style.{digest(css)[:12]}.css"] = css
    files["sitemap.xml"] = b"<urlset/>"
    return files


def test_headers_per_object(target, s3_server, bucket):
    store = MemoryBlobs()
    files = styled_site(2, "red")
    files["assets/logo.0123456789ab.svg"] = b"<svg/>"
    assert target.deploy(DeployRequest(1, store.add(files)), store.fetch).ok
    client = boto3.client("s3", endpoint_url=s3_server)
    expected = {
        "index.html": ("text/html; charset=utf-8", "public, max-age=60, must-revalidate"),
        "page-0/index.html": ("text/html; charset=utf-8", "public, max-age=60, must-revalidate"),
        next(p for p in files if p.endswith(".css")): (
            "text/css; charset=utf-8",
            "public, max-age=31536000, immutable",
        ),
        "assets/logo.0123456789ab.svg": ("image/svg+xml", "public, max-age=31536000, immutable"),
        "sitemap.xml": ("application/xml; charset=utf-8", "public, max-age=300"),
    }
    for path, (kind, cache) in expected.items():
        head = client.head_object(Bucket=bucket, Key=path)
        assert (head["ContentType"], head["CacheControl"]) == (kind, cache), path
        assert head["Metadata"]["sha256"] == digest(files[path])


def test_only_changed_objects_go_up_and_nothing_is_listed(target):
    store = MemoryBlobs()
    v1 = styled_site(30, "red")
    assert target.deploy(DeployRequest(1, store.add(v1)), store.fetch).ok
    v2 = styled_site(30, "red", changed={4: "edited"})
    del v2["page-9/index.html"]
    calls = counted(target)
    out = target.deploy(DeployRequest(2, store.add(v2), previous=store.add(v1)), store.fetch)
    assert out.ok and out.files_sent == 1, out
    assert calls == {
        "PutObject": 1,
        "DeleteObjects": 1,
        "HeadObject": 1,
        "ListObjectsV2": 1,
    }  # the deleted one


def test_order_assets_then_pages_then_deletions(target):
    store = MemoryBlobs()
    v1 = styled_site(3, "red")
    assert target.deploy(DeployRequest(1, store.add(v1)), store.fetch).ok
    v2 = styled_site(4, "blue", changed={0: "new text"})
    del v2["page-1/index.html"]
    v2["robots.txt"] = b"User-agent: *"
    order: list[str] = []
    target.client().meta.events.register(
        "before-parameter-build.s3",
        lambda model, params, **_: order.append(
            f"{model.name} {params.get('Key') or [o['Key'] for o in params.get('Delete', {}).get('Objects', [])]}"
        ),
    )
    assert target.deploy(DeployRequest(2, store.add(v2), previous=store.add(v1)), store.fetch).ok
    sent = [line for line in order if line.startswith(("PutObject", "DeleteObjects"))]
    new_css = next(p for p in v2 if p.endswith(".css"))
    old_css = next(p for p in v1 if p.endswith(".css"))
    assert sent == [
        f"PutObject {new_css}",
        "PutObject robots.txt",  # assets, other files,
        "PutObject page-3/index.html",  # the new page before the pages that may link it,
        "PutObject page-0/index.html",
        "DeleteObjects ['page-1/index.html']",
        f"DeleteObjects ['{old_css}']",
    ]  # pages deleted first


def test_verification_sees_what_differs_and_an_unknown_state_is_repaired(target, s3_server, bucket):
    store = MemoryBlobs()
    files = styled_site(3, "red")
    manifest = store.add(files)
    assert target.deploy(DeployRequest(1, manifest), store.fetch).ok
    client = boto3.client("s3", endpoint_url=s3_server)
    client.put_object(
        Bucket=bucket, Key="page-1/index.html", Body=b"<p>page X</p>"
    )  # same size, other bytes
    client.delete_object(Bucket=bucket, Key="page-2/index.html")
    client.put_object(Bucket=bucket, Key="stray.txt", Body=b"x")
    assert sorted(target.verify(manifest)) == [
        "changed page-1/index.html (ETag %s, expected %s)"
        % (
            __import__("hashlib").md5(b"<p>page X</p>").hexdigest(),
            __import__("hashlib").md5(files["page-1/index.html"]).hexdigest(),
        ),
        "missing page-2/index.html",
        "unexpected stray.txt",
    ]
    repaired = target.deploy(
        DeployRequest(1, manifest, previous=None), store.fetch
    )  # state unknown: list, compare
    assert repaired.ok and repaired.files_sent == 2, repaired
    assert bucket_objects(s3_server, bucket) == files


def test_a_failed_upload_keeps_the_old_site_and_says_what_is_left(target, s3_server, bucket):
    store = MemoryBlobs()
    v1 = styled_site(3, "red")
    m1 = store.add(v1)
    assert target.deploy(DeployRequest(1, m1), store.fetch).ok
    v2 = styled_site(3, "blue", changed={0: "zero", 1: "one", 2: "two"})
    m2 = store.add(v2)

    def fetch_damaged(hashes):
        found = store.fetch(hashes)
        broken = digest(v2["page-1/index.html"])
        return {h: (b"corrupt" if h == broken else d) for h, d in found.items()}

    out = target.deploy(DeployRequest(2, m2, previous=m1), fetch_damaged)
    assert not out.ok
    assert out.problems[0].endswith("the bytes for page-1/index.html do not match their hash")
    assert any(p.startswith("left over: ") for p in out.problems)
    assert any("none of the 1 removed object(s) were deleted" in p for p in out.problems)
    live = bucket_objects(s3_server, bucket)
    assert live["index.html"] == v1["index.html"] or live["index.html"] == v2["index.html"]
    assert (
        next(p for p in v1 if p.endswith(".css")) in live
    )  # the old pages' stylesheet is still there
    assert target.deploy(DeployRequest(2, m2, previous=None), store.fetch).ok
    assert bucket_objects(s3_server, bucket) == v2


def test_cloudfront_is_told_which_paths_changed(s3_server, bucket, aws_env, tmp_path, monkeypatch):
    monkeypatch.setenv("AWS_ENDPOINT_URL_CLOUDFRONT", s3_server)
    cloudfront = boto3.client("cloudfront", endpoint_url=s3_server)
    origin = {
        "Id": "s3",
        "DomainName": f"{bucket}.s3.amazonaws.com",
        "S3OriginConfig": {"OriginAccessIdentity": ""},
    }
    distribution = cloudfront.create_distribution(
        DistributionConfig={
            "CallerReference": "bgpub-test",
            "Comment": "",
            "Enabled": True,
            "Origins": {"Quantity": 1, "Items": [origin]},
            "DefaultCacheBehavior": {
                "TargetOriginId": "s3",
                "ViewerProtocolPolicy": "allow-all",
                "TrustedSigners": {"Enabled": False, "Quantity": 0},
                "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
                "MinTTL": 0,
            },
        }
    )["Distribution"]["Id"]
    target = make_target(
        "s3",
        {"bucket": bucket, "endpoint_url": s3_server, "cloudfront": distribution},
        tmp_path / "state",
    )
    store = MemoryBlobs()
    v1 = styled_site(2, "red")
    assert target.deploy(DeployRequest(1, store.add(v1)), store.fetch).ok
    v2 = styled_site(2, "blue", changed={1: "new"})
    assert target.deploy(DeployRequest(2, store.add(v2), previous=store.add(v1)), store.fetch).ok
    listed = cloudfront.list_invalidations(DistributionId=distribution)["InvalidationList"]["Items"]
    newest = cloudfront.get_invalidation(DistributionId=distribution, Id=listed[-1]["Id"])
    paths = sorted(newest["Invalidation"]["InvalidationBatch"]["Paths"]["Items"])
    assert paths == ["/page-1/", "/page-1/index.html"]  # hashed assets are never invalidated


def test_the_md5_log_appends_only_what_is_new(target, tmp_path):
    """A one-object deploy adds one line; a torn last line (a killed writer) is skipped; the JSON
    table of earlier versions is carried over once."""
    store = MemoryBlobs()
    v1 = styled_site(5, "red")
    assert target.deploy(DeployRequest(1, store.add(v1)), store.fetch).ok
    log = tmp_path / "state" / "s3-md5.log"
    assert len(log.read_text().splitlines()) == len({digest(d) for d in v1.values()})
    v2 = styled_site(5, "red", changed={3: "edited"})
    assert target.deploy(DeployRequest(2, store.add(v2), previous=store.add(v1)), store.fetch).ok
    lines = log.read_text().splitlines()
    assert (
        lines[-1]
        == f"{digest(v2['page-3/index.html'])} {hashlib.md5(v2['page-3/index.html']).hexdigest()}"
    )
    assert len(lines) == len({digest(d) for d in v1.values()}) + 1
    with open(log, "a") as handle:
        handle.write("deadbeef 12")  # torn
    assert len(target._md5s()) == len(lines)

    old = tmp_path / "old-state"
    old.mkdir()
    (old / "s3-md5.json").write_text(json.dumps({"a" * 64: "b" * 32}))
    earlier = make_target("s3", {"bucket": "x-site", "endpoint_url": "http://127.0.0.1:9"}, old)
    assert earlier._md5s() == {"a" * 64: "b" * 32} and (old / "s3-md5.log").exists()
