"""Setting up an s3 target: its boto3 clients (one per process and key set), and the checks of its
options (bucket name, key prefix, where its keys come from, what the store does with redirects)."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from bgpub.errors import InvalidInput, PublishError
from bgpub.publish.folder import read_json
from bgpub.publish.targets.credentials import AccessKeys
from bgpub.publish.targets.registry import text
from bgpub.publish.targets.s3_checks import WORKERS

# A session loads the service models (~0.3 s) and holds no connection, so one per profile and region
# serves the whole process, forked children included; a client holds a connection pool, so it is
# built once per process (~0.03 s from a loaded session) and shared by its threads.
SESSIONS: dict[tuple[Any, ...], Any] = {}
CLIENTS: dict[tuple[Any, ...], Any] = {}
CLIENTS_LOCK = threading.Lock()


def make_client(
    service: str,
    profile: str | None,
    region: str | None,
    endpoint: str | None,
    where: str,
    keys: AccessKeys | None = None,
) -> Any:
    try:
        import boto3
        from botocore.config import Config
    except ImportError as exc:
        raise PublishError("boto3 is not installed (pip install boto3)", where=where) from exc
    config = Config(
        retries={"max_attempts": 4, "mode": "standard"},
        max_pool_connections=WORKERS * 2,
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
    )
    session_key = (profile, region, keys and keys.fingerprint)
    try:  # botocore's ProfileNotFound, NoRegionError...: a configuration problem
        if session_key not in SESSIONS:
            given: dict[str, Any] = {}
            if keys is not None:  # the integration's keys instead of the standard chain
                given = {
                    "aws_access_key_id": keys.access_key_id,
                    "aws_secret_access_key": keys.secret_access_key,
                    "aws_session_token": keys.session_token,
                }
            SESSIONS[session_key] = boto3.session.Session(
                profile_name=None if keys else profile, region_name=region, **given
            )
        return SESSIONS[session_key].client(service, endpoint_url=endpoint, config=config)
    except Exception as exc:  # botocore's messages name settings, never key values
        raise PublishError(f"cannot set up the {service} client: {exc}", where=where) from exc


def bucket_name(value: object, where: str) -> str:
    name = text(value, where)
    if not 3 <= len(name) <= 63 or not all(
        ch.islower() or ch.isdigit() or ch in ".-_" for ch in name
    ):
        raise InvalidInput(
            f"{name!r} is not a bucket name (3-63 of a-z, 0-9, '.', '-')", where=where
        )
    return name


def key_prefix(value: object, where: str) -> str:
    prefix = text(value, where).strip("/")
    if any(part in ("", ".", "..") for part in prefix.split("/")) or "\\" in prefix:
        raise InvalidInput(
            f"{value!r} is not a usable key prefix (such as site/ or www/en)", where=where
        )
    return prefix + "/"


def object_redirects(config: Mapping[str, Any]) -> bool:
    """Redirects written as object redirects: asked for, or on AWS itself (its website endpoints
    answer them with a 301); R2, B2 and others ignore the header, MinIO and moto keep it."""
    return bool(config.get("object_redirects")) or not config.get("endpoint_url")


def website_url(config: Mapping[str, Any]) -> str | None:
    """The address of an AWS bucket website endpoint (only for AWS itself, with `--website`)."""
    if not config.get("website") or config.get("endpoint_url"):
        return None
    region = config.get("region") or "us-east-1"
    prefix = str(config.get("prefix") or "").rstrip("/")
    return f"http://{config['bucket']}.s3-website-{region}.amazonaws.com" + (
        f"/{prefix}" if prefix else ""
    )


def integration_name(value: object, where: str) -> str:
    name = text(value, where)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,99}", name):
        raise InvalidInput(
            f"{name!r} is not an integration name (see 'bgpub integration list')", where=where
        )
    return name


def one_key_source(config: dict[str, Any], where: str) -> None:
    if config.get("credentials") and config.get("profile"):
        raise InvalidInput(
            "an s3 target takes its keys from --credentials (an integration) or --profile (your "
            "AWS configuration), not both",
            where=where,
        )


class Md5Log:
    """sha256 -> MD5 (what S3 reports as the ETag of a single-part upload) of bytes this machine sent
    or read: facts about content, so true whatever happened to the deploy. Each deploy appends only the
    new ones, one `sha md5` line each (a killed writer leaves at most a torn last line, skipped), so a
    one-object publish of a 10,000-page site writes one line, not the whole table."""

    def __init__(self, path: Path | None):
        self.path = path

    def load(self) -> dict[str, str]:
        if self.path is None:
            return {}
        found: dict[str, str] = {}
        lines = 0
        try:
            with open(self.path, encoding="ascii", errors="replace") as handle:
                for line in handle:
                    lines += 1
                    sha, _, md5 = line.rstrip("\n").partition(" ")
                    if len(sha) == 64 and len(md5) == 32:
                        found[sha] = md5
        except FileNotFoundError:
            return self._from_table()
        if lines > 2 * len(found) + 1000:  # mostly repeats: write it afresh
            self._rewrite(found)
        return found

    def append(self, fresh: Mapping[str, str]) -> None:
        if self.path is None or not fresh:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path, "a", encoding="ascii") as handle:
            handle.write("".join(f"{sha} {md5}\n" for sha, md5 in sorted(fresh.items())))

    def _rewrite(self, md5s: Mapping[str, str]) -> None:
        assert self.path is not None
        tmp = self.path.with_name(self.path.name + ".tmp")
        tmp.write_text("".join(f"{sha} {md5}\n" for sha, md5 in sorted(md5s.items())), "ascii")
        os.replace(tmp, self.path)

    def _from_table(self) -> dict[str, str]:
        """The JSON table earlier versions kept beside it (read once, then carried over)."""
        assert self.path is not None
        old = read_json(self.path.with_name("s3-md5.json")) or {}
        found = {k: v for k, v in old.items() if isinstance(v, str)}
        if found:
            self._rewrite(found)
        return found
