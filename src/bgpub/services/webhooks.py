"""Webhooks: URLs told about publishes and rollbacks with a JSON POST signed per Standard Webhooks.

Each delivery carries `webhook-id`, `webhook-timestamp` and `webhook-signature: v1,<base64 of
HMAC-SHA256("<id>.<timestamp>.<body>")>` (https://www.standardwebhooks.com), so a receiver can
verify the sender and refuse replays. Secrets are `whsec_<base64>` (the decoded bytes are the key);
a secret of another form, such as those of webhooks made before, is used as its UTF-8 bytes and
such webhooks also keep getting the old `X-Bgpub-Signature: sha256=<hex HMAC of the body>`.

The URL (it may carry a token) and the secret are kept in one Fernet token, `secret_encrypted`,
so `secrets rotate` re-encrypts both; the `url` column holds only the masked URL. Addresses are
vetted when a webhook is added and again at each delivery (`webhook_endpoints`). Every attempt is
recorded in webhook_deliveries; a failing webhook never fails the publish that triggered it.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import secrets as pysecrets
import time
from typing import Any

from peewee import DatabaseError

from bgpub.db.connection import database
from bgpub.db.enums import Role
from bgpub.db.fields import new_id
from bgpub.db.mapping import added_webhook
from bgpub.db.models import DeployTarget, Project, User, Webhook, WebhookDelivery
from bgpub.domain.webhooks import AddedWebhook, WebhookView
from bgpub.errors import BgpubError, InvalidInput, NotFound, PermissionDenied
from bgpub.services import audit
from bgpub.services.lookup import find_project
from bgpub.services.permissions import RANK, Action, require
from bgpub.services.webhook_endpoints import (
    Endpoint,
    HostNotFound,
    mask_url,
    parse_url,
    post,
    vetted_addresses,
)

EVENTS = ("publish", "rollback", "order.created", "form.submitted", "comment.received")
# order.created: the shop (services.order_intake); form.submitted, comment.received: `bgpub collect`
# (services.notifications)
SECRET_PREFIX = "whsec_"
LEGACY_SIGNATURE_HEADER = "X-Bgpub-Signature"
TIMEOUT = 5.0
SEALED = "bgpub-webhook/1\n"  # first line of a token holding {"url", "secret"}; older tokens hold the secret
# What a receiver is told: names and outcomes, never where a target writes on this machine.
PAYLOAD_FIELDS = (
    "event",
    "project",
    "organization",
    "version",
    "message",
    "actor",
    "deployments",
    "order",
)
DEPLOYMENT_FIELDS = ("target", "kind", "status")
UNREADABLE = "cannot be decrypted with the keys here"


def new_secret() -> str:
    """A fresh `whsec_` secret: 32 random bytes, base64."""
    return SECRET_PREFIX + base64.b64encode(pysecrets.token_bytes(32)).decode("ascii")


def secret_key(secret: str) -> bytes:
    """The HMAC key of a secret: the decoded bytes of `whsec_<base64>`, else the UTF-8 bytes."""
    if secret.startswith(SECRET_PREFIX):
        return base64.b64decode(secret[len(SECRET_PREFIX) :] + "==")
    return secret.encode("utf-8")


def check_secret(secret: str, where: str) -> str:
    """A `whsec_` secret of 24 to 64 bytes, or another printable string used as it is."""
    if not secret or len(secret) > 200 or any(ord(c) < 33 or ord(c) == 127 for c in secret):
        raise InvalidInput(
            "a webhook secret is 1 to 200 printable characters without spaces",
            where=where,
            field="secret",
        )
    if secret.startswith(SECRET_PREFIX):
        try:
            key = base64.b64decode(secret[len(SECRET_PREFIX) :], validate=True)
        except (binascii.Error, ValueError):
            key = b""
        if not 24 <= len(key) <= 64:
            raise InvalidInput(
                "a whsec_ secret is whsec_ and the base64 of 24 to 64 bytes",
                where=where,
                field="secret",
            )
    return secret


def sign(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`."""
    signed = f"{message_id}.{timestamp}.".encode() + body
    return (
        "v1,"
        + base64.b64encode(hmac.new(secret_key(secret), signed, hashlib.sha256).digest()).decode()
    )


