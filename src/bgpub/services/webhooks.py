"""Webhooks: URLs told about publishes and rollbacks with a JSON POST signed by HMAC-SHA256.

The signature header is `X-Bgpub-Signature: sha256=<hex of HMAC(secret, body)>`. Every attempt is
recorded in webhook_deliveries; a failing webhook never fails the publish that triggered it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets as pysecrets
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlparse

from bgpub.db.connection import database
from bgpub.db.models import Project, User, Webhook, WebhookDelivery
from bgpub.errors import InvalidInput, NotFound
from bgpub.services import audit
from bgpub.services.lookup import find_project
from bgpub.services.permissions import Action, require

EVENTS = ("publish", "rollback")
SIGNATURE_HEADER = "X-Bgpub-Signature"
TIMEOUT = 5.0


@dataclass(frozen=True)
class WebhookView:
    id: str
    url: str
    events: list[str]
    active: bool
    last_status: str


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def _encrypt(secret: str) -> str:
    from bgpub.services.secrets import encrypt

    return encrypt(secret)


def webhook_secret(hook: Webhook) -> str:
    """The plain secret of a webhook (the one place that decrypts it)."""
    if not hook.secret_encrypted:
        return ""
    from bgpub.services.secrets import decrypt

    return decrypt(hook.secret_encrypted)


def check_webhook_url(url: object, where: str) -> str:
    """An absolute http(s) URL with a host, parseable by urllib (deliveries use it as given)."""
    shown = repr(url)[:200]
    if not isinstance(url, str) or not url.strip():
        raise InvalidInput("a webhook URL is required", where=where, field="url")
    url = url.strip()
    if any(ord(c) < 33 or ord(c) == 127 for c in url) or len(url) > 2000:
        raise InvalidInput(f"{shown} is not a valid URL (spaces or control characters, or too long)",
                           where=where, field="url")
    try:
        parsed = urlparse(url)
        host, _port = parsed.hostname, parsed.port  # .port raises for a non-numeric or out-of-range port
    except ValueError as exc:
        raise InvalidInput(f"{url!r} is not a valid URL ({exc})", where=where, field="url") from None
    if parsed.scheme.lower() not in ("http", "https"):
        raise InvalidInput(f"{url!r} is not an http(s) URL", where=where, field="url")
    if not host:
        raise InvalidInput(f"{url!r} names no host", where=where, field="url")
    return url


def add_webhook(actor: User, project: str | Project, url: str, *, events: list[str] | None = None,
                secret: str | None = None) -> tuple[Webhook, str]:
    """Registers a URL; returns the webhook and its secret (shown once: only its ciphertext is kept)."""
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_WEBHOOKS)
    where = f"project {project.name}, webhook"
    url = check_webhook_url(url, where)
    events = sorted(set(events or EVENTS))
    unknown = [e for e in events if e not in EVENTS]
    if unknown:
        raise InvalidInput(f"unknown event {unknown[0]!r}; use {', '.join(EVENTS)}", where=where)
    secret = secret or pysecrets.token_urlsafe(32)
    with database.atomic():
        hook = Webhook.create(project=project, url=url, events=events, secret_encrypted=_encrypt(secret))
        audit.record(actor, project.organization, "webhook.add", "webhook", hook.id,
                     {"project": project.name, "url": url, "events": events})
    return hook, secret


def list_webhooks(actor: User, project: str | Project) -> list[WebhookView]:
    project = find_project(actor, project)
    require(actor, project.organization, Action.READ)
    views = []
    for hook in Webhook.select().where(Webhook.project == project).order_by(Webhook.created_at):
        last = (WebhookDelivery.select().where(WebhookDelivery.webhook == hook)
                .order_by(WebhookDelivery.created_at.desc()).first())
        status = "never called" if last is None else (
            f"{last.event}: HTTP {last.status_code}" if last.status_code else f"{last.event}: {last.error}")
        views.append(WebhookView(hook.id, hook.url, list(hook.events or []), hook.active, status))
    return views


def remove_webhook(actor: User, project: str | Project, webhook_id: str) -> None:
    project = find_project(actor, project)
    require(actor, project.organization, Action.MANAGE_WEBHOOKS)
    hook = Webhook.get_or_none((Webhook.project == project) & (Webhook.id == webhook_id))
    if hook is None:
        raise NotFound(f"no webhook {webhook_id!r}", where=f"project {project.name}")
    with database.atomic():
        audit.record(actor, project.organization, "webhook.remove", "webhook", hook.id,
                     {"project": project.name, "url": hook.url})
        hook.delete_instance()


def deliver(hook: Webhook, event: str, payload: dict[str, Any]) -> WebhookDelivery:
    """POSTs one signed payload and records the outcome; never raises for a network or HTTP failure."""
    body = json.dumps(payload, sort_keys=True, separators=(",", ":")).encode()
    status: int | None = None
    error: str | None = None
    try:
        headers = {"Content-Type": "application/json", "User-Agent": "bgpub-webhook",
                   "X-Bgpub-Event": event, SIGNATURE_HEADER: sign(webhook_secret(hook), body)}
        request = urllib.request.Request(hook.url, data=body, headers=headers, method="POST")
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status, error = exc.code, f"HTTP {exc.code} {exc.reason}"
    except Exception as exc:  # refused, timed out, bad secret key: recorded, never raised
        error = f"{type(exc).__name__}: {exc}"[:500]
    return WebhookDelivery.create(webhook=hook, event=event, status_code=status, error=error)


def notify(project: Project, event: str, payload: dict[str, Any]) -> list[WebhookDelivery]:
    """Delivers `event` to every active webhook of the project subscribed to it."""
    hooks = Webhook.select().where((Webhook.project == project) & (Webhook.active == True))  # noqa: E712
    return [deliver(h, event, payload) for h in hooks if not h.events or event in h.events]
