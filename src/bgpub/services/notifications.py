"""Telling a project's people that the collector received something: e-mail through its SMTP integration.

An SMTP integration is any enabled integration whose (encrypted) config has `smtp_host`, e.g.
`bgpub integration add demo mail --type CUSTOM --config smtp_host=mail.example.com smtp_port=587
smtp_to=me@example.com smtp_from=site@example.com smtp_user=... smtp_password=... smtp_starttls=true`.
"""

from __future__ import annotations

import json
import smtplib
from email.message import EmailMessage
from typing import Any

from bgpub.db.models import Integration, Project
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


def notify_collected(
    project_id: str, event: str, payload: dict[str, Any], timeout: float = 10.0
) -> int:
    """Sends one e-mail per SMTP integration of the project; returns how many were sent."""
    project = Project.get_or_none(Project.id == project_id)
    if project is None:
        return 0
    sent = 0
    for config in smtp_configs(project_id):
        port = int(config.get("smtp_port") or 25)
        with smtplib.SMTP(config["smtp_host"], port, timeout=timeout) as smtp:
            if config.get("smtp_starttls", "").lower() in ("1", "true", "yes"):
                smtp.starttls()
            if config.get("smtp_user"):
                smtp.login(config["smtp_user"], config.get("smtp_password", ""))
            smtp.send_message(message_for(project, event, payload, config))
        sent += 1
    return sent