def legacy_signature(secret: str, body: bytes) -> str:
    """The old `X-Bgpub-Signature` value, still sent to webhooks whose secret is not `whsec_`."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def _seal(url: str, secret: str) -> str:
    from bgpub.services.secrets import encrypt

    return encrypt(SEALED + json.dumps({"url": url, "secret": secret}, sort_keys=True))


def _unseal(hook: Webhook) -> tuple[str, str, bool]:
    """(url, secret, sealed): the plain URL and secret; `sealed` is False for a row from before."""
    from bgpub.services.secrets import decrypt

    plain = decrypt(hook.secret_encrypted) if hook.secret_encrypted else ""
    if plain.startswith(SEALED):
        stored = json.loads(plain[len(SEALED) :])
        return stored["url"], stored["secret"], True
    return hook.url, plain, False


def _seal_old_row(hook: Webhook, url: str, secret: str) -> None:
    """Moves a row from before into the sealed form; best effort (a member's login may not update)."""
    try:
        with database.atomic():
            Webhook.update(url=mask_url(url), secret_encrypted=_seal(url, secret)).where(
                Webhook.id == hook.id
            ).execute()
    except DatabaseError:
        pass  # stays readable as it was; sealed by the next OWNER/ADMIN who lists or publishes


def webhook_secret(hook: Webhook) -> str:
    """The plain secret of a webhook (decrypted here and in deliveries only)."""
    return _unseal(hook)[1]


def webhook_url(hook: Webhook) -> str:
    """The plain URL of a webhook, user info and query included."""
    return _unseal(hook)[0]


def check_webhook_url(url: object, where: str, *, allow_private: bool = False) -> Endpoint:
    """A parsed http(s) URL whose host resolves only to public addresses (unless allowed).

    A name that does not resolve now is accepted: every delivery resolves and checks it again.
    """
    endpoint = parse_url(url, where)
    try:
        vetted_addresses(endpoint, where, allow_private=allow_private)
    except HostNotFound:
        pass
    return endpoint


def add_webhook(
    actor: User,
    project: str | Project,
    url: str,
    *,
    events: list[str] | None = None,
    secret: str | None = None,
    allow_private: bool = False,
) -> tuple[Webhook, str]:
    """Registers a URL; returns the webhook and its secret (shown once: only its ciphertext is kept)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_WEBHOOKS)
    where = f"project {project.name}, webhook"
    events = sorted(set(events or EVENTS))
    unknown = [e for e in events if e not in EVENTS]
    if unknown:
        raise InvalidInput(f"unknown event {unknown[0]!r}; use {', '.join(EVENTS)}", where=where)
    secret = new_secret() if secret is None else check_secret(secret, where)
    endpoint = check_webhook_url(url, where, allow_private=allow_private)
    masked = mask_url(endpoint.url)
    with database.atomic():
        hook = Webhook.create(
            project=project,
            url=masked,
            events=events,
            allow_private=allow_private,
            secret_encrypted=_seal(endpoint.url, secret),
        )
        audit.record(
            actor,
            project.organization,
            "webhook.add",
            "webhook",
            hook.id,
            {
                "project": project.name,
                "url": masked,
                "events": events,
                "allow_private": allow_private,
            },
        )
    return hook, secret


def new_webhook(
    actor: User,
    project: str | Project,
    url: str,
    *,
    events: list[str] | None = None,
    secret: str | None = None,
    allow_private: bool = False,
) -> AddedWebhook:
    """`add_webhook` for front ends: the webhook as a domain value, its secret included (shown once)."""
    hook, plain = add_webhook(
        actor, project, url, events=events, secret=secret, allow_private=allow_private
    )
    return added_webhook(hook, plain)


def _last_status(hook: Webhook) -> str:
    last = (
        WebhookDelivery.select()
        .where(WebhookDelivery.webhook == hook)
        .order_by(WebhookDelivery.created_at.desc())
        .first()
    )
    if last is None:
        return "never called"
    return (
        f"{last.event}: HTTP {last.status_code}"
        if last.status_code
        else f"{last.event}: {last.error}"
    )


def _shown_url(hook: Webhook, in_full: bool) -> str:
    if not in_full:
        return mask_url(hook.url)
    try:
        url, secret, sealed = _unseal(hook)
    except PermissionDenied:
        return f"{mask_url(hook.url)} ({UNREADABLE})"
    if not sealed:
        _seal_old_row(hook, url, secret)
    return url


def list_webhooks(actor: User, project: str | Project) -> list[WebhookView]:
    """The project's webhooks; URLs in full only for OWNER and ADMIN (they may carry tokens)."""
    project = find_project(actor, project)
    role = require(actor, project.organization, Action.READ)
    in_full = RANK[role] >= RANK[Role.ADMIN]
    return [
        WebhookView(
            hook.id,
            _shown_url(hook, in_full),
            list(hook.events or []),
            hook.active,
            _last_status(hook),
            bool(hook.allow_private),
        )
        for hook in Webhook.select().where(Webhook.project == project).order_by(Webhook.created_at)
    ]


def remove_webhook(actor: User, project: str | Project, webhook_id: str) -> None:
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_WEBHOOKS)
    hook = Webhook.get_or_none((Webhook.project == project) & (Webhook.id == webhook_id))
    if hook is None:
        raise NotFound(f"no webhook {webhook_id!r}", where=f"project {project.name}")
    with database.atomic():
        audit.record(
            actor,
            project.organization,
            "webhook.remove",
            "webhook",
            hook.id,
            {"project": project.name, "url": mask_url(hook.url)},
        )
        hook.delete_instance()


