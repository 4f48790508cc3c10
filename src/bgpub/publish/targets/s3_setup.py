"""Setting up an s3 target: its boto3 clients (one per process and key set), and the checks of its
options (bucket name, key prefix, where its keys come from, what the store does with redirects)."""

from __future__ import annotations

import re
import threading
from collections.abc import Mapping
from typing import Any

from bgpub.errors import InvalidInput, PublishError
from bgpub.publish.targets.credentials import AccessKeys
from bgpub.publish.targets.registry import text
from bgpub.publish.targets.s3_checks import WORKERS

# A session loads the service models (~0.3 s) and holds no connection, so one per profile and region
# serves the whole process, forked children included; a client holds a connection pool, so it is
# built once per process (~0.03 s from a loaded session) and shared by its threads.
SESSIONS: dict[tuple, Any] = {}
CLIENTS: dict[tuple, Any] = {}
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
            given = {}
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


def object_redirects(config: Mapping) -> bool:
    """Redirects written as object redirects: asked for, or on AWS itself (its website endpoints
    answer them with a 301); R2, B2 and others ignore the header, MinIO and moto keep it."""
    return bool(config.get("object_redirects")) or not config.get("endpoint_url")


def website_url(config: Mapping) -> str | None:
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


def one_key_source(config: dict, where: str) -> None:
    if config.get("credentials") and config.get("profile"):
        raise InvalidInput(
            "an s3 target takes its keys from --credentials (an integration) or --profile (your "
            "AWS configuration), not both",
            where=where,
        )
