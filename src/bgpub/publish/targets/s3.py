"""The `s3` target: a bucket (and prefix) on AWS S3 or an S3-compatible store (R2, B2, MinIO, Wasabi).

Only objects whose bytes changed since the version live there are sent (the previous version's
manifest says which, no listing); when what is live is unknown (first deploy, or the last one failed
or was killed) the bucket is listed once instead. Uploads and deletions follow `objects.py`'s order,
so a deploy killed at any point leaves every page pointing at objects that exist, and the next deploy
completes it. Each object carries its Content-Type, Cache-Control and its sha256 as metadata, is sent
with Content-MD5 (the store refuses damaged bytes) and checked afterwards: HEAD of every object sent
(ETag = MD5 of a single-part upload, sha256 metadata, size) and a listing of what was deleted, or a
listing of everything against the manifest when the state was unknown. Credentials come from the
standard AWS chain (environment, ~/.aws, a `--profile`, instance roles); bgpub never stores them.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from bgpub.domain.progress import Progress
from bgpub.errors import PublishError
from bgpub.publish.crashpoints import crashpoint
from bgpub.publish.folder import FETCH_BATCH, Fetch
from bgpub.publish.manifest import digest
from bgpub.publish.targets import objects, s3_checks, s3_setup
from bgpub.publish.targets.base import DeployOutcome, DeployRequest
from bgpub.publish.targets.credentials import AccessKeys, KeysSource
from bgpub.publish.targets.registry import Option, TargetType, flag, http_url
from bgpub.publish.targets.s3_checks import SHA_KEY, WORKERS


class S3Target:
    kind = "s3"

    def __init__(self, config: Mapping[str, Any], state_dir: Path | None = None):
        self.bucket = str(config.get("bucket") or "")
        if not self.bucket:
            raise PublishError("an s3 target needs a bucket", where="target config")
        self.prefix = _prefix(str(config.get("prefix") or ""))
        self.endpoint_url = config.get("endpoint_url") or None
        self.region = config.get("region") or None
        self.profile = config.get("profile") or None
        self.cloudfront = config.get("cloudfront") or None
        self.object_redirects = s3_setup.object_redirects(config)
        self._redirects: dict[str, str] = {}
        keys = config.get("credentials")
        if keys is not None and not callable(keys):
            raise PublishError(
                f"the access keys of integration {keys!r} were not looked up", where=self.location
            )
        # the source until first use, then the keys it gave
        self._keys: AccessKeys | KeysSource | None = keys
        self.md5_log = s3_setup.Md5Log(Path(state_dir) / "s3-md5.log" if state_dir else None)
        self._lock = threading.Lock()

    @property
    def location(self) -> str:
        where = f"s3://{self.bucket}/{self.prefix}"
        return f"{where} at {self.endpoint_url}" if self.endpoint_url else where

    # -- the store ---------------------------------------------------------------------------------
    def client(self, service: str = "s3") -> Any:
        """A boto3 client for the store (or CloudFront), shared by the targets of this process."""
        endpoint = self.endpoint_url if service == "s3" else None
        keys = self._access_keys()
        key = (service, self.profile, self.region, endpoint, keys and keys.fingerprint, os.getpid())
        with s3_setup.CLIENTS_LOCK:
            if key not in s3_setup.CLIENTS:
                s3_setup.CLIENTS[key] = s3_setup.make_client(
                    service, self.profile, self.region, endpoint, self.location, keys
                )
            return s3_setup.CLIENTS[key]

    def _access_keys(self) -> AccessKeys | None:
        """The integration's keys (decrypted once, on first use), or None for the standard chain."""
        if self._keys is None:
            return None
        if not isinstance(self._keys, AccessKeys):
            self._keys = self._keys()
        return self._keys

    def _call(self, what: str, fn: Callable[[], Any]) -> Any:
        """One store call; its failure as a PublishError naming the call and the store's reason."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return fn()
        except ClientError as exc:
            error = exc.response.get("Error", {})
            raise PublishError(
                f"{what}: {error.get('Code', '?')} {error.get('Message', '')}".strip(),
                where=self.location,
            ) from exc
        except BotoCoreError as exc:
            raise PublishError(f"{what}: {exc}", where=self.location) from exc

    def listing(self) -> dict[str, tuple[str, int]]:
        """{path: (etag, size)} of every object under the prefix."""
        found: dict[str, tuple[str, int]] = {}

        def pages() -> None:
            paginator = self.client().get_paginator("list_objects_v2")
            for page in paginator.paginate(Bucket=self.bucket, Prefix=self.prefix):
                for item in page.get("Contents", []):
                    found[item["Key"][len(self.prefix) :]] = (
                        item["ETag"].strip('"'),
                        int(item["Size"]),
                    )

        self._call(f"listing bucket {self.bucket}", pages)
        return found

    def _md5s(self) -> dict[str, str]:
        return self.md5_log.load()

    # -- deploying ---------------------------------------------------------------------------------
    def deploy(
        self, request: DeployRequest, fetch: Fetch, progress: Progress | None = None
    ) -> DeployOutcome:
        manifest = request.manifest
        md5s = self._md5s()
        known = dict(md5s)
        listed = None
        if request.previous is not None:
            upload, delete = objects.changed_paths(manifest, request.previous)
        else:  # what is there is unknown: list it once and compare checksums
            listed = self.listing()
            self._learn_md5s(manifest, md5s, fetch, [p for p in manifest if p in listed])
            upload = sorted(
                p
                for p, e in manifest.items()
                if p not in listed or listed[p] != (md5s.get(e[0]), e[1])
            )
            delete = sorted(p for p in listed if p not in manifest)
        upload = self._with_redirects(request, fetch, upload)
        size = sum(manifest[p][1] for p in upload)
        steps = objects.Steps(len(upload) + len(delete), size, progress)
        uploaded: list[str] = []
        try:
            switched = False
            for phase in objects.upload_phases(upload, request.previous):
                if objects.is_html(phase[0]) and not switched:
                    request.confirm_switch()  # the first page about to change: the version goes live
                    switched = True
                self._upload(phase, manifest, fetch, md5s, uploaded, steps)
            if not switched:
                request.confirm_switch()
            crashpoint("s3-before-delete")
            for phase in objects.deletion_phases(delete):
                self._delete(phase, steps)
        except PublishError as exc:
            return DeployOutcome(
                False,
                len(uploaded),
                steps.bytes_done,
                problems=[exc.message] + self._left_over(uploaded, upload, delete, steps.deleted),
                location=self.location,
            )
        finally:
            self.md5_log.append({k: v for k, v in md5s.items() if known.get(k) != v})
        if listed is not None:
            problems = self.verify(manifest, full=True)
        else:
            problems = s3_checks.verify_changes(
                self, manifest, upload, delete, md5s, self._redirects
            )
        if not problems and self.cloudfront:
            problems = s3_checks.invalidate(
                self, [p for p in upload + delete if not objects.is_hashed_asset(p)]
            )
        return DeployOutcome(
            not problems, len(uploaded), steps.bytes_done, problems=problems, location=self.location
        )

    def _with_redirects(self, request: DeployRequest, fetch: Fetch, upload: list[str]) -> list[str]:
        """`upload` plus the objects whose redirect changed though their bytes did not (a redirect is
        the object's metadata, set when it is written); every redirect object when the state is unknown."""
        if not self.object_redirects:
            self._redirects = {}
            return upload
        self._redirects = objects.redirect_locations(request.manifest, request.base_url, fetch)
        if request.previous is None:
            return sorted(set(upload) | set(self._redirects))
        before = objects.redirect_locations(request.previous, request.base_url, fetch)
        changed = {
            p for p in set(self._redirects) | set(before) if before.get(p) != self._redirects.get(p)
        }
        return sorted(set(upload) | (changed & set(request.manifest)))

    def _learn_md5s(
        self,
        manifest: Mapping[str, list[Any]],
        md5s: dict[str, str],
        fetch: Fetch,
        paths: Iterable[str],
    ) -> None:
        """MD5s (what S3 reports as ETag) of the hashes this machine has not sent yet."""
        wanted = sorted({manifest[p][0] for p in paths} - set(md5s))
        for start in range(0, len(wanted), FETCH_BATCH):
            for sha, data in fetch(wanted[start : start + FETCH_BATCH]).items():
                md5s[sha] = hashlib.md5(data).hexdigest()

    def _upload(
        self,
        paths: list[str],
        manifest: Mapping[str, list[Any]],
        fetch: Fetch,
        md5s: dict[str, str],
        uploaded: list[str],
        steps: objects.Steps,
    ) -> None:
        client = self.client()

        def put(path: str, data: bytes) -> None:
            sha = manifest[path][0]
            if digest(data) != sha:
                raise PublishError(
                    f"the bytes for {path} do not match their hash", where=self.location
                )
            md5 = hashlib.md5(data)
            to = self._redirects.get(path)
            redirect = {"WebsiteRedirectLocation": to} if to else {}
            self._call(
                f"uploading {path}",
                lambda: client.put_object(
                    Bucket=self.bucket,
                    Key=self.prefix + path,
                    Body=data,
                    ContentMD5=base64.b64encode(md5.digest()).decode(),
                    ContentType=objects.content_type(path),
                    CacheControl=objects.cache_control(path),
                    Metadata={SHA_KEY: sha},
                    **redirect,
                ),
            )
            with self._lock:
                md5s[sha] = md5.hexdigest()
                uploaded.append(path)
                steps.advance(1, len(data))
            crashpoint("s3-object-sent")

        with ThreadPoolExecutor(WORKERS) as pool:
            for start in range(0, len(paths), FETCH_BATCH):
                batch = paths[start : start + FETCH_BATCH]
                data = fetch({manifest[p][0] for p in batch})
                for future in [pool.submit(put, p, data[manifest[p][0]]) for p in batch]:
                    future.result()  # the first failure stops the phase (and so the deploy)

    def _delete(self, paths: list[str], steps: objects.Steps) -> None:
        client = self.client()
        for start in range(0, len(paths), 1000):  # the API's limit per request
            batch = paths[start : start + 1000]

            def delete_batch(b: list[str] = batch) -> Any:
                return client.delete_objects(
                    Bucket=self.bucket,
                    Delete={"Objects": [{"Key": self.prefix + p} for p in b], "Quiet": True},
                )

            answer = self._call("deleting removed objects", delete_batch)
            errors = answer.get("Errors") or []
            if errors:
                first = errors[0]
                raise PublishError(
                    f"deleting {len(errors)} removed object(s) failed, e.g. {first.get('Key')}: "
                    f"{first.get('Code')}",
                    where=self.location,
                )
            steps.deleted += len(batch)
            steps.advance(len(batch), 0)
            crashpoint("s3-batch-deleted")

    def _left_over(
        self, uploaded: list[str], upload: list[str], delete: list[str], deleted: int = 0
    ) -> list[str]:
        """Exactly what a failed deploy left: the new objects sent, what was not, what was deleted."""
        sent = set(uploaded)
        pages = [p for p in upload if objects.is_html(p)]
        left = [
            f"left over: {len(sent)} of {len(upload)} changed object(s) were uploaded"
            + (f" ({', '.join(sorted(sent)[:5])}{'...' if len(sent) > 5 else ''})" if sent else "")
        ]
        if any(p in sent for p in pages):
            left.append(
                f"{sum(p in sent for p in pages)} of {len(pages)} page(s) are already new, the others "
                "still the previous version's; every page's assets are present"
            )
        else:
            left.append("no page changed: the previous version is still what visitors get")
        if delete and not deleted:
            left.append(f"none of the {len(delete)} removed object(s) were deleted")
        elif delete:
            left.append(
                f"{deleted} of the {len(delete)} removed object(s) were deleted (pages first: no page "
                "left links a deleted object)"
            )
        left.append("the next publish or rollback to this target completes or replaces it")
        return left

    # -- checking ----------------------------------------------------------------------------------
    def verify(self, manifest: Mapping[str, list[Any]], *, full: bool = False) -> list[str]:
        """Lists the prefix and compares every object with the manifest (ETag = MD5, and size)."""
        return s3_checks.verify_listing(self, manifest)

    def probe(self) -> list[str]:
        return s3_checks.probe(self)

    def live_manifest(self) -> None:
        return None


def _prefix(value: str) -> str:
    value = value.strip("/")
    return f"{value}/" if value else ""


KIND = TargetType(
    "s3",
    "an S3 bucket or S3-compatible store (AWS, Cloudflare R2, Backblaze B2, MinIO, Wasabi)",
    (
        Option("bucket", "s3: the bucket", required=True, parse=s3_setup.bucket_name),
        Option("prefix", "s3: a key prefix inside the bucket (site/)", parse=s3_setup.key_prefix),
        Option(
            "endpoint_url",
            "s3: the store's endpoint for S3-compatible services (https://<account>.r2."
            "cloudflarestorage.com)",
            parse=http_url,
        ),
        Option("region", "s3: the bucket's region (default: from your AWS configuration)"),
        Option(
            "profile",
            "s3: the AWS profile whose credentials to use (credentials are never stored by bgpub)",
        ),
        Option(
            "credentials",
            "s3: an integration of the project holding access_key_id and secret_access_key "
            "(stored encrypted; default: the standard AWS chain)",
            parse=s3_setup.integration_name,
        ),
        Option("cloudfront", "s3: a CloudFront distribution id: invalidate the paths that changed"),
        Option(
            "object_redirects",
            "s3: write redirects (renamed pages, post aliases) as object redirects "
            "(x-amz-website-redirect-location; always on for AWS itself)",
            parse=flag,
            is_flag=True,
        ),
        Option(
            "website",
            "s3: the bucket is an AWS website endpoint (its address becomes the site's base URL "
            "when the project has no domain)",
            parse=flag,
            is_flag=True,
        ),
    ),
    S3Target,
    check=s3_setup.one_key_source,
    site_url=s3_setup.website_url,
    object_redirects=s3_setup.object_redirects,
)
