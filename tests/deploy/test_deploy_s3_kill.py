"""kill -9 during an S3 deploy, at random points, many times: the bucket never holds a page that links
a missing asset, and the next deploy (which no longer trusts what is live) completes it exactly.

A listing is all each check needs: an object's ETag (the MD5 of its bytes) names which version's
bytes it holds, and the pages are known, so the links of every page in the bucket are known too.
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import random
import re
import subprocess
import sys
from pathlib import Path

from tests.deploy.conftest import bucket_listing, bucket_objects

from bgpub.publish.manifest import build_manifest
from bgpub.publish.targets.objects import changed_paths

TRIALS = 50
WORKER = Path(__file__).with_name("s3_kill_worker.py")
LINK = re.compile(rb'(?:href|src)="/([^"]+)"')


def _sites() -> dict[str, dict[str, bytes]]:
    spec = importlib.util.spec_from_file_location("s3_kill_worker", WORKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.versions()


def broken_links(pages: dict[str, bytes], present: set[str]) -> list[str]:
    """Every (page, target) where an HTML object links a file that is not in the bucket."""
    return [
        f"{path} -> {link.decode()}"
        for path, data in pages.items()
        for link in LINK.findall(data)
        if link.decode() not in present
    ]


def md5_listing(files: dict[str, bytes]) -> dict[str, tuple[str, int]]:
    """What a listing shows for exactly these bytes (ETag = MD5 of a single-part upload)."""
    return {path: (hashlib.md5(data).hexdigest(), len(data)) for path, data in files.items()}


def test_sigkill_at_random_points_never_breaks_a_page(s3_server, bucket, aws_env, tmp_path):
    sites = _sites()
    manifests = {name: build_manifest(files) for name, files in sites.items()}
    known: dict[
        str, dict[str, bytes]
    ] = {}  # path -> ETag (MD5) -> the bytes some version has there
    for files in sites.values():
        for path, data in files.items():
            known.setdefault(path, {})[hashlib.md5(data).hexdigest()] = data
    config = {"bucket": bucket, "prefix": "www/", "endpoint_url": s3_server}
    worker = subprocess.Popen(
        [sys.executable, str(WORKER), json.dumps(config), str(tmp_path / "state")],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )

    def run(**command) -> dict:
        worker.stdin.write(json.dumps(command) + "\n")
        worker.stdin.flush()
        return json.loads(worker.stdout.readline())

    rng = random.Random(17)
    try:
        assert run(version="v1") == {"killed": False, "code": 0}
        live, killed = "v1", 0
        for trial in range(TRIALS):
            wanted = rng.choice([name for name in sites if name != live])
            upload, delete = changed_paths(manifests[wanted], manifests[live])
            point = rng.random()
            if point < 0.8:
                crash_at = f"s3-object-sent:{rng.randint(1, len(upload))}"
            else:
                crash_at = "s3-before-delete" if point < 0.9 else "s3-batch-deleted"
            answer = run(version=wanted, previous=live, crash_at=crash_at)
            killed += answer["killed"]
            listing = bucket_listing(s3_server, bucket, "www/")
            pages = {p: known[p][etag] for p, (etag, _) in listing.items() if p.endswith(".html")}
            assert broken_links(pages, set(listing)) == [], (trial, crash_at)
            assert "index.html" in pages, (trial, crash_at)
            # the next publish: the last deployment did not finish, so what is live is unknown
            assert run(version=wanted) == {"killed": False, "code": 0}, (trial, crash_at)
            assert bucket_listing(s3_server, bucket, "www/") == md5_listing(sites[wanted]), (
                trial,
                crash_at,
            )
            live = wanted
        assert bucket_objects(s3_server, bucket, "www/") == sites[live]  # byte for byte, once
        assert (
            killed >= TRIALS * 0.9
        )  # the crashpoints really fired (a few may land after the last object)
    finally:
        worker.stdin.close()
        worker.wait(timeout=30)
