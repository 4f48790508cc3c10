"""Telling a project's people that the collector received something: e-mail through its SMTP integration,
and a signed POST to each of its webhooks subscribed to the event (`form.submitted`, `comment.received`;
Standard Webhooks signing, services.webhooks).

An SMTP integration is any enabled integration whose (encrypted) config has `smtp_host`, e.g.
`bgpub integration add demo mail --type CUSTOM --config smtp_host=mail.example.com smtp_port=587
smtp_to=me@example.com smtp_from=site@example.com smtp_user=... smtp_password=... smtp_starttls=true`.
"""

from __future__ import annotations

import json
import smtplib
from email.message import EmailMessage
from typing import Any

from bgpub.db.models import Integration, Project, Webhook
from bgpub.services import secrets

SUBJECTS = {"form.submitted": "New form submission", "comment.received": "New comment to moderate"}


def smtp_configs(project_id: str) -> list[dict[str, str]]:
    configs = []
    for row in Integration.select().where(
        (Integration.project == project_id) & Integration.enabled
    ):
        plain = secrets.decrypt_or_none(row.config_encrypted)
        config = json.loads(plain) if plain else {}
        if isinstance(config, dict) and config.get("smtp_host") and config.get("smtp_to"):
            configs.append(config)
    return configs


def message_for(
    project: Project, event: str, payload: dict[str, Any], config: dict[str, str]
) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = f"[{project.title or project.name}] {SUBJECTS.get(event, event)}"
    message["From"] = config.get("smtp_from") or f"bgpub@{config['smtp_host']}"
    message["To"] = config["smtp_to"]
    lines = [f"{SUBJECTS.get(event, event)} on {project.title or project.name}.", ""]
    for key, value in payload.items():
        if isinstance(value, dict):
            lines += [f"{k}: {v}" for k, v in value.items()]
        else:
            lines.append(f"{key}: {value}")
    message.set_content("\n".join(lines) + "\n")
    return message


def webhook_payload(project: Project, event: str, payload: dict[str, Any]) -> dict[str, Any]:
    """What a subscribed webhook receives: the event, the project, and what was sent (a submission's
    fields are the point of the notification; no address or user agent was ever kept)."""
    return {
        "event": event,
        "project": project.name,
        "organization": project.organization.slug,
        **{k: v for k, v in payload.items() if k in ("form", "post", "id", "data", "status")},
    }


def notify_webhooks(project: Project, event: str, payload: dict[str, Any]) -> int:
    """Delivers `event` to every active webhook subscribed to it; returns how many answered 2xx (a
    failing receiver is recorded in webhook_deliveries, never raised)."""
    from bgpub.services.webhooks import deliver

    hooks = Webhook.select().where((Webhook.project == project) & (Webhook.active == True))  # noqa: E712
    body = webhook_payload(project, event, payload)
    delivered = [deliver(h, event, body) for h in hooks if event in (h.events or [])]
    return sum(1 for d in delivered if d.status_code and 200 <= d.status_code < 300)


def notify_collected(
    project_id: str, event: str, payload: dict[str, Any], timeout: float = 10.0
) -> int:
    """Delivers to the project's subscribed webhooks, then sends one e-mail per SMTP integration;
    returns how many e-mails were sent. A dead mail server stops neither the webhooks nor the other
    mail servers from being told; the first failure is raised after all were tried."""
    project = Project.get_or_none(Project.id == project_id)
    if project is None:
        return 0
    notify_webhooks(project, event, payload)
    sent = 0
    failure: Exception | None = None
    for config in smtp_configs(project_id):
        try:
            send_mail(project, event, payload, config, timeout)
            sent += 1
        except (OSError, smtplib.SMTPException) as exc:
            failure = failure or exc
    if failure is not None:
        raise failure
    return sent


def send_mail(
    project: Project, event: str, payload: dict[str, Any], config: dict[str, str], timeout: float
) -> None:
    port = int(config.get("smtp_port") or 25)
    with smtplib.SMTP(config["smtp_host"], port, timeout=timeout) as smtp:
        if config.get("smtp_starttls", "").lower() in ("1", "true", "yes"):
            smtp.starttls()
        if config.get("smtp_user"):
            smtp.login(config["smtp_user"], config.get("smtp_password", ""))
        smtp.send_message(message_for(project, event, payload, config))
