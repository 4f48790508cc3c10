"""Checking an s3 target: HEADs of what a deploy sent, a listing against the manifest, CloudFront
invalidations of the paths that changed, and the probe of `bgpub target test`."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from bgpub.errors import PublishError
from bgpub.publish.targets import objects

if TYPE_CHECKING:
    from bgpub.publish.targets.s3 import S3Target

WORKERS = 8  # requests in flight at once
SHA_KEY = "sha256"  # x-amz-meta-sha256: the object's sha256, written with it


def head(target: S3Target, path: str) -> dict[str, Any] | None:
    from botocore.exceptions import ClientError

    try:
        found: dict[str, Any] = target.client().head_object(
            Bucket=target.bucket, Key=target.prefix + path
        )
        return found
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if code in ("404", "NoSuchKey", "NotFound"):
            return None
        raise PublishError(f"checking {path}: {code}", where=target.location) from exc


def verify_changes(
    target: S3Target,
    manifest: Mapping[str, list[Any]],
    upload: list[str],
    delete: list[str],
    md5s: Mapping[str, str],
    redirects: Mapping[str, str] | None = None,
) -> list[str]:
    """HEADs every object sent (ETag, sha256 metadata, size, Content-Type, redirect) and lists each
    deleted one."""
    redirects = redirects or {}

    def check(path: str) -> list[str]:
        found = head(target, path)
        sha, size = manifest[path][0], manifest[path][1]
        if found is None:
            return [f"missing {path}"]
        problems = []
        if (
            found.get("ETag", "").strip('"') != md5s.get(sha)
            or int(found.get("ContentLength", -1)) != size
        ):
            problems.append(
                f"changed {path} (ETag {found.get('ETag')}, {found.get('ContentLength')} bytes)"
            )
        if found.get("Metadata", {}).get(SHA_KEY) != sha:
            problems.append(f"changed {path} (sha256 metadata differs)")
        if found.get("ContentType") != objects.content_type(path):
            problems.append(f"wrong Content-Type of {path}: {found.get('ContentType')}")
        if found.get("WebsiteRedirectLocation") != redirects.get(path):
            problems.append(
                f"{path} redirects to {found.get('WebsiteRedirectLocation') or 'nowhere'}, "
                f"not to {redirects.get(path) or 'nowhere'}"
            )
        return problems

    def gone(path: str) -> list[str]:
        answer = target._call(
            "listing deleted objects",
            lambda: target.client().list_objects_v2(
                Bucket=target.bucket, Prefix=target.prefix + path, MaxKeys=1
            ),
        )
        keys = [item["Key"] for item in answer.get("Contents", [])]
        return (
            [f"unexpected {path} (should have been deleted)"]
            if target.prefix + path in keys
            else []
        )

    with ThreadPoolExecutor(WORKERS) as pool:
        found = list(pool.map(check, upload)) + list(pool.map(gone, delete))
    return [problem for problems in found for problem in problems]


def verify_listing(target: S3Target, manifest: Mapping[str, list[Any]]) -> list[str]:
    """Lists the prefix and compares every object with the manifest (ETag = MD5, and size)."""
    listed = target.listing()
    md5s = target._md5s()
    problems = [f"missing {p}" for p in sorted(manifest) if p not in listed]
    problems += [f"unexpected {p}" for p in sorted(listed) if p not in manifest]
    for path in sorted(set(manifest) & set(listed)):
        sha, size = manifest[path][0], manifest[path][1]
        etag, listed_size = listed[path]
        if listed_size != size:
            problems.append(f"changed {path} ({listed_size} bytes, expected {size})")
        elif sha in md5s and etag != md5s[sha]:
            problems.append(f"changed {path} (ETag {etag}, expected {md5s[sha]})")
        elif sha not in md5s:  # sent from another machine: its own sha256 metadata says
            found = head(target, path)
            if found is None or found.get("Metadata", {}).get(SHA_KEY) != sha:
                problems.append(f"changed {path} (sha256 metadata differs)")
    return problems


def invalidate(target: S3Target, paths: list[str]) -> list[str]:
    """Asks CloudFront to drop its copies of the pages and files that changed (never hashed assets)."""
    if not paths:
        return []
    urls = objects.page_urls(
        "/" + target.prefix.rstrip("/") + "/" + p if target.prefix else p for p in paths
    )
    urls = [u.replace("//", "/") for u in urls]
    items = urls if len(urls) <= 1000 else ["/*"]
    try:
        target._call(
            "invalidating CloudFront",
            lambda: target.client("cloudfront").create_invalidation(
                DistributionId=target.cloudfront,
                InvalidationBatch={
                    "Paths": {"Quantity": len(items), "Items": items},
                    "CallerReference": uuid.uuid4().hex,
                },
            ),
        )
    except PublishError as exc:
        return [f"the site is live but the CDN still serves old copies: {exc.message}"]
    return []


def probe(target: S3Target) -> list[str]:
    """Reaches the bucket, lists it, writes and deletes a probe object: publishing would work."""
    client = target.client()
    target._call(
        f"reaching bucket {target.bucket}", lambda: client.head_bucket(Bucket=target.bucket)
    )
    target._call(
        f"listing bucket {target.bucket}",
        lambda: client.list_objects_v2(Bucket=target.bucket, Prefix=target.prefix, MaxKeys=1),
    )
    key = f"{target.prefix}.bgpub-probe-{uuid.uuid4().hex[:12]}"
    target._call(
        "writing a probe object",
        lambda: client.put_object(Bucket=target.bucket, Key=key, Body=b"probe"),
    )
    target._call(
        "deleting the probe object", lambda: client.delete_object(Bucket=target.bucket, Key=key)
    )
    return [
        f"reached bucket {target.bucket}"
        + (f" at {target.endpoint_url}" if target.endpoint_url else ""),
        "may list, write and delete objects" + (f" under {target.prefix}" if target.prefix else ""),
    ]