def _headers(secret: str, message_id: str, event: str, body: bytes) -> dict[str, str]:
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "bgpub-webhook",
        "X-Bgpub-Event": event,
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(secret, message_id, timestamp, body),
    }
    if not secret.startswith(SECRET_PREFIX):
        headers[LEGACY_SIGNATURE_HEADER] = legacy_signature(secret, body)
    return headers


def deliver(hook: Webhook, event: str, payload: dict[str, Any]) -> WebhookDelivery:
    """POSTs one signed payload and records the outcome; never raises for a network or HTTP failure.

    The host is resolved and vetted again here and the request goes to the vetted address; a
    redirect is recorded as the delivery's status, never followed. The delivery row's id is the
    message's `webhook-id`.
    """
    message_id = new_id()
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    status: int | None = None
    error: str | None = None
    try:
        url, secret, sealed = _unseal(hook)
        if not sealed:
            _seal_old_row(hook, url, secret)
        where = f"webhook {hook.id}"
        endpoint = parse_url(url, where)
        addresses = vetted_addresses(endpoint, where, allow_private=bool(hook.allow_private))
        status, reason = post(
            endpoint, addresses, body, _headers(secret, message_id, event, body), TIMEOUT
        )
        if 300 <= status < 400:
            error = f"HTTP {status} {reason}: redirects are not followed"
        elif status >= 400:
            error = f"HTTP {status} {reason}"
    except BgpubError as exc:  # refused address, unknown host, unreadable secret
        error = str(exc)[:500]
    except Exception as exc:  # refused connection, timeout, TLS failure: recorded, never raised
        error = f"{type(exc).__name__}: {exc}"[:500]
    return WebhookDelivery.create(
        id=message_id, webhook=hook, event=event, status_code=status, error=error
    )


def public_payload(project: Project, payload: dict[str, Any]) -> dict[str, Any]:
    """The fields a receiver may see: each deployment's target name, kind and status, no location."""
    kinds = {
        t.name: t.kind.value if hasattr(t.kind, "value") else str(t.kind)
        for t in DeployTarget.select(DeployTarget.name, DeployTarget.kind).where(
            DeployTarget.project == project
        )
    }
    body = {key: payload[key] for key in PAYLOAD_FIELDS if key in payload}
    if "deployments" in body:
        body["deployments"] = [
            {
                **{key: d[key] for key in DEPLOYMENT_FIELDS if key in d},
                "kind": d.get("kind") or kinds.get(d.get("target", ""), ""),
            }
            for d in body["deployments"]
        ]
    return body


def notify(project: Project, event: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    """Delivers `event` to every active webhook of the project subscribed to it."""
    hooks = Webhook.select().where((Webhook.project == project) & (Webhook.active == True))  # noqa: E712
    body = public_payload(project, payload)
    return [deliver(h, event, body) for h in hooks if not h.events or event in h.events]
